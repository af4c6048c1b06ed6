"""Load, validate and index the catalogue of sites (no Flask here)."""

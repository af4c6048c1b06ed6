"""The guide listens: scan counts that track nobody, visitors' feedback and the plaque register."""

"""The map page and the sites' GeoJSON API."""

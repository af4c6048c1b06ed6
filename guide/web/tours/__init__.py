"""Tour planning pages and the tour API."""

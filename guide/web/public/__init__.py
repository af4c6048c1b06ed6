"""Visitors' pages: home, search, story pages, plaque codes and media."""

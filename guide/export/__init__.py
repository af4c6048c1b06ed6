"""The static export: the public guide as plain files any static host or CDN serves.

``guide build OUT`` renders every public page through the guide's own views
(the Flask test client), so a page in the export is the page the server sends;
it adds a page per plaque code that works without rewrite rules, redirect rules
for hosts that have them, the sitemap and robots.txt, and a manifest of input
digests so that the next build renders only what changed.
"""

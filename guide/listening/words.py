"""The words the listening tables keep: ways and events of a scan, feedback's and plaques' states.

Here rather than beside the tables, so that counting and the pages name them
without loading the database layer (``guide.listening.models`` re-exports them).
"""

from __future__ import annotations

# How a visitor reached a story page through a code.
VIA_PLAQUE = "plaque"  # the QR code printed on a plaque (its URL carries the plaque marker)
VIA_LINK = "link"  # the same code typed, shared or linked without the marker
VIAS = (VIA_PLAQUE, VIA_LINK)
# What was counted: an arrival through /S/<CODE>, or a view of the story page itself.
EVENT_ARRIVAL = "arrival"
EVENT_VIEW = "view"

FEEDBACK_STATUSES = ("new", "resolved", "dismissed", "answered")
REPORT_TOPICS = ("story", "location", "hours", "photo", "other")
PLAQUE_STATES = ("ordered", "installed", "damaged", "replaced", "removed")

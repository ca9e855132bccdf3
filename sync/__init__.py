"""Sync between stations and the county: bundles, the station side, the county server.

No Qt here. ``sync`` uses ``db``; nothing in ``db`` knows about ``sync``.
"""

PROTOCOL = 1

"""Follow-up items between two loads as plain data: what was fixed, what is new and what still
waits, per kind, for one organization's subtree; its organizations below ranked by how they
respond; the open items load by load; the lists of items. The progress page, the meeting pack
and the alerts all read them here (below the dashboard and the exports), so that they show the
same figures."""

from followups.period import Load, NoLoad, Period, choose, loads
from followups.progress import (KINDS, LISTS, burndown, children, items, summary, totals)

__all__ = ["KINDS", "LISTS", "Load", "NoLoad", "Period", "burndown", "children", "choose",
           "items", "loads", "summary", "totals"]

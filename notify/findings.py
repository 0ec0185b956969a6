"""What each rule finds in one organization's subtree on the published database: a list of
findings, each with a stable key, a level (it rises as the finding gets worse) and whom to
@-mention. Reads only named queries (queries/reports/alert_*.sql and the pages' own reports)."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field, replace

import queries
from notify.rules import Rule


@dataclass(frozen=True)
class Finding:
    rule: str
    key: str
    level: int
    org_id: str
    org_name: str
    seq: int  # the organization's place in the tree (a subtree is a range of seq)
    detail: dict = field(default_factory=dict)  # the figures a message shows (names unmasked)
    contact_name: str | None = None
    contact_mobile: str | None = None  # for the @-mention only, never printed
    order: tuple = ()  # a message lists a rule's findings by this, smallest (worst) first


@dataclass(frozen=True)
class Scope:
    """The subscribed organization: its id, name and tree range."""

    org_id: str
    org_name: str
    seq: int
    seq_last: int


def _weeks(days) -> int:
    return int(days or 0) // 7


def _item(row: dict, rule: str, level: int, order: tuple = (), **detail) -> Finding:
    return Finding(rule, row["item_key"], level, row["org_id"], row["org_name"], row["seq"],
                   detail, row.get("contact_name"), row.get("contact_mobile"),
                   order + (row["seq"], row["item_key"]))


def _items(conn, scope: Scope, kind: str, min_days_open: int = 0) -> list[dict]:
    return queries.rows("alert_items", conn, seq=scope.seq, seq_last=scope.seq_last, kind=kind,
                        min_days_open=int(min_days_open))


def registration_deadline(conn, scope, limits, now):
    rows = queries.rows("alert_deadline_branches", conn, seq=scope.seq, seq_last=scope.seq_last,
                        days_left=int(limits["days_left"]),
                        completion_below=float(limits["completion_below"]))
    out = []
    for r in rows:
        days = int(r["days_left"])
        level = (days <= 3) + (days <= 1) + (days < 0)
        out.append(_item(r, "registration_deadline", level,
                         (days, float(r["completion"])), campaign=r["campaign"],
                         deadline=r["deadline"], days_left=days, roster=int(r["roster"]),
                         approved=int(r["approved"]), completion=float(r["completion"])))
    return out


def registration_projection(conn, scope, limits, now):
    """Children of the scope projected to miss a deadline (from alert_projection, whose rows
    name their parent; Evaluator reads it once for every subscription)."""
    return [f for f in projection_by_parent(conn).get(scope.org_id, [])]


def projection_by_parent(conn) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for r in queries.rows("alert_projection", conn):
        out.setdefault(r["parent_org_id"], []).append(Finding(
            "registration_projection", f"{r['campaign']}|{r['org_id']}", 0, r["org_id"],
            r["org_name"], r["seq"],
            {"campaign": r["campaign"], "deadline": r["deadline"], "roster": int(r["roster"]),
             "approved": int(r["approved"]), "completion": float(r["completion"] or 0),
             "projected_date": r["projected_date"]},
            order=(float(r["completion"] or 0), r["seq"])))
    return out


def review_overdue(conn, scope, limits, now):
    return [_item(r, "review_overdue", _weeks(r["days_waiting"]), (-r["days_waiting"],),
                  name=r["name"],
                  id_number=r["id_number"], days_waiting=r["days_waiting"])
            for r in _items(conn, scope, "review_overdue")]


def stuck_transfer(conn, scope, limits, now):
    return [_item(r, "stuck_transfer", _weeks(r["days_waiting"]), (-r["days_waiting"],),
                  name=r["name"],
                  id_number=r["id_number"], step=r["step"], days_waiting=r["days_waiting"])
            for r in _items(conn, scope, "stuck_transfer")]


def cadre_out_of_scope(conn, scope, limits, now):
    return [_item(r, "cadre_out_of_scope", 0, name=r["name"], id_number=r["id_number"],
                  position=r["position"])
            for r in _items(conn, scope, "cadre_out_of_scope")]


def cadre_not_onboarded(conn, scope, limits, now):
    return [_item(r, "cadre_not_onboarded", 0, (-r["days_open"],), name=r["name"],
                  id_number=r["id_number"],
                  position=r["position"], days_open=r["days_open"])
            for r in _items(conn, scope, "cadre_not_onboarded", limits["days"])]


def arrears_6plus(conn, scope, limits, now):
    return [_item(r, "arrears_6plus", 0, (-r["months_unpaid"],), name=r["name"],
                  id_number=r["id_number"],
                  months_unpaid=r["months_unpaid"], amount_owed_yuan=r["amount_owed_yuan"])
            for r in _items(conn, scope, "arrears_6plus")]


def arrears_coming(conn, scope, limits, now):
    rows = queries.rows("alert_arrears_coming", conn, seq=scope.seq, seq_last=scope.seq_last)
    return [_item(r, "arrears_coming", int(r["months_unpaid"]), (-r["months_unpaid"],),
                  name=r["name"],
                  id_number=r["id_number"], months_unpaid=r["months_unpaid"],
                  amount_owed_yuan=r["amount_owed_yuan"]) for r in rows]


def no_recent_load(conn, scope, limits, now):
    info = queries.rows("load_info", conn)[0]
    age = (now - info["as_of"]).days
    if age <= limits["days"]:
        return []
    return [Finding("no_recent_load", "no_recent_load", age // max(1, int(limits["days"])),
                    scope.org_id, scope.org_name, scope.seq,
                    {"as_of": info["as_of"], "days": age})]


def load_quality(conn, scope, limits, now):
    load = queries.rows("alert_load_quality", conn)[0]
    share = (load["rows_quarantined"] / load["rows_read"]) if load["rows_read"] else 0.0
    if not load["files_skipped"] and share <= limits["quarantined_share"]:
        return []
    return [Finding("load_quality", f"load-{load['load_id']}", 0, scope.org_id, scope.org_name,
                    scope.seq, {"as_of": load["as_of"], "files_skipped": int(load["files_skipped"]),
                     "rows_read": int(load["rows_read"]),
                     "rows_quarantined": int(load["rows_quarantined"]),
                     "quarantined_share": share})]


EVALUATE = {
    "registration_deadline": registration_deadline,
    "registration_projection": registration_projection,
    "review_overdue": review_overdue,
    "stuck_transfer": stuck_transfer,
    "cadre_out_of_scope": cadre_out_of_scope,
    "cadre_not_onboarded": cadre_not_onboarded,
    "arrears_6plus": arrears_6plus,
    "arrears_coming": arrears_coming,
    "no_recent_load": no_recent_load,
    "load_quality": load_quality,
}


# Rules about the load itself: one finding, told to every subscription in its organization's name.
LOAD_WIDE = ("no_recent_load", "load_quality")


def evaluate(conn, scope: Scope, rule: Rule, limits: dict, now: dt.datetime) -> list[Finding]:
    """The rule's findings in the subtree (limits: its thresholds in force)."""
    return EVALUATE[rule.code](conn, scope, limits, now)


class Evaluator:
    """Findings for many subscriptions in one run: each rule of items is evaluated once for the
    whole tree and cut to each subtree (a range of seq), so 1,000 subscriptions cost about as
    much as one."""

    def __init__(self, conn, whole: Scope, overrides: dict, now: dt.datetime) -> None:
        self.conn, self.whole, self.overrides, self.now = conn, whole, overrides, now
        self._all: dict[str, tuple[list[int], list[Finding]]] = {}
        self._projection: dict[str, list[Finding]] | None = None
        self._load_wide: dict[str, list[Finding]] = {}

    def findings(self, scope: Scope, rule: Rule) -> list[Finding]:
        limits = rule.thresholds(self.overrides.get(rule.code))
        if rule.code == "registration_projection":
            if self._projection is None:
                self._projection = projection_by_parent(self.conn)
            return list(self._projection.get(scope.org_id, []))
        if rule.code in LOAD_WIDE:
            if rule.code not in self._load_wide:
                self._load_wide[rule.code] = evaluate(self.conn, self.whole, rule, limits,
                                                      self.now)
            return [replace(f, org_id=scope.org_id, org_name=scope.org_name, seq=scope.seq)
                    for f in self._load_wide[rule.code]]
        if rule.code not in self._all:
            found = sorted(evaluate(self.conn, self.whole, rule, limits, self.now),
                           key=lambda f: f.seq)
            self._all[rule.code] = ([f.seq for f in found], found)
        seqs, found = self._all[rule.code]
        lo, hi = bisect.bisect_left(seqs, scope.seq), bisect.bisect_right(seqs, scope.seq_last)
        return found[lo:hi]

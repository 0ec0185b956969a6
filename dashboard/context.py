"""What every page needs to know about a view: the load, the organization and the campaign."""

from __future__ import annotations

from dataclasses import dataclass, field

import queries
from dashboard.store import DataStore, NoData
from dashboard.view import View


@dataclass
class Context:
    view: View
    info: dict = field(default_factory=dict)  # load_info: as_of, load_id, root_org_id, ...
    org: dict | None = None  # org_lookup: seq, seq_last, org_id, full_name, depth, ...
    campaign: dict | None = None  # org_campaign: campaign_id, campaign, deadline, org_id
    problem: str | None = None  # no_data | org_not_found | campaign_not_found
    reveal: bool = False  # names and mobiles in full in follow-up lists (else masked)
    cache: dict = field(default_factory=dict)  # results shared by parts of one request

    @property
    def lang(self) -> str:
        return self.view.lang

    @property
    def scope(self) -> dict:
        """The organization's tree range, as the report queries take it."""
        return {"seq": self.org["seq"], "seq_last": self.org["seq_last"]}


def load_info(store: DataStore) -> dict:
    return store.cached("load_info", lambda cur: queries.rows("load_info", cur)[0])


def resolve(store: DataStore, view: View, *, reveal: bool = False) -> Context:
    """The view's organization (the first root when none is given) and campaign (the one named,
    else the latest concerning the organization, as `zhtj metrics` chooses)."""
    try:
        info = load_info(store)
    except NoData:
        return Context(view, problem="no_data")
    ctx = Context(view, info=info, reveal=reveal)
    org_id = view.org or info["root_org_id"]
    with store.cursor() as cur:
        found = queries.rows("org_lookup", cur, org_id=org_id)
        if not found:
            ctx.problem = "org_not_found"
            return ctx
        ctx.org = found[0]
        picked = queries.rows("org_campaign", cur, **ctx.scope, campaign=view.campaign)
    if picked:
        ctx.campaign = picked[0]
    elif view.campaign:
        ctx.problem = "campaign_not_found"
    return ctx

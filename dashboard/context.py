"""What every page needs to know about a view: the load, the organization and the campaign, and
who is asking. `resolve` is the one place where a request's organization is checked against the
account's scope: every page, section, grid, download and navigator callback goes through it."""

from __future__ import annotations

from dataclasses import dataclass, field

import queries
from accounts.store import Account
from dashboard import access
from dashboard.store import DataStore, NoData
from dashboard.view import View
from etl.dataset import is_demo


@dataclass
class Context:
    view: View
    info: dict = field(default_factory=dict)  # load_info: as_of, load_id, root_org_id, ...
    org: dict | None = None  # org_lookup: seq, seq_last, org_id, full_name, depth, ...
    campaign: dict | None = None  # org_campaign: campaign_id, campaign, deadline, org_id
    # no_data | org_not_found | campaign_not_found | out_of_scope | not_signed_in | home_missing
    problem: str | None = None
    reveal: bool = False  # names and mobiles in full in follow-up lists (else masked)
    cache: dict = field(default_factory=dict)  # results shared by parts of one request
    account: Account | None = None
    home: dict | None = None  # the account's organization: seq, seq_last, org_id, depth

    @property
    def lang(self) -> str:
        return self.view.lang

    @property
    def scope(self) -> dict:
        """The organization's tree range, as the report queries take it."""
        return {"seq": self.org["seq"], "seq_last": self.org["seq_last"]}

    def in_scope(self, org: dict) -> bool:
        """Whether an organization (with its seq) is inside the account's subtree."""
        return self.home is not None and self.home["seq"] <= org["seq"] <= self.home["seq_last"]

    @property
    def user(self) -> str | None:
        """The account's name (who a pack or a download is for)."""
        return self.account.name if self.account else None

    @property
    def whole_tree(self) -> bool:
        """The account sees every loaded organization (load-wide figures are then its own)."""
        return self.home is not None and self.home.get("whole_tree", False)


def load_info(store: DataStore) -> dict:
    """The published load (load_info), and is_demo: the data is the generator's, so every
    header, download and pack says 演示数据 / demo data (etl/dataset.py)."""
    return store.cached("load_info", lambda cur: {**queries.rows("load_info", cur)[0],
                                                  "is_demo": is_demo(cur)})


def home_of(store: DataStore, account: Account) -> dict | None:
    """The account's organization in the published file (None when the load lacks it); the
    local account of --no-auth has the whole tree."""
    def compute(cur):
        whole = queries.rows("tree_range", cur)[0]
        if account.org_id is None:
            return {**whole, "org_id": None, "depth": 0, "whole_tree": True}
        found = queries.rows("org_lookup", cur, org_id=account.org_id)
        if not found:
            return None
        o = found[0]
        return {"seq": o["seq"], "seq_last": o["seq_last"], "org_id": o["org_id"],
                "depth": o["depth"], "whole_tree": o["seq"] <= whole["seq"]
                and o["seq_last"] >= whole["seq_last"]}
    return store.cached(("home", account.org_id), compute)


def resolve(store: DataStore, view: View, *, account: Account | None = None,
            reveal: bool = False) -> Context:
    """The view's organization (the account's own when none is given) and campaign (the one
    named, else the latest concerning the organization, as `zhtj metrics` chooses).

    An organization outside the account's subtree is refused (problem "out_of_scope", logged and
    audited) before anything of it is read; reveal follows the account's role. `reveal` only
    matters outside a web request with no `acting_as` account (the local account's reveal)."""
    account = account or access.current(default_reveal=reveal)
    if account is None:
        access.refuse("not_signed_in", org_id=view.org)
        return Context(view, problem="not_signed_in")
    try:
        info = load_info(store)
    except NoData:
        return Context(view, problem="no_data", account=account)
    ctx = Context(view, info=info, reveal=account.reveal, account=account)
    ctx.home = home_of(store, account)
    if ctx.home is None:
        access.refuse("home_missing", org_id=account.org_id)
        ctx.problem = "home_missing"
        return ctx
    org_id = view.org or ctx.home["org_id"] or info["root_org_id"]
    with store.cursor() as cur:
        found = queries.rows("org_lookup", cur, org_id=org_id)
        if not found:
            ctx.problem = "org_not_found"
            return ctx
        if not ctx.in_scope(found[0]):
            access.refuse("out_of_scope", org_id=org_id, page=view.page)
            ctx.problem = "out_of_scope"
            return ctx
        ctx.org = found[0]
        picked = queries.rows("org_campaign", cur, **ctx.scope, campaign=view.campaign)
    if picked:
        ctx.campaign = picked[0]
    elif view.campaign:
        ctx.problem = "campaign_not_found"
    return ctx

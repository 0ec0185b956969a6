"""Scope on the server: forged callback requests for an organization outside the account's
subtree get a refusal and no data, on every callback that takes an organization; the search,
the breadcrumb and the tree stay inside the subtree; every refusal and download is audited."""

from __future__ import annotations

import json
import re

import pytest

from accounts import audit_path
from accounts.audit import AuditLog
from dashboard import access
from dashboard.view import PATHS
from tests.dashboard.secured import make_app, post_callback, sign_in

# G1 (计算机学院) is the operator's college; G2 (数学学院) is the college next door, X another
# province. Their names must never come back to the operator.
OUTSIDE = {"G2": "数学学院", "P": "共青团示例省委员会", "X": "另一省"}
REFUSAL = "无权查看该组织"


@pytest.fixture(scope="module")
def app(province_db, tmp_path_factory):
    return make_app(province_db, tmp_path_factory.mktemp("acc") / "accounts.sqlite")


@pytest.fixture()
def audit(app):
    access._REFUSALS.clear()  # each test sees its own refusals logged
    return app.server.extensions["zhtj_audit"]


@pytest.fixture(scope="module")
def operator(app):
    return sign_in(app, "cs-operator")


def _page_of(callback_key: str) -> str:
    """The page whose URL a callback is posted from (by its component id's prefix)."""
    for page in PATHS:
        if page in callback_key:
            return page
    return "overview"


def _value(cid, prop, *, org_id: str):
    if prop == "getRowsRequest":
        return {"startRow": 0, "endRow": 100}
    if prop == "n_clicks":
        return 1
    if prop == "clickData":
        return {"points": [{"customdata": org_id}]}
    if prop == "value":
        return {"nav-search": "数学", "overview-rank": "reviews_pending",
                "registration-campaign": "2024级转专业报到", "dues-month": "2024-08",
                "dues-since": "2024-03"}.get(cid, "x")
    if prop == "n_intervals":
        return 1
    return None


def forged_requests(app, org_id: str):
    """(label, output, inputs, state, changed) for every callback that reads the URL's view,
    with the URL naming org_id; a pattern-matching section callback once per section."""
    from dashboard import lazy

    out = []
    for key, cb in app.callback_map.items():
        ids = [i["id"] for i in cb["inputs"] + cb["state"]]
        if "url" not in ids:
            continue
        page = _page_of(key)
        search = f"?org={org_id}&campaign=2024级新生报到"
        url = {"pathname": PATHS[page], "search": search}
        variants = [None]
        if '"lazy"' in key:
            variants = sorted(lazy.SECTIONS)
        if '"chart-file"' in key:
            from dashboard import charts

            variants = sorted(charts.CHARTS)
        for variant in variants:
            def item(spec, variant=variant, page=page):
                cid, prop = spec["id"], spec["property"]
                if cid == "url":
                    return {"id": "url", "property": prop, "value": url[prop]}
                if cid.startswith("{"):
                    pattern = json.loads(cid)
                    concrete = {k: (variant if v == ["MATCH"] else v) for k, v in pattern.items()}
                    if ["ALL"] in pattern.values():
                        concrete = {k: ("png" if v == ["ALL"] else v) for k, v in concrete.items()}
                        return [{"id": concrete, "property": prop, "value": 1}]
                    return {"id": concrete, "property": prop,
                            "value": concrete if prop == "id" else _value(cid, prop,
                                                                          org_id=org_id)}
                return {"id": cid, "property": prop, "value": _value(cid, prop, org_id=org_id)}

            inputs = [item(i) for i in cb["inputs"]]
            state = [item(s) for s in cb["state"]]
            first = inputs[0][0] if isinstance(inputs[0], list) else inputs[0]
            fid = (json.dumps(first["id"], separators=(",", ":"), sort_keys=True)
                   if isinstance(first["id"], dict) else first["id"])
            output = key
            if variant is not None:
                output = key.replace('["MATCH"]', json.dumps(variant))
            out.append((f"{key} {variant or ''}".strip(), key, output, inputs, state,
                        [f"{fid}.{first['property']}"]))
    return out


def _post(client, key, output, inputs, state, changed):
    import tests.dashboard.secured as s

    body = {"output": key, "outputs": s.split_output(output), "inputs": inputs, "state": state,
            "changedPropIds": changed}
    return client.post("/_dash-update-component", json=body)


def test_every_callback_reading_the_view_is_covered(app):
    labels = [r[0] for r in forged_requests(app, "G2")]
    for expected in ("body.children", "registration-branches.getRowsResponse",
                     "registration-branches-download.data", "cadres-followup-download.data",
                     "quality-members.getRowsResponse", "nav-results.children"):
        assert expected in labels
    assert any("registration.summary" in x for x in labels)
    assert any("chart-file" in x for x in labels)
    assert len(labels) > 40


@pytest.mark.parametrize("org_id", sorted(OUTSIDE))
def test_forged_callbacks_for_another_organization_are_refused_without_data(
        app, operator, audit, org_id):
    """Every callback that takes the URL's organization, posted as the browser would with the
    organization of another college, another level or another province: no data of it, a
    refusal on screen where the callback draws one, and a refusal in the audit log."""
    for label, key, output, inputs, state, changed in forged_requests(app, org_id):
        access._REFUSALS.clear()
        before = audit.count()
        r = _post(operator, key, output, inputs, state, changed)
        body = r.get_data(as_text=True)
        assert r.status_code in (200, 204), (label, r.status_code, body[:300])
        decoded = body.encode().decode("unicode_escape", errors="ignore") if body else ""
        for name in OUTSIDE.values():
            assert name not in body and name not in decoded, (label, name, body[:500])
        if r.status_code == 200:
            assert '"rowData": [{' not in body and '"rowData":[{' not in body, label
            assert '"content"' not in body and '"base64"' not in body, label  # no file
        if key == "body.children" or '"lazy"' in key:
            assert REFUSAL in decoded, (label, body[:300])
        if key != "nav-results.children":
            refusals = [e for e in audit.entries(limit=5) if e["action"] == "refusal"]
            assert audit.count() > before and refusals, label
            assert refusals[0]["actor"] == "cs-operator" and refusals[0]["org_id"] == org_id


def test_the_refusal_is_clear_in_both_languages(app, operator, audit):
    body = _post(operator, "body.children", "body.children",
                 [{"id": "url", "property": "pathname", "value": "/"},
                  {"id": "url", "property": "search", "value": "?org=G2&lang=en"}], [],
                 ["url.search"]).get_json()
    text = json.dumps(body, ensure_ascii=False)
    assert "You may not view this organization" in text
    assert "recorded in the audit log" in text


def test_a_tampered_page_url_is_refused_by_the_frame(app, operator, audit):
    r = operator.get("/registration?org=G2")
    assert r.status_code == 200  # Dash's index: the frame's callback then refuses
    body = _post(operator, "body.children", "body.children",
                 [{"id": "url", "property": "pathname", "value": "/registration"},
                  {"id": "url", "property": "search", "value": "?org=G2&x=1"}], [],
                 ["url.search"]).get_data(as_text=True)
    assert REFUSAL in body.encode().decode("unicode_escape")
    entry = audit.entries(limit=1)[0]
    assert (entry["action"], entry["org_id"], entry["detail"]["reason"]) == (
        "refusal", "G2", "out_of_scope")


def _frame(client, search: str) -> str:
    r = _post(client, "body.children", "body.children",
              [{"id": "url", "property": "pathname", "value": "/registration"},
               {"id": "url", "property": "search", "value": search}], [], ["url.search"])
    return r.get_data(as_text=True).encode().decode("unicode_escape")


def test_the_default_view_is_the_account_organization_and_the_breadcrumb_stops_there(
        app, operator):
    body = _frame(operator, "")
    crumbs = body[body.index('"breadcrumb"') - 2000:body.index('"breadcrumb"')]
    assert "计算机学院" in body and REFUSAL not in body
    assert "共青团示例省委员会" not in body and "共青团某大学委员会" not in body
    assert "org=U" not in crumbs and "org=P" not in crumbs
    inside = _frame(operator, "?org=B11")
    assert "计算机学院2024级1班团支部" in inside and "org=U" not in inside


def test_search_finds_only_inside_the_subtree(app, operator):
    def search(text):
        r = _post(operator, "nav-results.children", "nav-results.children",
                  [{"id": "nav-search", "property": "value", "value": text}],
                  [{"id": "url", "property": "pathname", "value": "/"},
                   {"id": "url", "property": "search", "value": ""}],
                  ["nav-search.value"])
        return r.get_data(as_text=True).encode().decode("unicode_escape")

    assert "org=B11" in search("2024级") and "org=B21" not in search("2024级")
    assert "org=G2" not in search("sx") and "org=X" not in search("另一")


def test_the_tree_centre_goes_no_higher_than_the_account_organization(app, operator, audit):
    def click(org_id, search="?org=G1"):
        return _post(operator, next(k for k in app.callback_map if k.startswith("url.search@")
                                    and app.callback_map[k]["inputs"][0]["id"] == "nav-tree"),
                     "url.search", [{"id": "nav-tree", "property": "clickData",
                                     "value": {"points": [{"customdata": org_id}]}}],
                     [{"id": "url", "property": "pathname", "value": "/"},
                      {"id": "url", "property": "search", "value": search}],
                     ["nav-tree.clickData"])

    def target(response):
        return (response.get_json() or {}).get("response", {}) if response.data else {}

    assert target(click("G1")) == {}  # the centre of the operator's own college: no higher
    assert "org=B11" in json.dumps(target(click("B11")))
    assert target(click("U")) == {}
    assert audit.entries(limit=1)[0]["detail"]["where"] == "tree_click"


def test_unknown_parameters_and_bad_grid_requests_are_ignored(app, operator):
    r = _post(operator, "registration-branches.getRowsResponse",
              "registration-branches.getRowsResponse",
              [{"id": "registration-branches", "property": "getRowsRequest",
                "value": {"startRow": "x; drop", "endRow": -5, "sortModel": ["bad"],
                          "filterModel": [1]}}],
              [{"id": "url", "property": "pathname", "value": "/registration"},
               {"id": "url", "property": "search",
                "value": "?org=G1&campaign=2024级新生报到&evil=1&org2=P"}],
              ["registration-branches.getRowsRequest"])
    assert r.status_code == 200
    rows = r.get_json()["response"]["registration-branches"]["getRowsResponse"]
    assert rows["rowCount"] == 2  # G1's two branches only


def _download(client, grid: str, page: str, search: str, fmt: str = "csv"):
    return _post(client, f"{grid}-download.data", f"{grid}-download.data",
                 [{"id": f"{grid}-csv", "property": "n_clicks", "value": 1},
                  {"id": f"{grid}-xlsx", "property": "n_clicks", "value": None}],
                 [{"id": grid, "property": "getRowsRequest", "value": None},
                  {"id": "url", "property": "pathname", "value": page},
                  {"id": "url", "property": "search", "value": search}],
                 [f"{grid}-{fmt}.n_clicks"])


def _csv(response) -> str:
    return response.get_json()["response"][response.get_json()["response"].__iter__().__next__()
                                           ]["data"]["content"]


def test_a_download_is_in_the_audit_log(app, operator, audit):
    r = _download(operator, "cadres-followup", "/cadres", "?org=G1")
    assert r.status_code == 200 and "团干部整改清单" in r.get_data(as_text=True).encode(
        ).decode("unicode_escape")
    entry = audit.entries(limit=1)[0]
    assert entry["action"] == "download" and entry["actor"] == "cs-operator"
    assert entry["org_id"] == "G1" and entry["actor_org_id"] == "G1"
    assert entry["detail"]["what"] == "cadres-followup" and entry["detail"]["format"] == "csv"
    assert entry["detail"]["rows"] >= 1 and entry["client"] == "127.0.0.1"
    assert re.match(r"\d{4}-\d\d-\d\dT", entry["at"])


@pytest.mark.parametrize("account, names_in_full", [("cs-operator", True), ("b11-viewer", False),
                                                    ("prov-admin", True)])
def test_masking_follows_the_role_on_screen_and_in_files(app, account, names_in_full):
    """viewer: names masked; operator and admin: names in full in follow-up lists; ID numbers
    masked for everyone, on screen and in every download."""
    client = sign_in(app, account)
    r = _post(client, "cadres-followup.getRowsResponse", "cadres-followup.getRowsResponse",
              [{"id": "cadres-followup", "property": "getRowsRequest",
                "value": {"startRow": 0, "endRow": 100}}],
              [{"id": "url", "property": "pathname", "value": "/cadres"},
               {"id": "url", "property": "search", "value": "?org=B11"}],
              ["cadres-followup.getRowsRequest"])
    rows = r.get_json()["response"]["cadres-followup"]["getRowsResponse"]["rowData"]
    named = [row["name"] for row in rows if row["name"]]
    assert named and all(("*" not in n) == names_in_full for n in named)
    assert all(row["id_number"] == "" or "*" in row["id_number"] for row in rows)
    csv_text = _download(client, "cadres-followup", "/cadres", "?org=B11").get_json()
    content = csv_text["response"]["cadres-followup-download"]["data"]["content"]
    assert ("c6" in content) == names_in_full and ("c*" in content) != names_in_full
    assert not re.search(r"\d{17}[\dX]", content)  # no full ID number anywhere
    xlsx = _download(client, "cadres-followup", "/cadres", "?org=B11", "xlsx").get_json()
    assert xlsx["response"]["cadres-followup-download"]["data"]["filename"].endswith(".xlsx")


def test_a_subtree_account_does_not_see_the_load_wide_quarantine(app, operator, audit):
    body = _frame(operator, "?org=G1").replace("/registration", "")
    r = _post(operator, "body.children", "body.children",
              [{"id": "url", "property": "pathname", "value": "/quality"},
               {"id": "url", "property": "search", "value": "?org=G1"}], [], ["url.search"])
    text = r.get_data(as_text=True).encode().decode("unicode_escape")
    assert "quality-load-wide-only" in text and "quality-quarantine" not in text
    rows = _post(operator, "quality-quarantine.getRowsResponse",
                 "quality-quarantine.getRowsResponse",
                 [{"id": "quality-quarantine", "property": "getRowsRequest",
                   "value": {"startRow": 0, "endRow": 100}}],
                 [{"id": "url", "property": "pathname", "value": "/quality"},
                  {"id": "url", "property": "search", "value": "?org=G1"}],
                 ["quality-quarantine.getRowsRequest"]).get_json()
    assert rows["response"]["quality-quarantine"]["getRowsResponse"] == {"rowData": [],
                                                                        "rowCount": 0}
    assert body


def test_another_accounts_pack_cannot_be_fetched(app, operator, audit):
    from exports.jobs import Job

    jobs = app.server.extensions["zhtj_pack_jobs"]
    job = Job("someone-elses-job", "x", "zh", owner="prov-admin", state="done",
              files={"xlsx": ("pack.xlsx", b"PK secret")})
    jobs._jobs[job.id] = job
    r = operator.get(f"/_pack/{job.id}/xlsx")
    assert r.status_code == 404 and b"secret" not in r.data
    assert audit.entries(limit=1)[0]["detail"]["reason"] == "not_owner"
    admin = sign_in(app, "prov-admin")
    assert admin.get(f"/_pack/{job.id}/xlsx").data == b"PK secret"


def test_the_audit_log_refuses_changes(app):
    import sqlite3

    path = audit_path(app.server.extensions["zhtj_accounts"].path)
    AuditLog(path).record("logout", actor="x")
    conn = sqlite3.connect(path)
    for statement in ("update audit set actor = 'y'", "delete from audit"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(statement)
    conn.close()


def test_chart_exports_and_packs_are_audited_through_the_exports_hook(store, tmp_path):
    """exports/audit.py's hook (accounts.audit.record) writes a download or pack entry by the
    account the export is made for."""
    from accounts.store import Account
    from dashboard import context
    from dashboard.view import View
    from exports import audit as exports_audit

    log = AuditLog(tmp_path / "audit.sqlite")
    operator = Account("cs-operator", "G1", "operator")
    with access.acting_as(operator, log, client="10.1.2.3"):
        ctx = context.resolve(store, View(org="B11"))
        exports_audit.record("chart_download", ctx, chart="registration-curve", format="png")
        exports_audit.record("pack_build", ctx, formats=["pdf", "xlsx"])
    pack, chart = log.entries()
    assert (chart["action"], chart["actor"], chart["org_id"], chart["client"]) == (
        "download", "cs-operator", "B11", "10.1.2.3")
    assert chart["detail"]["chart"] == "registration-curve" and chart["detail"]["format"] == "png"
    assert pack["action"] == "pack" and pack["detail"]["formats"] == ["pdf", "xlsx"]


def test_every_grid_takes_reveal_from_the_request():
    """Each page's list (a `*_spec()` of dashboard/pages, one added later too) is built without
    a reveal of its own: its present(frame, lang, *, reveal) is given the account's."""
    import inspect

    from dashboard import grids
    from dashboard.pages import PAGES

    specs = [getattr(module, name)() for module in PAGES.values() for name in dir(module)
             if name.endswith("_spec") and callable(getattr(module, name))]
    assert len(specs) >= 8
    for spec in specs:
        assert isinstance(spec, grids.GridSpec)
        assert "reveal" in inspect.signature(spec.present).parameters, spec.grid_id

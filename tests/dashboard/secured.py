"""The app with sign-in on the hand-written province, accounts at three levels, and helpers to
sign in and to post callback requests the way the browser does (or a forger would)."""

from __future__ import annotations

import json

from accounts.store import AccountStore

PASSWORD = "correct horse 1"
# account -> (organization, role)
ACCOUNTS = {"prov-admin": ("P", "admin"), "cs-operator": ("G1", "operator"),
            "b11-viewer": ("B11", "viewer"), "math-admin": ("G2", "admin")}


def make_app(db, accounts_path, **settings):
    from dashboard.app import Settings, create_app

    store = AccountStore(accounts_path)
    for name, (org, role) in ACCOUNTS.items():
        if store.get(name) is None:
            store.add(name, org, role, PASSWORD)
    return create_app(Settings(db=db, accounts=accounts_path, **settings))


def sign_in(app, name: str, password: str = PASSWORD):
    client = app.server.test_client()
    r = client.post("/login", data={"name": name, "password": password, "next": "/"})
    assert r.status_code == 302, r.get_data(as_text=True)
    return client


def split_output(output: str) -> list[dict] | dict:
    """callback_map's output key as the renderer sends `outputs` (one dict, or a list)."""
    def one(part: str) -> dict:
        cid, prop = part.rsplit(".", 1) if not part.startswith("{") else (
            part[:part.rindex("}") + 1], part[part.rindex("}") + 2:])
        return {"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop}

    if output.startswith(".."):
        return [one(p) for p in output[2:-2].split("...")]
    return one(output)


def post_callback(client, output: str, inputs: list, state: list, changed: list[str]):
    body = {"output": output, "outputs": split_output(output), "inputs": inputs,
            "state": state, "changedPropIds": changed}
    return client.post("/_dash-update-component", json=body)

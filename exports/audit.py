"""The one place exports report what was exported, by whom, for which organization.

Chart downloads and pack builds call `record`. The accounts package's hook
(`accounts.audit.record(event, **fields)`) writes it to the server's audit log as the current
account (a pack built in the background runs `access.acting_as` the account that asked); without
that package, entries go to the `zhtj.exports` logger.
"""

from __future__ import annotations

import logging

log = logging.getLogger("zhtj.exports")


def record(event: str, ctx, **details) -> None:
    """Record one export event (`chart_download`, `pack_build`) for the view's organization."""
    account = getattr(ctx, "account", None)
    fields = {"org_id": (ctx.org or {}).get("org_id") if ctx is not None else None,
              "user": getattr(account, "name", None), **details}
    try:
        from accounts import audit as accounts_audit  # provided by the accounts package
    except ImportError:
        accounts_audit = None
    hook = getattr(accounts_audit, "record", None)
    if callable(hook):
        try:
            hook(event, **fields)
            return
        except Exception:  # noqa: BLE001 - an audit failure must not lose the user's file
            log.exception("audit hook failed for %s", event)
    log.info("%s %s", event, fields)

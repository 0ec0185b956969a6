"""Who is asking: the signed-in account of the request (or of a test), its audit log, and the
checks every data-reading path makes through `context.resolve`."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Iterator

from accounts.store import Account

log = logging.getLogger("zhtj.access")


def local_account(reveal: bool = False) -> Account:
    """The local account of `zhtj serve --no-auth` (and of work outside the server): the whole
    loaded tree; names and mobiles in full only with reveal (--reveal-contacts)."""
    return Account(name="local", org_id=None, role="operator" if reveal else "viewer")


_acting: contextvars.ContextVar = contextvars.ContextVar("zhtj_account", default=None)
_audit: contextvars.ContextVar = contextvars.ContextVar("zhtj_audit", default=None)
_client: contextvars.ContextVar = contextvars.ContextVar("zhtj_client", default=None)


@contextlib.contextmanager
def acting_as(account: Account | None, audit=None, *, client: str | None = None
              ) -> Iterator[None]:
    """Outside a web request (tests, benchmarks, reports, a pack built on a pool thread): act as
    this account, recording to this audit log (None: not recorded)."""
    a, b, c = _acting.set(account), _audit.set(audit), _client.set(client)
    try:
        yield
    finally:
        _acting.reset(a)
        _audit.reset(b)
        _client.reset(c)


def _request():
    try:
        from flask import g, has_request_context, request
    except ImportError:  # pragma: no cover
        return None, None
    if not has_request_context():
        return None, None
    return g, request


def current(*, default_reveal: bool = False) -> Account | None:
    """The account of this web request (set by dashboard.auth's gate; None when nobody signed
    in). Outside a web request (tests, benchmarks, `zhtj report`): the `acting_as` account, else
    the local account of the whole tree with default_reveal."""
    g, _ = _request()
    if g is not None:
        return getattr(g, "account", None)
    return _acting.get() or local_account(default_reveal)


def client() -> str | None:
    _, request = _request()
    return request.remote_addr if request is not None else _client.get()


def audit_log():
    g, _ = _request()
    if g is not None:
        from flask import current_app

        found = current_app.extensions.get("zhtj_audit")
        if found is not None:
            return found
    return _audit.get()


def record(action: str, *, org_id: str | None = None, **detail) -> None:
    """An audit entry by the current account (nothing when no audit log is configured)."""
    sink = audit_log()
    account = current()
    if sink is None:
        return
    sink.record(action, actor=account.name if account else None,
                actor_org_id=account.org_id if account else None, client=client(),
                org_id=org_id, **detail)


# A page view asks for one organization in a dozen requests (frame, sections, grids): a refusal is
# logged once a minute per account, client and target, not a dozen times.
_REFUSALS: dict[tuple, float] = {}
_REFUSALS_LOCK = threading.Lock()
REFUSAL_REPEAT_SECONDS = 60.0


def refuse(reason: str, *, org_id: str | None = None, **detail) -> None:
    """Log and audit a refused request (an organization outside the account's scope, ...)."""
    account = current()
    key = (account.name if account else None, client(), reason, org_id,
           tuple(sorted(detail.items())))
    now = time.monotonic()
    with _REFUSALS_LOCK:
        if now - _REFUSALS.get(key, -1e9) < REFUSAL_REPEAT_SECONDS:
            return
        _REFUSALS[key] = now
        if len(_REFUSALS) > 10_000:
            _REFUSALS.clear()
    log.warning("refused %s: account=%s client=%s org=%s %s", reason,
                account.name if account else None, client(), org_id, detail)
    record("refusal", org_id=org_id, reason=reason, **detail)


def audit_download(ctx, *, what: str, fmt: str, rows: int | None = None, **detail) -> None:
    """Every file a user takes away (a list, a chart, a pack) is in the audit log: call this with
    the request's resolved context."""
    record("download", org_id=ctx.org["org_id"] if ctx.org else None, what=what, format=fmt,
           rows=rows, reveal=ctx.reveal, lang=ctx.lang, **detail)

"""`python -m bench.notify --db PATH [--subscriptions 1000]`: `zhtj notify --dry-run` for many
subscriptions on a loaded province: an admin of the root owns them, each on another organization
(the largest subtrees first, levels 1 to 3), every rule, one channel. Prints the time."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from notify.rules import RULES


def setup(db: Path, folder: Path, count: int) -> tuple[Path, Path]:
    import duckdb

    from accounts.store import AccountStore
    from notify.subscriptions import Subscriptions, default_path

    with duckdb.connect(str(db), read_only=True) as con:
        root = con.execute("select org_id from org_tree where depth = 0 "
                           "order by seq_last - seq desc limit 1").fetchone()[0]
        orgs = [r[0] for r in con.execute(
            "select org_id from org_tree where depth between 1 and 3 "
            "order by seq_last - seq desc, seq limit ?", [count]).fetchall()]
    accounts = folder / "accounts.sqlite"
    AccountStore(accounts).add("bench-admin", root, "admin", "correct horse 1")
    subs = Subscriptions(default_path(accounts))
    for org in orgs:
        subs.add(owner="bench-admin", org_id=org, rules=[r.code for r in RULES], channel="group")
    settings = folder / "settings.toml"
    settings.write_text('[notify]\npublic_url = "https://zhtj.example.org"\n'
                        '[notify.channels.group]\nkind = "webhook"\n'
                        'url = "http://127.0.0.1:9/hook"\n', encoding="utf-8")
    return accounts, settings


def measure(db: Path, count: int = 1000) -> str:
    """One Markdown table row: the dry run's time for `count` subscriptions."""
    from notify.run import NotifySettings, run

    with tempfile.TemporaryDirectory(prefix="zhtj-bench-notify-") as tmp:
        accounts, settings = setup(db, Path(tmp), count)
        lines: list[str] = []
        started = time.perf_counter()
        outcome = run(NotifySettings(db=db, accounts=accounts, settings_file=settings,
                                     dry_run=True), out=lines.append)
        seconds = time.perf_counter() - started
    messages = sum(1 for e in outcome.evaluated if e.message is not None)
    findings = sum(len(e.findings) for e in outcome.evaluated)
    return (f"| `zhtj notify --dry-run`, {len(outcome.evaluated):,} subscriptions, "
            f"{len(RULES)} rules each ({findings:,} findings, {messages:,} digests) | "
            f"{seconds:.1f} s | target < 60 s |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.notify", description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--subscriptions", type=int, default=1000)
    args = parser.parse_args(argv)
    print(measure(args.db, args.subscriptions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`zhtj user ...`: add, list, disable, enable, passwd and the demo accounts."""

from __future__ import annotations

import io

import pytest

import queries
from accounts.audit import AuditLog
from accounts.store import AccountStore
from etl.cli import main
from etl.metrics import connect


def run(monkeypatch, capsys, *args, stdin: str = ""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_user_commands_manage_accounts(tmp_path, monkeypatch, capsys, province_db):
    acc = str(tmp_path / "accounts.sqlite")
    code, out, _ = run(monkeypatch, capsys, "user", "add", "li", "--org", "G1", "--role",
                       "operator", "--accounts", acc, "--db", str(province_db),
                       "--password-stdin", stdin="first-password\n")
    assert code == 0 and "某大学计算机学院团总支" in out and "已创建账号 / created account" in out
    code, _, err = run(monkeypatch, capsys, "user", "add", "wang", "--org", "NOPE", "--role",
                       "viewer", "--accounts", acc, "--db", str(province_db),
                       "--password-stdin", stdin="first-password\n")
    assert code == 2 and "no such organization" in err
    code, out, _ = run(monkeypatch, capsys, "user", "list", "--accounts", acc)
    assert "li" in out and "operator" in out and "G1" in out
    assert run(monkeypatch, capsys, "user", "disable", "li", "--accounts", acc)[0] == 0
    assert not AccountStore(tmp_path / "accounts.sqlite").get("li").is_active
    assert run(monkeypatch, capsys, "user", "enable", "li", "--accounts", acc)[0] == 0
    code, out, _ = run(monkeypatch, capsys, "user", "passwd", "li", "--accounts", acc,
                       "--password-stdin", stdin="second-password\n")
    assert code == 0
    assert AccountStore(tmp_path / "accounts.sqlite").verify("li", "second-password")
    code, _, err = run(monkeypatch, capsys, "user", "passwd", "li", "--accounts", acc,
                       "--password-stdin", stdin="short\n")
    assert code == 2 and "at least 8" in err
    actions = [e["action"] for e in AuditLog(tmp_path / "audit.sqlite").entries()]
    assert actions == ["password_reset", "account_enable", "account_disable", "account_add"]


def test_accounts_default_to_the_database_folder(tmp_path, monkeypatch, capsys, province_db):
    code, out, _ = run(monkeypatch, capsys, "user", "add", "zhao", "--org", "P", "--role",
                       "admin", "--db", str(province_db), "--password-stdin",
                       stdin="first-password\n")
    assert code == 0 and str(province_db.parent / "accounts.sqlite") in out


def test_demo_accounts_pick_a_province_a_college_and_a_branch(province_db):
    with connect(province_db) as conn:
        picked = queries.rows("demo_account_orgs", conn)
    assert [(r["role"], r["org_id"]) for r in picked] == [
        ("admin", "P"), ("operator", "G1"), ("viewer", "B11")]


def test_user_demo_creates_them_and_prints_their_passwords(tmp_path, monkeypatch, capsys,
                                                           province_db):
    acc = str(tmp_path / "accounts.sqlite")
    code, out, _ = run(monkeypatch, capsys, "user", "demo", "--db", str(province_db),
                       "--accounts", acc)
    assert code == 0
    lines = [line.split() for line in out.splitlines()[1:]]
    assert [(line[0], line[1]) for line in lines] == [
        ("admin", "demo-province-admin"), ("operator", "demo-college-operator"),
        ("viewer", "demo-branch-viewer")]
    store = AccountStore(tmp_path / "accounts.sqlite")
    assert store.verify("demo-college-operator", lines[1][3]).org_id == "G1"
    # Again: the same accounts, new passwords.
    code, out2, _ = run(monkeypatch, capsys, "user", "demo", "--db", str(province_db),
                        "--accounts", acc)
    assert code == 0 and len(store.all()) == 3 and out2 != out


@pytest.fixture(scope="module")
def province_db(tmp_path_factory):
    import datetime as dt

    from tests.queries import province

    db = tmp_path_factory.mktemp("cli") / "zhtj.duckdb"
    province.build_db(db, province.DATA, as_of=dt.datetime(2024, 10, 8, 12))
    return db

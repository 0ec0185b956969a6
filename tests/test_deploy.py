"""deploy/: the pieces agree (the dashboard on 127.0.0.1:8050 believes the nginx site's
X-Forwarded-For/-Proto; the nightly script calls zhtj with real options, loads before it builds
packs), the systemd units pass `systemd-analyze verify` and the nginx site `nginx -t`, each where
the tool is installed."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = ("zhtj.service", "zhtj-nightly.service", "zhtj-nightly.timer")
SITE = DEPLOY / "nginx-zhtj.conf"
# What the units run once installed (README, "Deploy"): absent on a development machine.
INSTALLED = ("/opt/zhtj/bin/zhtj", "/usr/local/bin/zhtj-nightly")


def directives(name: str) -> dict[str, list[str]]:
    """A unit file's Key=value lines (every value of a repeated key, sections ignored)."""
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


def site_text() -> str:
    """The nginx site without its comments."""
    return "\n".join(line.split("#", 1)[0] for line in SITE.read_text(encoding="utf-8")
                     .splitlines())


def serve_args():
    (exec_start,) = directives("zhtj.service")["ExecStart"]
    argv = shlex.split(exec_start)
    assert argv[0] == "/opt/zhtj/bin/zhtj"
    return build_parser().parse_args(argv[1:]), exec_start


def test_the_dashboard_unit_serves_on_localhost_and_believes_the_proxy_there():
    args, exec_start = serve_args()
    assert "--trusted-proxy 127.0.0.1" in exec_start
    assert (args.command, args.host, args.port) == ("serve", "127.0.0.1", 8050)
    assert args.trusted_proxy == ["127.0.0.1"] and not args.no_auth
    assert str(args.db) == "/var/lib/zhtj/zhtj.duckdb"
    unit = directives("zhtj.service")
    assert unit["User"] == ["zhtj"] and unit["Restart"] == ["on-failure"]
    assert unit["NoNewPrivileges"] == ["yes"] and unit["ProtectSystem"] == ["strict"]
    assert str(args.db.parent) in unit["ReadWritePaths"][0].split()
    assert unit["WantedBy"] == ["multi-user.target"]


def test_the_nightly_units_run_the_script_as_zhtj_on_a_timer():
    service, timer = directives("zhtj-nightly.service"), directives("zhtj-nightly.timer")
    assert service["Type"] == ["oneshot"] and service["User"] == ["zhtj"]
    assert service["ExecStart"] == ["/usr/local/bin/zhtj-nightly"]
    writable = service["ReadWritePaths"][0].split()
    assert "/var/lib/zhtj" in writable and "/srv/zhtj/packs" in writable
    assert timer["Unit"] == ["zhtj-nightly.service"] and timer["OnCalendar"]
    assert timer["WantedBy"] == ["timers.target"]


def test_the_nginx_site_forwards_the_client_and_its_scheme_to_the_dashboard():
    text = site_text()
    args, _ = serve_args()
    forwarded_for = r"\$(remote_addr|proxy_add_x_forwarded_for)"
    assert re.search(rf"proxy_set_header\s+X-Forwarded-For\s+{forwarded_for};", text)
    assert re.search(r"proxy_set_header\s+X-Forwarded-Proto\s+\$scheme;", text)
    assert re.search(r"proxy_set_header\s+Host\s+\$host;", text)
    assert re.search(rf"server\s+{re.escape(args.host)}:{args.port};", text)  # the upstream
    assert re.search(r"return\s+301\s+https://", text)  # plain http only redirects
    assert re.search(r"listen\s+443\s+ssl", text)
    assert re.search(r"client_max_body_size\s+1g;", text)
    assert re.search(r"proxy_read_timeout\s+300s;", text)


FAKE_ZHTJ = """#!{python}
import json, os, sys
with open(os.environ["FAKE_LOG"], "a") as f:
    f.write(json.dumps(sys.argv[1:]) + "\\n")
sys.exit(int(os.environ.get("FAKE_EXIT_" + sys.argv[1], "0")))
"""


def run_nightly(tmp_path: Path, **env) -> tuple[subprocess.CompletedProcess, list[list[str]]]:
    """deploy/zhtj-nightly.sh with a zhtj that records its arguments (and exits as told)."""
    fake, log = tmp_path / "zhtj", tmp_path / "calls.jsonl"
    fake.write_text(FAKE_ZHTJ.format(python=sys.executable))
    fake.chmod(0o755)
    log.unlink(missing_ok=True)
    done = subprocess.run(
        ["sh", str(DEPLOY / "zhtj-nightly.sh")], capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "FAKE_LOG": str(log),
             "ZHTJ": str(fake), "ZHTJ_DB": str(tmp_path / "db" / "zhtj.duckdb"),
             "ZHTJ_DROP": str(tmp_path / "drop"), "ZHTJ_SETTINGS": str(tmp_path / "s.toml"),
             "ZHTJ_PACKS": str(tmp_path / "packs"), **env})
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return done, calls


def test_the_nightly_script_loads_the_drop_folder_then_builds_the_packs(tmp_path):
    old = tmp_path / "packs" / "2000-01-01"
    other = tmp_path / "packs" / "keep-me"
    for folder in (old, other):
        folder.mkdir(parents=True)
        os.utime(folder, (time.time() - 90 * 86400,) * 2)
    done, calls = run_nightly(tmp_path, ZHTJ_PACK_ORGS="P r-xQ/Ir+w==", ZHTJ_PACK_LANG="en",
                              ZHTJ_ETL_ARGS="--allow-skipped")
    assert done.returncode == 0, done.stderr
    assert [c[0] for c in calls] == ["etl", "report", "report"]
    parsed = [build_parser().parse_args(c) for c in calls]  # real options only
    etl = parsed[0]
    assert etl.source == tmp_path / "drop" and etl.db == tmp_path / "db" / "zhtj.duckdb"
    assert etl.settings == tmp_path / "s.toml" and etl.allow_skipped
    day = time.strftime("%Y-%m-%d")
    # Organization ids may hold "/" (demo ids are base64): never a folder in a file name.
    for org, name, report in zip(("P", "r-xQ/Ir+w=="), ("P", "r-xQ_Ir_w__"), parsed[1:]):
        assert (report.org, report.lang, report.db) == (org, "en", etl.db)
        assert report.out == [tmp_path / "packs" / day / f"{name}.{ext}"
                              for ext in ("pdf", "pptx", "xlsx")]
    assert (tmp_path / "packs" / day).is_dir()
    assert not old.exists() and other.exists()  # only a night's folder is cleared, when old


def test_a_failed_load_builds_no_packs_and_fails_the_run(tmp_path):
    done, calls = run_nightly(tmp_path, ZHTJ_PACK_ORGS="P", FAKE_EXIT_etl="2")
    assert done.returncode != 0 and [c[0] for c in calls] == ["etl"]
    done, calls = run_nightly(tmp_path, ZHTJ_PACK_ORGS="P G1", FAKE_EXIT_report="1")
    assert done.returncode == 1 and [c[0] for c in calls] == ["etl", "report", "report"]
    assert "meeting pack of P failed" in done.stderr
    done, calls = run_nightly(tmp_path)
    assert done.returncode == 0 and [c[0] for c in calls] == ["etl"]


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed here")
    probe = tmp_path / "probe.service"
    probe.write_text("[Service]\nExecStart=/bin/true\n")
    tried = subprocess.run([tool, "verify", str(probe)], capture_output=True, text=True,
                           timeout=60)
    if tried.returncode != 0:
        pytest.skip(f"systemd-analyze verify cannot run here: {tried.stderr.strip()}")
    probe.unlink()
    # Copies whose commands exist on this machine (verify checks that they do).
    stand_in = shutil.which("true") or "/bin/true"
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        for path in INSTALLED:
            text = text.replace(path, stand_in)
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run([tool, "verify", *(str(tmp_path / n) for n in UNITS)],
                          capture_output=True, text=True, timeout=60)
    ours = [line for line in done.stderr.splitlines()
            if str(tmp_path) in line or any(n in line for n in UNITS)]
    assert done.returncode == 0 and not ours, done.stderr  # unknown keys are only warnings


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)
    if nginx is None:
        pytest.skip("nginx is not installed here (apt-get install nginx-light)")
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed here: no certificate for the site's test")
    cert, key = tmp_path / "zhtj.crt", tmp_path / "zhtj.key"
    made = subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    site = SITE.read_text(encoding="utf-8")
    site, n_cert = re.subn(r"(ssl_certificate\s+)\S+;", rf"\g<1>{cert};", site)
    site, n_key = re.subn(r"(ssl_certificate_key\s+)\S+;", rf"\g<1>{key};", site)
    assert (n_cert, n_key) == (1, 1)
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(f"    {kind}_temp_path {tmp_path / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""worker_processes 1;
pid {tmp_path / 'nginx.pid'};
error_log {tmp_path / 'error.log'};
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp}
    include {tmp_path / 'site.conf'};
}}
""", encoding="utf-8")
    done = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "test is successful" in done.stderr, done.stderr

"""Secrets: an owner-only file or the environment, masked for display, never in a message."""

import os

import pytest

from notify import ConfigError, SecretsFileError, load_secrets, mask, parse_channels
from notify.credentials import Secrets, env_name

SECRETS_TOML = """
[channels.college-wecom]
key = "693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa"
[channels.college-dingtalk]
access_token = "98975521a1b23c02cdd1a9a08c69511d"
secret = "SEC19dd84be8c7f3cf71761974f1ed3ef77"
[channels.mail]
password = "Sup3r-Secret-Passw0rd"
"""


def write(path, text, mode):
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o602])
def test_a_secrets_file_others_may_read_is_refused_in_both_languages(tmp_path, mode):
    """Any group or other permission bit: refused, the message in Chinese and English, naming
    the file and the fix but no secret."""
    path = write(tmp_path / "secrets.toml", SECRETS_TOML, mode)
    with pytest.raises(SecretsFileError) as err:
        load_secrets(path, environ={})
    message = str(err.value)
    assert "权限" in message and "owner-only" in message and "chmod 600" in message
    assert "693a91f6" not in message and "Passw0rd" not in message


def test_an_owner_only_file_is_read(tmp_path):
    secrets = load_secrets(write(tmp_path / "s.toml", SECRETS_TOML, 0o600), environ={})
    assert secrets.for_channel("college-dingtalk") == {
        "access_token": "98975521a1b23c02cdd1a9a08c69511d",
        "secret": "SEC19dd84be8c7f3cf71761974f1ed3ef77"}
    assert secrets.for_channel("nobody") == {}


def test_the_environment_overrides_the_file(tmp_path):
    """ZHTJ_NOTIFY_<CHANNEL>__<FIELD>, the name in capitals with "-" as "_"."""
    assert env_name("college-wecom", "key") == "ZHTJ_NOTIFY_COLLEGE_WECOM__KEY"
    env = {"ZHTJ_NOTIFY_COLLEGE_WECOM__KEY": "from-the-environment-0001",
           "ZHTJ_NOTIFY_OPS__URL": "https://example.org/hook?token=abcdef123456"}
    secrets = load_secrets(write(tmp_path / "s.toml", SECRETS_TOML, 0o600), environ=env)
    assert secrets.for_channel("college-wecom") == {"key": "from-the-environment-0001"}
    assert secrets.for_channel("ops") == {"url": "https://example.org/hook?token=abcdef123456"}
    assert load_secrets(None, environ=env).for_channel("ops")["url"].endswith("abcdef123456")


def test_bad_toml_is_refused_without_quoting_the_line(tmp_path):
    path = write(tmp_path / "s.toml", '[channels.x]\nkey = "abcdefgh-secret-value\n', 0o600)
    with pytest.raises(SecretsFileError) as err:
        load_secrets(path, environ={})
    assert "secret-value" not in str(err.value) and "TOML" in str(err.value)


def test_unknown_keys_in_the_secrets_file_are_refused(tmp_path):
    path = write(tmp_path / "s.toml", '[channels.x]\npasswd = "abcdefgh"\n', 0o600)
    with pytest.raises(SecretsFileError, match="passwd"):
        load_secrets(path, environ={})


@pytest.mark.parametrize("value, shown", [
    ("abcdefghijklmnwxyz", "abc****yz"),
    ("693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa", "693****aa"),
    ("short", "****"),
    ("", ""),
])
def test_mask(value, shown):
    assert mask(value) == shown


def test_redact_replaces_secrets_and_their_url_forms():
    """A secret, its URL-encoded form and the key inside a secret URL are all masked."""
    secrets = Secrets({"a": {"secret": "SEC+abc/def=ghi123", "url":
                             "https://example.org/send?key=KEY-1234-5678"}}, environ={})
    text = secrets.redact("sign SEC%2Babc%2Fdef%3Dghi123 and SEC+abc/def=ghi123, key=KEY-1234-5678")
    assert "abc/def" not in text and "abc%2Fdef" not in text and "KEY-1234-5678" not in text
    assert secrets.masked() == {"a": {"secret": "SEC****23", "url": "htt****78"}}


@pytest.mark.parametrize("settings, complaint", [
    ({"kind": "wecom", "key": "693a91f6-7aoc"}, "key"),
    ({"kind": "email", "host": "h", "from": "a@b", "to": ["c@d"], "password": "pw-123456"},
     "password"),
    ({"kind": "wecom", "url": "https://example.org/cgi-bin/webhook/send?key=693a91f6-7aoc"},
     "key"),
    ({"kind": "dingtalk", "url": "https://example.org/robot/send?access_token=98975521a1b2"},
     "access_token"),
])
def test_settings_that_hold_a_secret_are_refused_without_repeating_it(settings, complaint):
    """Channel settings are plain data: a secret there (or in a URL's query) is refused, and the
    message names the key, never the value."""
    with pytest.raises(ConfigError) as err:
        parse_channels({"c": settings})
    assert complaint in str(err.value) and "密钥文件" in str(err.value)
    assert "693a91f6" not in str(err.value) and "98975521" not in str(err.value)
    assert "pw-123456" not in str(err.value)


@pytest.mark.parametrize("settings, complaint", [
    ({"kind": "fax"}, "kind"),
    ({"kind": "email", "host": "h", "to": ["c@d"]}, "from"),
    ({"kind": "email", "host": "h", "from": "a@b", "to": "c@d", "security": "tls"}, "security"),
    ({"kind": "email", "host": "h", "from": "a@b", "to": "c@d", "security": "plain",
      "user": "u"}, "plain"),
    ({"kind": "webhook", "url": "ftp://x"}, "http"),
    ({"kind": "webhook", "colour": "red"}, "colour"),
])
def test_unusable_settings_are_refused(settings, complaint):
    with pytest.raises(ConfigError, match=complaint):
        parse_channels({"c": settings})


def test_settings_parse():
    channels = parse_channels({"mail": {"kind": "email", "host": "smtp.example.org", "port": 465,
                                        "security": "ssl", "user": "u@example", "from": "u@example",
                                        "to": "a@example"}})
    mail = channels["mail"]
    assert (mail.kind, mail.port, mail.security, mail.sender, mail.to) == (
        "email", 465, "ssl", "u@example", ("a@example",))

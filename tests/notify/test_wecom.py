"""The WeChat Work group robot, against a robot server of the test's own on 127.0.0.1."""

import datetime as dt
import hashlib

from notify import Message, deliver, parse_channels

from tests.notify.conftest import T0, secrets_of

KEY = "693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa"


def setup(robot, outbox, messages):
    channels = parse_channels({"g": {"kind": "wecom", "url": robot.url + "/cgi-bin/webhook/send"}})
    for m in messages:
        assert outbox.enqueue(m, now=T0)
    return channels, secrets_of(g={"key": KEY})


def run(outbox, channels, secrets, clock, limiter, now=T0):
    return deliver(outbox, channels, secrets, now=now, clock=clock, limiter=limiter,
                   wall_clock=lambda: clock() + 1.7e9)


def lines_of(n):
    return [f"- 第{i}团支部：已报到 {i} 人，未报到 {40 - i % 40} 人，请尽快审核" for i in range(n)]


def test_markdown_payload_has_the_protocol_shape(robot, outbox, clock, limiter):
    """POST to send?key=KEY: {"msgtype": "markdown", "markdown": {"content": ...}}, nothing more."""
    msg = Message("m1", "g", "报到进度", "**3** 个支部未完成")
    channels, secrets = setup(robot, outbox, [msg])
    report = run(outbox, channels, secrets, clock, limiter)
    assert report.sent == ["m1"] and report.exit_code == 0
    (req,) = robot.requests
    assert req.path == "/cgi-bin/webhook/send" and req.query == {"key": KEY}
    assert req.headers["Content-Type"].startswith("application/json")
    assert req.json() == {"msgtype": "markdown",
                          "markdown": {"content": "### 报到进度\n\n**3** 个支部未完成"}}
    assert outbox.counts()["sent"] == 1


def test_long_chinese_content_is_split_at_lines_under_4096_bytes(robot, outbox, clock, limiter):
    """Every markdown part is at most 4,096 bytes of UTF-8, no line is cut, and the parts carry
    every line in order."""
    lines = lines_of(300)
    channels, secrets = setup(robot, outbox, [Message("m1", "g", "报到进度", "\n".join(lines))])
    run(outbox, channels, secrets, clock, limiter)
    contents = [r.json()["markdown"]["content"] for r in robot.requests]
    assert len(contents) >= 4
    assert all(len(c.encode("utf-8")) <= 4096 for c in contents)
    body = [line for c in contents for line in c.split("\n")[2:]]
    assert body == lines
    assert contents[0].startswith(f"### 报到进度 (1/{len(contents)})")


def test_mentions_go_in_a_text_message_with_only_the_given_mobiles(robot, outbox, clock, limiter):
    """One msgtype text with mentioned_mobile_list = exactly the given mobiles (never @all), and
    no mobile printed in any text sent."""
    mobiles = ("13800001111", "13900002222")
    msg = Message("m1", "g", "报到进度", "第1团支部 未完成", mentions=mobiles + ("@all",),
                  language="zh")
    channels, secrets = setup(robot, outbox, [msg])
    run(outbox, channels, secrets, clock, limiter)
    markdown, text = [r.json() for r in robot.requests]
    assert markdown["msgtype"] == "markdown"
    assert text == {"msgtype": "text", "text": {
        "content": "报到进度：请相关同志查看上面的消息并处理。",
        "mentioned_mobile_list": ["13800001111", "13900002222"]}}
    for req in robot.requests:
        content = req.json().get("markdown", req.json().get("text"))["content"]
        assert not any(m in content for m in mobiles)


def test_no_mentions_no_text_message(robot, outbox, clock, limiter):
    channels, secrets = setup(robot, outbox, [Message("m1", "g", "t", "x", language="en")])
    run(outbox, channels, secrets, clock, limiter)
    assert [r.json()["msgtype"] for r in robot.requests] == ["markdown"]


def test_a_file_is_uploaded_then_sent_by_its_media_id(robot, outbox, clock, limiter, tmp_path):
    """upload_media?key=KEY&type=file, multipart field "media" with filename and filelength,
    then {"msgtype": "file", "file": {"media_id": ...}} with the id the upload returned."""
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(b"%PDF-1.7 meeting pack " * 50)
    msg = Message("m1", "g", "会议材料", "见附件", attachments=[("计算机学院-会议材料.pdf", pdf)])
    channels, secrets = setup(robot, outbox, [msg])
    assert run(outbox, channels, secrets, clock, limiter).sent == ["m1"]
    markdown, upload, file_msg = robot.requests
    assert upload.path == "/cgi-bin/webhook/upload_media"
    assert upload.query == {"key": KEY, "type": "file"}
    params, content = upload.upload()
    assert params["name"] == "media" and params["filename"] == "计算机学院-会议材料.pdf"
    assert params["filelength"] == str(len(content)) and content == pdf.read_bytes()
    media_id = "media-" + hashlib.sha256(upload.body).hexdigest()[:12]
    assert file_msg.json() == {"msgtype": "file", "file": {"media_id": media_id}}


def test_a_missing_attachment_fails_at_once(robot, outbox, clock, limiter, tmp_path):
    msg = Message("m1", "g", "会议材料", "见附件", attachments=[("a.pdf", tmp_path / "gone.pdf")])
    channels, secrets = setup(robot, outbox, [msg])
    report = run(outbox, channels, secrets, clock, limiter)
    assert report.failed == ["m1"] and report.exit_code == 1
    (state,) = outbox.messages()
    assert "a.pdf cannot be read" in state.last_answer and state.steps_done == 1


def test_at_most_20_messages_a_minute_spaced_by_the_sender(robot, outbox, clock, limiter):
    """25 messages to one robot: never more than 20 within any 60 s (on the injected clock), and
    the sender waited instead of being refused."""
    msgs = [Message(f"m{i}", "g", f"t{i}", "x") for i in range(25)]
    channels, secrets = setup(robot, outbox, msgs)
    report = run(outbox, channels, secrets, clock, limiter)
    assert len(report.sent) == 25
    times = [r.at for r in robot.requests]
    assert all(b - a >= 60 for a, b in zip(times, times[20:]))
    assert times[19] - times[0] < 1 and times[20] - times[0] >= 60
    assert sum(clock.slept) >= 60


def test_a_rate_limit_answer_is_retried_a_minute_later(robot, outbox, clock, limiter):
    """errcode 45009: not sent, retried no sooner than a minute later; the robot's window counts
    as full, and the later messages of that robot wait for the next run."""
    answers = iter([(200, {"errcode": 45009, "errmsg": "api freq out of limit"})])
    robot.respond = lambda req: next(answers, (200, {"errcode": 0, "errmsg": "ok"}))
    msgs = [Message("m1", "g", "t", "x"), Message("m2", "g", "t", "y")]
    channels, secrets = setup(robot, outbox, msgs)
    report = run(outbox, channels, secrets, clock, limiter)
    assert report.retrying == ["m1"] and report.deferred == ["m2"] and report.exit_code == 1
    first = {s.message_id: s for s in outbox.messages()}["m1"]
    assert first.last_answer == "errcode 45009: api freq out of limit"
    assert dt.datetime.fromisoformat(first.next_attempt_at) - T0 >= dt.timedelta(minutes=1)
    # Not due yet, and m2 waits behind it: the channel keeps its order.
    assert run(outbox, channels, secrets, clock, limiter).sent == []
    later = T0 + dt.timedelta(minutes=2)
    assert run(outbox, channels, secrets, clock, limiter, now=later).sent == ["m1", "m2"]
    assert clock.slept and clock.slept[0] > 55  # the window was counted full after the 45009


def test_an_errcode_other_than_0_is_retried(robot, outbox, clock, limiter):
    robot.respond = lambda req: (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    channels, secrets = setup(robot, outbox, [Message("m1", "g", "t", "x")])
    assert run(outbox, channels, secrets, clock, limiter).retrying == ["m1"]


def test_a_channel_without_its_key_fails_visibly(robot, outbox, clock, limiter):
    channels, _ = setup(robot, outbox, [Message("m1", "g", "t", "x")])
    report = deliver(outbox, channels, secrets_of(), now=T0, clock=clock, limiter=limiter)
    assert report.failed == ["m1"] and robot.requests == []
    assert "key" in outbox.messages()[0].last_answer

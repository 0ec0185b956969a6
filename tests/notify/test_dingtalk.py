"""The DingTalk custom robot, against a robot server that checks the signature."""

from notify import Message, deliver, parse_channels

from tests.notify.conftest import T0, dingtalk_answer, secrets_of

TOKEN = "98975521a1b23c02cdd1a9a08c69511ddf5fa9d2"
SECRET = "SEC19dd84be8c7f3cf71761974f1ed3ef77c1451906ae8ba1"


def wall(clock):
    return lambda: clock() + 1.7e9  # seconds since the epoch, moving with the fake clock


def run(robot, outbox, clock, limiter, messages, secrets):
    channels = parse_channels({"d": {"kind": "dingtalk", "url": robot.url + "/robot/send"}})
    for m in messages:
        outbox.enqueue(m, now=T0)
    return deliver(outbox, channels, secrets, now=T0, clock=clock, limiter=limiter,
                   wall_clock=wall(clock))


def test_signed_markdown_with_at_mobiles(robot, outbox, clock, limiter):
    """With a secret: ?access_token&timestamp=ms&sign=..., verified by the server; the payload is
    msgtype markdown (title + text) with at.atMobiles, the mobiles never in the text."""
    robot.respond = dingtalk_answer(SECRET, lambda: int(wall(clock)() * 1000))
    msg = Message("m1", "d", "报到进度", "**第3团支部** 未完成", mentions=("13800001111",))
    report = run(robot, outbox, clock, limiter, [msg],
                 secrets_of(d={"access_token": TOKEN, "secret": SECRET}))
    assert report.sent == ["m1"], outbox.messages()[0].last_answer
    (req,) = robot.requests
    assert req.path == "/robot/send"
    assert req.query["access_token"] == TOKEN
    assert req.query["timestamp"] == str(int(wall(clock)() * 1000))
    assert req.json() == {"msgtype": "markdown",
                          "markdown": {"title": "报到进度",
                                       "text": "### 报到进度\n\n**第3团支部** 未完成"},
                          "at": {"atMobiles": ["13800001111"], "isAtAll": False}}


def test_a_wrong_secret_is_refused_by_the_server_and_retried(robot, outbox, clock, limiter):
    robot.respond = dingtalk_answer(SECRET, lambda: int(wall(clock)() * 1000))
    report = run(robot, outbox, clock, limiter, [Message("m1", "d", "t", "x")],
                 secrets_of(d={"access_token": TOKEN, "secret": "SEC-not-the-right-one"}))
    assert report.retrying == ["m1"]
    assert outbox.messages()[0].last_answer == "errcode 310000: sign not match"


def test_without_a_secret_the_url_is_not_signed(robot, outbox, clock, limiter):
    run(robot, outbox, clock, limiter, [Message("m1", "d", "t", "x")],
        secrets_of(d={"access_token": TOKEN}))
    assert robot.requests[0].query == {"access_token": TOKEN}


def test_the_mentions_ride_on_the_first_part_only(robot, outbox, clock, limiter):
    """Content over 20,000 bytes is split at lines; only the first part @-mentions."""
    body = "\n".join(f"- 第{i}团支部：未报到 {i} 人，请尽快完成" for i in range(900))
    run(robot, outbox, clock, limiter, [Message("m1", "d", "进度", body, mentions=("139",))],
        secrets_of(d={"access_token": TOKEN}))
    payloads = [r.json() for r in robot.requests]
    assert len(payloads) >= 2
    assert all(len(p["markdown"]["text"].encode()) <= 20000 for p in payloads)
    assert [p["at"]["atMobiles"] for p in payloads] == [["139"]] + [[]] * (len(payloads) - 1)
    assert payloads[1]["markdown"]["title"] == f"进度 (2/{len(payloads)})"


def test_rate_limit_answer_130101_is_retried(robot, outbox, clock, limiter):
    robot.respond = lambda req: (200, {"errcode": 130101, "errmsg": "send too fast"})
    report = run(robot, outbox, clock, limiter, [Message("m1", "d", "t", "x")],
                 secrets_of(d={"access_token": TOKEN}))
    assert report.retrying == ["m1"]

#!/usr/bin/env python3
"""The bot's Lambda path under the runtime emulator: a slow /stats members is acknowledged in
time through the emulated Function URL, and its answer still reaches response_url, posted by
the same invocation before the runtime takes the next event; a mention of the same slow stat
(the Events API) is acknowledged in time and answered in its thread (chat.postMessage) by the
same invocation, after the acknowledgement.

Started by tests/lambda_emulator.sh, which provides the emulator, the bot process under it and
a stats API whose `members` sleeps on the database; this file is Slack: it signs the commands
and events, receives what the bot posts to response_url and to its Web API (`--slack-port`),
checks, and prints what it measured.

    lambda_emulator.py --function-url URL --secret S --api-url URL --api-token T --sleep 3 \
        --slack-port P
"""

import argparse
import hashlib
import hmac
import http.server
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ACK_WITHIN = 2.5  # Slack gives up at 3 s; the bot's deadline is 2 s.


class Receiver(http.server.ThreadingHTTPServer):
    """Slack's end of response_url, on 127.0.0.1: records every post with its arrival time."""

    def __init__(self):
        self.posts = []
        self.arrived = threading.Event()
        super().__init__(("127.0.0.1", 0), ReceiverHandler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/response"


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.posts.append((time.monotonic(), body))
        self.send_response(200)
        self.end_headers()
        self.server.arrived.set()

    def log_message(self, *args):
        pass


BOT_USER, BOT_ID = "U07LAMBDAB", "B07LAMBDAB"


class SlackApi(http.server.ThreadingHTTPServer):
    """Slack's Web API on 127.0.0.1: auth.test says who the bot is; chat.postMessage is
    recorded with its arrival time."""

    def __init__(self, port):
        self.posts = []
        self.arrived = threading.Event()
        super().__init__(("127.0.0.1", port), SlackApiHandler)


class SlackApiHandler(http.server.BaseHTTPRequestHandler):
    def answer(self, body):
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/api/auth.test"):
            return self.answer({"ok": True, "team_id": "T0LAMBDA", "user_id": BOT_USER,
                                "bot_id": BOT_ID, "user": "statsbot"})
        self.answer({"ok": False, "error": "unknown_method"})

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/api/auth.test"):
            return self.do_GET()
        if self.path.startswith("/api/chat.postMessage"):
            self.server.posts.append((time.monotonic(), json.loads(body)))
            self.answer({"ok": True, "channel": "C0LAMBDA01", "ts": f"{time.time():.6f}"})
            self.server.arrived.set()
            return
        self.answer({"ok": False, "error": "unknown_method"})

    def log_message(self, *args):
        pass


def mention(function_url, secret, words, retry=None):
    """An app_mention event, signed as Slack signs it; returns (seconds, status, event)."""
    ts = f"{time.time():.6f}"
    event = {
        "token": "unused", "team_id": "T0LAMBDA", "api_app_id": "A0LAMBDA",
        "type": "event_callback", "event_id": "Ev0LAMBDA" + ts.replace(".", "")[-6:],
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": "T0LAMBDA", "user_id": BOT_USER,
                            "is_bot": True, "is_enterprise_install": False}],
        "event": {"type": "app_mention", "user": "U0LAMBDA01", "channel": "C0LAMBDA01",
                  "text": f"<@{BOT_USER}> {words}", "ts": ts, "event_ts": ts},
    }
    body = json.dumps(event).encode()
    stamp = str(int(time.time()))
    mac = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": "v0=" + mac.hexdigest()}
    req = urllib.request.Request(function_url + "/slack/events", data=body, method="POST",
                                 headers=headers)
    started = time.monotonic()
    with urllib.request.urlopen(req, timeout=60) as resp:
        resp.read()
        status = resp.status
    return time.monotonic() - started, status, event


def slash(function_url, secret, text, response_url):
    """POSTs `/stats text` signed as Slack signs it; returns (seconds, status, JSON reply)."""
    body = urllib.parse.urlencode({
        "token": "unused", "team_id": "T0LAMBDA", "team_domain": "emulator",
        "channel_id": "C0LAMBDA", "channel_name": "general", "user_id": "U0LAMBDA",
        "user_name": "ci", "command": "/stats", "text": text, "api_app_id": "A0LAMBDA",
        "response_url": response_url, "trigger_id": "1.2.3",
    }).encode()
    ts = str(int(time.time()))
    mac = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    req = urllib.request.Request(function_url + "/slack/commands", data=body, method="POST",
                                 headers={
                                     "Content-Type": "application/x-www-form-urlencoded",
                                     "X-Slack-Request-Timestamp": ts,
                                     "X-Slack-Signature": "v0=" + mac.hexdigest(),
                                 })
    started = time.monotonic()
    with urllib.request.urlopen(req, timeout=60) as resp:
        raw = resp.read()
        status = resp.status
    return time.monotonic() - started, status, json.loads(raw)


def wait_until_up(function_url, deadline_s=120):
    """The first invocation is the cold start: seconds it took."""
    until = time.monotonic() + deadline_s
    while True:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(function_url + "/healthz", timeout=30) as resp:
                if resp.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError):
            pass
        if time.monotonic() > until:
            sys.exit(f"FAIL: the bot never answered {function_url}/healthz")
        time.sleep(0.5)


def check(ok, message):
    if not ok:
        sys.exit(f"FAIL: {message}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--function-url", required=True, help="…/lambda-url/<function>")
    ap.add_argument("--secret", required=True)
    ap.add_argument("--api-url", required=True)
    ap.add_argument("--api-token", required=True)
    ap.add_argument("--sleep", type=float, required=True, help="seconds members sleeps on the DB")
    ap.add_argument("--slack-port", type=int, required=True, help="where SLACK_API_URL points")
    args = ap.parse_args()
    fn = args.function_url.rstrip("/")

    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    slack = SlackApi(args.slack_port)
    threading.Thread(target=slack.serve_forever, daemon=True).start()

    first = wait_until_up(fn)

    # The truth, from the stats API's quick twin of the slow stat.
    truth_req = urllib.request.Request(args.api_url.rstrip("/") + "/v1/stats/member-count",
                                       headers={"Authorization": f"Bearer {args.api_token}"})
    with urllib.request.urlopen(truth_req, timeout=10) as resp:
        total = json.load(resp)["rows"][0]["total"]

    inline_s, status, reply = slash(fn, args.secret, "help", receiver.url)
    check(status == 200 and "blocks" in reply, f"help was not answered inline: {status} {reply}")

    # The slow one: acknowledged in time…
    sent = time.monotonic()
    ack_s, status, ack = slash(fn, args.secret, "members", receiver.url)
    check(status == 200, f"the ack was HTTP {status}")
    check(ack_s < ACK_WITHIN, f"the ack took {ack_s:.2f} s (Slack gives up at 3 s)")
    check(ack.get("response_type") == "ephemeral"
          and ack.get("text", "").startswith("Working on it"), f"not the ack: {ack}")

    # …and the next event waits until the invocation has posted its answer: on Lambda that is
    # what keeps the environment from freezing under the deferred work.
    following = {}

    def next_invocation():
        _, following["status"], _ = slash(fn, args.secret, "help", "")
        following["at"] = time.monotonic()

    follower = threading.Thread(target=next_invocation)
    follower.start()

    check(receiver.arrived.wait(args.sleep + 15), "no answer reached response_url")
    posted_at, body = receiver.posts[0]
    deferred_s = posted_at - sent
    answer = json.loads(body)
    follower.join(30)
    check(following.get("status") == 200, "the next invocation was not answered")

    check(len(receiver.posts) == 1, f"{len(receiver.posts)} posts, wanted 1")
    check(deferred_s >= args.sleep, f"answer after {deferred_s:.2f} s: was the query slow?")
    check(answer.get("response_type") == "in_channel", f"visibility: {answer}")
    check(isinstance(answer.get("blocks"), list) and answer["blocks"], f"no blocks: {answer}")
    members = f"There are currently {total:,} members."
    check(members in answer.get("text", ""), f"wanted {members!r} in {answer.get('text')!r}")
    check(following["at"] >= posted_at,
          "the runtime took the next event before the deferred answer was posted")

    # A mention of the slow stat: acknowledged in time, answered in its thread after.
    sent = time.monotonic()
    event_ack_s, status, event = mention(fn, args.secret, "members")
    check(status == 200, f"the event's ack was HTTP {status}")
    check(event_ack_s < ACK_WITHIN, f"the event's ack took {event_ack_s:.2f} s (Slack retries after 3 s)")
    after_mention = {}

    def invocation_after_mention():
        _, after_mention["status"], _ = slash(fn, args.secret, "help", "")
        after_mention["at"] = time.monotonic()

    follower = threading.Thread(target=invocation_after_mention)
    follower.start()
    check(slack.arrived.wait(args.sleep + 15), "no reply to the mention reached chat.postMessage")
    replied_at, reply = slack.posts[0]
    mention_s = replied_at - sent
    follower.join(30)
    check(after_mention.get("status") == 200, "the invocation after the mention was not answered")
    check(len(slack.posts) == 1, f"{len(slack.posts)} replies, wanted 1")
    check(mention_s >= args.sleep, f"reply after {mention_s:.2f} s: was the query slow?")
    check(reply.get("thread_ts") == event["event"]["ts"], f"not in the mention's thread: {reply}")
    check(members in reply.get("text", ""), f"wanted {members!r} in {reply.get('text')!r}")
    check((reply.get("metadata") or {}).get("event_payload", {}).get("event_id") == event["event_id"],
          f"the reply does not carry its event: {reply.get('metadata')}")
    check(after_mention["at"] >= replied_at,
          "the runtime took the next event before the mention's reply was posted")

    print(f"first invocation (/healthz):                {first * 1000:.0f} ms")
    print(f"/stats help answered inline:               {inline_s * 1000:.0f} ms")
    print(f"/stats members acknowledged:               {ack_s * 1000:.0f} ms")
    print(f"/stats members answer at response_url:     {deferred_s:.2f} s after the command "
          f"(the query sleeps {args.sleep:g} s)")
    print(f"next invocation answered:                  {(following['at'] - posted_at) * 1000:.0f} ms "
          "after the deferred post")
    print(f"@statsbot members acknowledged:             {event_ack_s * 1000:.0f} ms")
    print(f"@statsbot members answered in its thread:  {mention_s:.2f} s after the event")
    print("ok: acknowledged in time, answered through response_url and in the mention's thread "
          "by the same invocation")


if __name__ == "__main__":
    main()

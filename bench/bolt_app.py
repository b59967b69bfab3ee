"""The same job as the Rust bot, in Python with Slack's Bolt, for the cold-start comparison.

Verifies Slack's signature (Bolt's built-in middleware), answers `/stats members` by asking the
stats API over HTTP (the catalogue, then the stat, as the bot does) and replies in Block Kit.
Runs as a Lambda custom runtime against AWS_LAMBDA_RUNTIME_API: `python bolt_app.py`. (The
runtime loop is the few lines at the end: awslambdaric's native client crashes on the
emulator's lower-case header names.) Env: SLACK_SIGNING_SECRET, STATS_API_URL, STATS_API_TOKEN.

Set up as kindly to Bolt as possible: no bot token, so no `auth.test` call to Slack on the first
request (a real Bolt app with a token makes one).
"""

import http.client
import json
import os
import urllib.request

from slack_bolt import App
from slack_bolt.adapter.aws_lambda import SlackRequestHandler
from slack_bolt.authorization import AuthorizeResult

API_URL = os.environ["STATS_API_URL"].rstrip("/")
API_TOKEN = os.environ["STATS_API_TOKEN"]


def no_network_authorize(enterprise_id, team_id, user_id, logger):
    return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)


app = App(
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    authorize=no_network_authorize,
    process_before_response=True,  # required on Lambda: answer within the invocation
)


def get_json(path):
    req = urllib.request.Request(
        API_URL + path,
        headers={"Authorization": f"Bearer {API_TOKEN}", "Accept": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=2.5) as resp:
        return json.load(resp)


def escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@app.command("/stats")
def stats(ack, command):
    sub = (command.get("text") or "").split()
    names = {s["name"] for s in get_json("/v1/stats")["stats"]}
    if not sub or sub[0] != "members" or "members" not in names:
        ack(response_type="ephemeral", text="Try `/stats members`.")
        return
    row = get_json("/v1/stats/members")["rows"][0]
    text = (
        f"There are currently *{row['total']:,}* members. "
        f"*{row['invited_by_mentor']:,}* of them were invited by a mentor.\n"
        f"The newest member is *{escape(row['newest_name'])}*, "
        f"who joined on {row['newest_joined_at'][:10]}."
    )
    ack(
        response_type="in_channel",
        text=text.replace("*", ""),
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    )


_handler = SlackRequestHandler(app)


def handler(event, context):
    return _handler.handle(event, context)


def run_lambda_loop():
    """The Lambda runtime API loop: fetch the next event, answer it, repeat."""
    api = os.environ["AWS_LAMBDA_RUNTIME_API"].removeprefix("http://")
    host, _, base = api.partition("/")
    base = "/" + base.strip("/") if base.strip("/") else ""
    conn = http.client.HTTPConnection(host)

    class Context:
        function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "bolt")
        invoked_function_arn = "arn:aws:lambda:local:0:function:" + function_name

    while True:
        conn.request("GET", f"{base}/2018-06-01/runtime/invocation/next")
        resp = conn.getresponse()
        event = json.loads(resp.read())
        request_id = resp.headers["Lambda-Runtime-Aws-Request-Id"]
        # Lambda takes Bolt's {statusCode, headers, body}; the emulator also wants these keys.
        answer = {"isBase64Encoded": False, "multiValueHeaders": {}, "cookies": []}
        answer.update(handler(event, Context()))
        result = json.dumps(answer).encode()
        conn.request("POST", f"{base}/2018-06-01/runtime/invocation/{request_id}/response",
                     body=result, headers={"Content-Type": "application/json"})
        conn.getresponse().read()


if __name__ == "__main__":
    run_lambda_loop()

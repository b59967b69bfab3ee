#!/usr/bin/env python3
"""Write the Slack app manifest with the deployed stack's addresses where its placeholders stand.

    python3 infra/fill_manifest.py --stack statsbot [--region eu-west-1] > my-manifest.yaml
    python3 infra/fill_manifest.py --outputs outputs.json > my-manifest.yaml
    python3 infra/fill_manifest.py --bot-url URL --stats-api-url URL > my-manifest.yaml
    python3 infra/fill_manifest.py --self-test

The bot's Function URL (the stack's SlackRequestUrl, SlackInteractionsUrl and SlackEventsUrl
share it) replaces https://REPLACE-ME.lambda-url.us-east-1.on.aws/ in the request URLs, and the
stats API's host (StatsApiUrl, or --stats-api-url: its public address) replaces the placeholder
in features.unfurl_domains, so that links to the stats API unfurl. The text is edited in place
(its comments kept) and checked with check_manifest.py --deployed before it is printed; any
problem is named and the exit status is 1. --outputs reads `aws cloudformation describe-stacks`
JSON, or a {"OutputKey": "value"} map; --stack runs that command. Needs PyYAML.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

sys.path.insert(0, str(Path(__file__).parent))
import check_manifest  # noqa: E402

BOT_PLACEHOLDER = "https://REPLACE-ME.lambda-url.us-east-1.on.aws/"
STATS_PLACEHOLDER = "replace-me-stats-api.lambda-url.us-east-1.on.aws"


def outputs_of(document):
    """{OutputKey: OutputValue} from describe-stacks JSON or a plain map."""
    if isinstance(document, dict) and "Stacks" in document:
        outputs = document["Stacks"][0].get("Outputs", [])
        return {o["OutputKey"]: o["OutputValue"] for o in outputs}
    return dict(document)


def addresses(outputs):
    """The bot's base URL (with a trailing /) and the stats API's host, from the outputs."""
    events = outputs.get("SlackEventsUrl") or outputs.get("SlackRequestUrl") or ""
    path = urlsplit(events).path
    bot = events[: len(events) - len(path)] + "/" if path else events
    stats = outputs.get("StatsApiPublicUrl") or outputs.get("StatsApiUrl") or ""
    return bot, urlsplit(stats).hostname or ""


def fill(text, bot_url, stats_host):
    """The manifest's text with the addresses in; problems found on the way, if any."""
    problems = []
    bot = urlsplit(bot_url)
    if bot.scheme != "https" or not bot.hostname:
        problems.append(f"the bot's URL must be https://…, got {bot_url!r}")
    if not check_manifest.HOST.fullmatch(stats_host or ""):
        problems.append(f"the stats API's host is not a host name: {stats_host!r}")
    if problems:
        return None, problems
    base = f"https://{bot.netloc}{bot.path.rstrip('/')}/"
    filled = text.replace(BOT_PLACEHOLDER, base).replace(STATS_PLACEHOLDER, stats_host.lower())
    problems = check_manifest.check(yaml.safe_load(filled), deployed=True)
    return filled, problems


def self_test():
    shipped = check_manifest.DEFAULT_PATH.read_text()
    failures = []
    outputs = {"SlackRequestUrl": "https://abc123.lambda-url.eu-west-1.on.aws/slack/commands",
               "SlackEventsUrl": "https://abc123.lambda-url.eu-west-1.on.aws/slack/events",
               "StatsApiUrl": "https://def456.lambda-url.eu-west-1.on.aws/"}
    bot, host = addresses(outputs_of({"Stacks": [{"Outputs": [
        {"OutputKey": k, "OutputValue": v} for k, v in outputs.items()]}]}))
    if (bot, host) != ("https://abc123.lambda-url.eu-west-1.on.aws/", "def456.lambda-url.eu-west-1.on.aws"):
        failures.append(f"addresses from describe-stacks: {(bot, host)}")
    filled, problems = fill(shipped, bot, host)
    if problems or filled is None:
        failures.append(f"the shipped manifest, filled, should pass --deployed: {problems}")
    else:
        manifest = yaml.safe_load(filled)
        if manifest["settings"]["event_subscriptions"]["request_url"] != bot + "slack/events":
            failures.append("the events URL was not filled in")
        if manifest["features"]["unfurl_domains"] != [host]:
            failures.append(f"unfurl_domains: {manifest['features']['unfurl_domains']}")
        if "# Mentions, DMs" not in filled:
            failures.append("the comments should be kept")
    _, problems = fill(shipped, "http://abc123.example/", host)
    if not any("must be https" in p for p in problems):
        failures.append(f"a plain-http bot URL should be refused: {problems}")
    _, problems = fill(shipped, bot, "https://def456.example/x")
    if not any("not a host name" in p for p in problems):
        failures.append(f"a URL as the stats host should be refused: {problems}")
    return 4 - len(failures), failures


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manifest", nargs="?", default=str(check_manifest.DEFAULT_PATH))
    ap.add_argument("--stack")
    ap.add_argument("--region")
    ap.add_argument("--outputs", help="describe-stacks JSON, or a {key: value} map")
    ap.add_argument("--bot-url")
    ap.add_argument("--stats-api-url")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args(argv)
    if args.self_test:
        passed, failures = self_test()
        for failure in failures:
            print(f"FAIL {failure}")
        print(f"manifest filler self-test: {passed} passed, {len(failures)} failed")
        return 1 if failures else 0
    outputs = {}
    if args.stack:
        command = ["aws", "cloudformation", "describe-stacks", "--stack-name", args.stack]
        if args.region:
            command += ["--region", args.region]
        outputs = outputs_of(json.loads(subprocess.run(command, check=True, capture_output=True).stdout))
    elif args.outputs:
        outputs = outputs_of(json.loads(Path(args.outputs).read_text()))
    if args.bot_url:
        outputs["SlackEventsUrl"] = args.bot_url.rstrip("/") + "/slack/events"
    if args.stats_api_url:
        outputs["StatsApiPublicUrl"] = args.stats_api_url
    bot, host = addresses(outputs)
    filled, problems = fill(Path(args.manifest).read_text(), bot, host)
    for problem in problems:
        print(f"{args.manifest}: {problem}", file=sys.stderr)
    if problems:
        return 1
    sys.stdout.write(filled)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Check a Slack app manifest against Slack's documented limits and what statsbot needs.

    python3 infra/check_manifest.py [infra/slack-app-manifest.yaml] [--deployed]
    python3 infra/check_manifest.py --self-test

Limits from Slack's app manifest reference (docs.slack.dev/reference/app-manifest): app name
at most 35 characters, description 140, long description (optional) 175 to 4000 (the
reference's example says at least 174; 175 is required here, which passes either way); bot
display name at most 80 of a-z 0-9 - _ .; at most 50 slash commands, each command at most 32
characters including the leading "/", description (required) at most 2000, usage hint at most
1000, url https; at most 255 bot scopes; at most 5 unfurl domains, each a bare host (no
scheme, path or port); event subscriptions with an https request URL and a list of event
names; app_home's three switches are booleans. Slack's command settings also take only
lowercase commands without spaces.

What statsbot needs besides: the /stats command, interactivity at /slack/interactions, the
Events API at /slack/events with app_mention, message.im, link_shared and app_home_opened, the
scopes those events and its replies need (app_mentions:read, im:history, links:read,
links:write, chat:write), the Home and Messages tabs on (messages not read-only: DMs), and the
stats API's host in unfurl_domains.

--deployed also fails while a request URL or an unfurl domain still holds the placeholder
(before infra/fill_manifest.py wrote the stack's outputs in). Needs PyYAML.

A manifest with settings.socket_mode_enabled (slack-app-manifest.socket.yaml) must have no
request URLs (Slack sends everything over the socket), and must be the same app as
slack-app-manifest.yaml: the same commands, bot scopes and bot events.
"""

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

PLACEHOLDER = "REPLACE-ME"
# What the Events API features need: each event, and the scope it needs.
EVENTS = {"app_mention": "app_mentions:read", "message.im": "im:history",
          "link_shared": "links:read", "app_home_opened": None}
EVENT_SCOPES = ["app_mentions:read", "im:history", "links:read", "links:write", "chat:write"]
HOST = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]")
# Slack refuses a shorter display_information.long_description (when there is one).
LONG_DESCRIPTION_MIN = 175
DEFAULT_PATH = Path(__file__).with_name("slack-app-manifest.yaml")
SOCKET_PATH = Path(__file__).with_name("slack-app-manifest.socket.yaml")


def check(manifest, deployed=False):
    """Every problem found, as readable strings; empty when the manifest is fine."""
    problems = []

    def text(value, where, max_len, required=False, min_len=0):
        if value is None:
            if required:
                problems.append(f"{where} is required")
            return
        if not isinstance(value, str):
            problems.append(f"{where} must be a string")
            return
        if required and not value.strip():
            problems.append(f"{where} must not be empty")
        if len(value) > max_len:
            problems.append(f"{where} is {len(value)} characters; Slack allows at most {max_len}")
        if min_len and len(value) < min_len:
            problems.append(f"{where} is {len(value)} characters; Slack needs at least {min_len}")

    def https_url(value, where):
        if not isinstance(value, str):
            problems.append(f"{where} must be a string")
            return
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc:
            problems.append(f"{where} must be a full https:// URL, got {value!r}")
        if deployed and PLACEHOLDER in value:
            problems.append(f"{where} still holds the placeholder: fill in the stack's outputs (infra/fill_manifest.py)")

    if not isinstance(manifest, dict):
        return ["the manifest must be a mapping"]

    display = manifest.get("display_information")
    if not isinstance(display, dict):
        problems.append("display_information is required")
    else:
        text(display.get("name"), "display_information.name", 35, required=True)
        text(display.get("description"), "display_information.description", 140)
        text(display.get("long_description"), "display_information.long_description", 4000,
             min_len=LONG_DESCRIPTION_MIN)
        color = display.get("background_color")
        if color is not None and not re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", str(color)):
            problems.append(f"display_information.background_color must be #rgb or #rrggbb, got {color!r}")

    features = manifest.get("features") or {}
    bot_user = features.get("bot_user")
    if bot_user is not None:
        name = bot_user.get("display_name")
        text(name, "features.bot_user.display_name", 80, required=True)
        if isinstance(name, str) and not re.fullmatch(r"[a-z0-9._-]*", name):
            problems.append("features.bot_user.display_name may hold only a-z 0-9 - _ .")

    commands = features.get("slash_commands") or []
    if not isinstance(commands, list):
        problems.append("features.slash_commands must be a list")
        commands = []
    if len(commands) > 50:
        problems.append(f"{len(commands)} slash commands; Slack allows at most 50")
    seen = set()
    for i, cmd in enumerate(commands):
        where = f"features.slash_commands[{i}]"
        if not isinstance(cmd, dict):
            problems.append(f"{where} must be a mapping")
            continue
        name = cmd.get("command")
        text(name, f"{where}.command", 32, required=True)
        if isinstance(name, str):
            where = f"slash command {name}"
            if not name.startswith("/"):
                problems.append(f"{where}: must start with /")
            if name != name.lower():
                problems.append(f"{where}: must be lowercase")
            if re.search(r"\s", name):
                problems.append(f"{where}: must not contain spaces")
            if name in seen:
                problems.append(f"{where}: declared twice")
            seen.add(name)
        text(cmd.get("description"), f"{where}: description", 2000, required=True)
        text(cmd.get("usage_hint"), f"{where}: usage_hint", 1000)
        if "should_escape" in cmd and not isinstance(cmd["should_escape"], bool):
            problems.append(f"{where}: should_escape must be true or false")
        if "url" in cmd:
            https_url(cmd["url"], f"{where}: url")

    settings = manifest.get("settings") or {}
    socket = isinstance(settings, dict) and settings.get("socket_mode_enabled") is True

    # What statsbot itself needs.
    stats = [c for c in commands if isinstance(c, dict) and c.get("command") == "/stats"]
    if not stats:
        problems.append("statsbot needs the /stats slash command")
    for cmd in stats:
        if socket:
            if "url" in cmd:
                problems.append("slash command /stats: no url over Socket Mode (commands come over the socket)")
        elif "url" not in cmd:
            problems.append("slash command /stats: url (the bot's /slack/commands) is required")
        elif isinstance(cmd["url"], str) and not urlsplit(cmd["url"]).path.endswith("/slack/commands"):
            problems.append("slash command /stats: url must end with /slack/commands")
        if cmd.get("should_escape") is not False:
            problems.append("slash command /stats: should_escape must be false (the bot parses raw text)")

    # The bot's buttons need interactivity, answered at /slack/interactions (or over the socket).
    interactivity = settings.get("interactivity") if isinstance(settings, dict) else None
    events = settings.get("event_subscriptions") if isinstance(settings, dict) else None
    if not isinstance(interactivity, dict) or interactivity.get("is_enabled") is not True:
        problems.append("settings.interactivity.is_enabled must be true (the answers' buttons need it)")
    elif socket:
        for where, section in [("interactivity", interactivity), ("event_subscriptions", events)]:
            if isinstance(section, dict) and "request_url" in section:
                problems.append(f"settings.{where}.request_url: none over Socket Mode (it all comes over the socket)")
    elif "request_url" not in interactivity:
        problems.append("settings.interactivity.request_url (the bot's /slack/interactions) is required")
    else:
        https_url(interactivity["request_url"], "settings.interactivity.request_url")
        url = interactivity["request_url"]
        if isinstance(url, str) and not urlsplit(url).path.endswith("/slack/interactions"):
            problems.append("settings.interactivity.request_url must end with /slack/interactions")

    scopes = ((manifest.get("oauth_config") or {}).get("scopes") or {}).get("bot") or []
    if not isinstance(scopes, list):
        problems.append("oauth_config.scopes.bot must be a list")
        scopes = []
    if len(scopes) > 255:
        problems.append(f"{len(scopes)} bot scopes; Slack allows at most 255")
    if commands and "commands" not in scopes:
        problems.append("oauth_config.scopes.bot must include commands (slash commands need it)")

    check_events(features, settings, scopes, problems, https_url, deployed, socket)
    return problems


def same_app(socket, http):
    """Where the Socket Mode variant is not the same app as the HTTP manifest: its commands (all
    but their URLs), bot scopes and bot events. Empty when they match."""
    def commands(manifest):
        listed = (manifest.get("features") or {}).get("slash_commands") or []
        return sorted((sorted((k, str(v)) for k, v in c.items() if k != "url") for c in listed
                       if isinstance(c, dict)), key=str)

    def scopes(manifest):
        return sorted(((manifest.get("oauth_config") or {}).get("scopes") or {}).get("bot") or [])

    def events(manifest):
        subscriptions = (manifest.get("settings") or {}).get("event_subscriptions") or {}
        return sorted(subscriptions.get("bot_events") or [])

    problems = []
    for what, read in [("slash commands", commands), ("bot scopes", scopes), ("bot events", events)]:
        if read(socket) != read(http):
            problems.append(f"the Socket Mode variant's {what} differ from {DEFAULT_PATH.name}'s: "
                            f"{read(socket)} against {read(http)}")
    return problems


def check_events(features, settings, scopes, problems, https_url, deployed, socket):
    """Mentions, DMs, shared links and the Home tab: the subscription, scopes, tabs, domains.
    Over Socket Mode the events come over the socket: no request URL (refused in check)."""
    events = settings.get("event_subscriptions") if isinstance(settings, dict) else None
    if not isinstance(events, dict):
        problems.append("settings.event_subscriptions is required (mentions, DMs, links, the Home tab)")
        events = {}
    if socket:
        pass
    elif "request_url" not in events:
        problems.append("settings.event_subscriptions.request_url (the bot's /slack/events) is required")
    else:
        https_url(events["request_url"], "settings.event_subscriptions.request_url")
        url = events["request_url"]
        if isinstance(url, str) and not urlsplit(url).path.endswith("/slack/events"):
            problems.append("settings.event_subscriptions.request_url must end with /slack/events")
    bot_events = events.get("bot_events", [])
    if not isinstance(bot_events, list) or not all(isinstance(e, str) for e in bot_events):
        problems.append("settings.event_subscriptions.bot_events must be a list of event names")
        bot_events = []
    if len(set(bot_events)) != len(bot_events):
        problems.append("settings.event_subscriptions.bot_events names an event twice")
    for event, scope in EVENTS.items():
        if event not in bot_events:
            problems.append(f"settings.event_subscriptions.bot_events must include {event}")
        elif scope and scope not in scopes:
            problems.append(f"oauth_config.scopes.bot must include {scope} ({event} needs it)")
    for scope in EVENT_SCOPES:
        if scope not in scopes:
            problems.append(f"oauth_config.scopes.bot must include {scope}")

    home = features.get("app_home")
    if not isinstance(home, dict):
        problems.append("features.app_home is required (the Home tab, and DMs in the Messages tab)")
        home = {}
    for key, wanted in [("home_tab_enabled", True), ("messages_tab_enabled", True),
                        ("messages_tab_read_only_enabled", False)]:
        value = home.get(key)
        if value is not None and not isinstance(value, bool):
            problems.append(f"features.app_home.{key} must be true or false")
        elif value is not wanted:
            problems.append(f"features.app_home.{key} must be {str(wanted).lower()}")

    domains = features.get("unfurl_domains")
    if socket and domains is None:
        return  # a laptop's stats API has no public host yet; links are then not unfurled
    if not isinstance(domains, list) or not domains:
        problems.append("features.unfurl_domains must list the stats API's host (link_shared needs it)")
        return
    if len(domains) > 5:
        problems.append(f"{len(domains)} unfurl domains; Slack allows at most 5")
    for domain in domains:
        where = f"features.unfurl_domains: {domain!r}"
        if not isinstance(domain, str) or not HOST.fullmatch(domain):
            problems.append(f"{where} must be a bare host name (no https://, path or port), lowercase")
        elif deployed and PLACEHOLDER.lower() in domain:
            problems.append(f"{where} still holds the placeholder: the stats API's host (infra/fill_manifest.py)")


def self_test():
    """The shipped manifest passes; a manifest breaking every rule fails on each of them."""
    good = yaml.safe_load(DEFAULT_PATH.read_text())
    failures = []
    if check(good):
        failures.append(f"the shipped manifest should pass, got {check(good)}")
    if not check(good, deployed=True):
        failures.append("--deployed should refuse the placeholder URL")

    bad = {
        "display_information": {"name": "s" * 36, "description": "d" * 141,
                                "long_description": "l" * (LONG_DESCRIPTION_MIN - 1),
                                "background_color": "blue"},
        "features": {
            "bot_user": {"display_name": "Stats Bot"},
            "slash_commands": [
                {"command": "Stats", "description": "x" * 2001, "usage_hint": "u" * 1001,
                 "url": "http://example.com/slack/commands", "should_escape": "no"},
                {"command": "/" + "s" * 32, "description": ""},
            ],
        },
        "oauth_config": {"scopes": {"bot": ["chat:write"]}},
        "settings": {"interactivity": {"is_enabled": False},
                     "event_subscriptions": {"request_url": "https://x.example/slack/commands",
                                             "bot_events": ["app_mention", "app_mention"]}},
    }
    bad["features"]["app_home"] = {"home_tab_enabled": "yes", "messages_tab_enabled": True,
                                   "messages_tab_read_only_enabled": True}
    bad["features"]["unfurl_domains"] = ["https://stats.example.org/v1", "a.example", "b.example",
                                         "c.example", "d.example", "e.example"]
    found = "\n".join(check(bad))
    expected = [
        "display_information.name is 36",
        "display_information.description is 141",
        "display_information.long_description is 174 characters; Slack needs at least 175",
        "background_color",
        "bot_user.display_name may hold only",
        "Stats: must start with /",
        "Stats: must be lowercase",
        "Stats: description is 2001",
        "Stats: usage_hint is 1001",
        "Stats: should_escape must be true or false",
        "must be a full https:// URL",
        "command is 33 characters",
        "description must not be empty",
        "statsbot needs the /stats slash command",
        "scopes.bot must include commands",
        "interactivity.is_enabled must be true",
        "event_subscriptions.request_url must end with /slack/events",
        "bot_events names an event twice",
        "bot_events must include message.im",
        "bot_events must include link_shared",
        "bot_events must include app_home_opened",
        "must include app_mentions:read (app_mention needs it)",
        "must include links:write",
        "app_home.home_tab_enabled must be true or false",
        "app_home.messages_tab_read_only_enabled must be false",
        "6 unfurl domains; Slack allows at most 5",
        "'https://stats.example.org/v1' must be a bare host name",
    ]
    for needle in expected:
        if needle not in found:
            failures.append(f"the bad manifest should be refused for {needle!r}; got:\n{found}")

    # long_description at its limits: 175 and 4000 pass, 4001 fails; absent is fine.
    display = good["display_information"]
    edges = [("l" * LONG_DESCRIPTION_MIN, None), ("l" * 4000, None),
             ("l" * 4001, "long_description is 4001 characters; Slack allows at most 4000"),
             (None, None)]
    for value, needle in edges:
        changed = dict(good, display_information={
            k: v for k, v in dict(display, long_description=value).items() if v is not None})
        problems = "\n".join(check(changed))
        if needle is None and problems:
            failures.append(f"a long_description of {len(value or '')} characters should pass, got:\n{problems}")
        if needle is not None and needle not in problems:
            failures.append(f"a long_description of {len(value)} characters should be refused; got:\n{problems}")
    # Interactivity pointing anywhere but /slack/interactions, or over plain http.
    url_cases = [("https://x.example/slack/commands", "must end with /slack/interactions"),
                 ("http://x.example/slack/interactions", "must be a full https:// URL"),
                 (None, "request_url (the bot's /slack/interactions) is required")]
    for url, needle in url_cases:
        interactivity = {"is_enabled": True} if url is None else {"is_enabled": True, "request_url": url}
        changed = dict(good, settings=dict(good["settings"], interactivity=interactivity))
        if needle not in "\n".join(check(changed)):
            failures.append(f"interactivity at {url!r} should be refused for {needle!r}")
    # The Socket Mode variant: passes, is the same app, and refuses request URLs and drift.
    socket = yaml.safe_load(SOCKET_PATH.read_text())
    socket_cases = 0
    for problems, should_pass, what in [
        (check(socket, deployed=True), True, "the shipped Socket Mode variant"),
        (same_app(socket, good), True, "the variant beside the HTTP manifest"),
        (check(dict(socket, features=good["features"])), False, "a Socket Mode /stats with a url"),
        (check(dict(socket, settings=dict(socket["settings"], interactivity=good["settings"]["interactivity"]))),
         False, "Socket Mode interactivity with a request_url"),
        (same_app(dict(socket, oauth_config={"scopes": {"bot": ["commands"]}}), good), False,
         "a variant missing scopes"),
    ]:
        socket_cases += 1
        if should_pass and problems:
            failures.append(f"{what} should pass, got {problems}")
        if not should_pass and not problems:
            failures.append(f"{what} should be refused")
    # The events' placeholders: --deployed refuses the shipped unfurl domain too.
    if not any("unfurl_domains" in p for p in check(good, deployed=True)):
        failures.append("--deployed should refuse the placeholder unfurl domain")
    filled = dict(good, features=dict(good["features"], unfurl_domains=["abc123.lambda-url.eu-west-1.on.aws"]))
    if any("unfurl_domains" in p for p in check(filled, deployed=True)):
        failures.append(f"a filled-in unfurl domain should pass: {check(filled, deployed=True)}")
    no_events = dict(good, settings={k: v for k, v in good["settings"].items() if k != "event_subscriptions"})
    if "settings.event_subscriptions is required" not in "\n".join(check(no_events)):
        failures.append("a manifest without event subscriptions should be refused")
    total = len(expected) + len(edges) + len(url_cases) + 5 + socket_cases
    return total - len(failures), failures


def main(argv):
    if "--self-test" in argv:
        passed, failures = self_test()
        for failure in failures:
            print(f"FAIL {failure}")
        print(f"manifest checker self-test: {passed} passed, {len(failures)} failed")
        return 1 if failures else 0
    deployed = "--deployed" in argv
    paths = [a for a in argv if not a.startswith("--")] or [str(DEFAULT_PATH)]
    status = 0
    for path in paths:
        manifest = yaml.safe_load(Path(path).read_text())
        problems = check(manifest, deployed=deployed)
        if isinstance(manifest, dict) and (manifest.get("settings") or {}).get("socket_mode_enabled") is True:
            problems += same_app(manifest, yaml.safe_load(DEFAULT_PATH.read_text()))
        for problem in problems:
            print(f"{path}: {problem}")
        if problems:
            status = 1
        else:
            print(f"{path}: within Slack's limits")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

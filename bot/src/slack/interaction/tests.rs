use super::*;
use serde_json::json;

fn form(payload: &serde_json::Value) -> String {
    serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap()
}

fn button(action_id: &str, value: &str) -> Action {
    Action {
        action_id: action_id.into(),
        block_id: "b".into(),
        value: value.into(),
    }
}

#[test]
fn a_block_actions_payload_is_read() {
    let payload = json!({
        "type": "block_actions",
        "user": {"id": "U0CA5", "username": "amy", "team_id": "T3MDE"},
        "team": {"id": "T0CAG", "domain": "acme"},
        "channel": {"id": "C0CA5", "name": "general"},
        "container": {"type": "message", "is_ephemeral": true},
        "response_url": "https://hooks.slack.com/actions/T0CAG/1/x",
        "actions": [{"action_id": "share", "block_id": "b1", "value": "mentors limit=5",
                     "type": "button", "action_ts": "1548426417.840180"}]
    });
    let Interaction::BlockActions(actions) = parse(form(&payload).as_bytes()).unwrap() else {
        panic!("not block_actions");
    };
    assert_eq!(actions.team_id, "T0CAG");
    assert_eq!(actions.user.as_str(), "U0CA5");
    assert!(actions.is_ephemeral);
    let action = actions.action.unwrap();
    assert_eq!(action.value, "mentors limit=5");
    assert_eq!(press(&action), Press::Share(parse_text("mentors limit=5")));
}

#[test]
fn other_types_and_broken_forms() {
    let shortcut = json!({"type": "shortcut", "callback_id": "x"});
    assert_eq!(
        parse(form(&shortcut).as_bytes()).unwrap(),
        Interaction::Other {
            kind: "shortcut".into()
        }
    );
    let twice = format!("{}&{}", form(&shortcut), form(&shortcut));
    assert!(matches!(
        parse(twice.as_bytes()),
        Err(Error::RepeatedField(field)) if field == "payload"
    ));
    assert!(matches!(
        parse(b"payload=%7Bnot+json"),
        Err(Error::BadForm(_))
    ));
    assert!(matches!(parse(b"text=members"), Err(Error::BadForm(_))));
    let forged_user = json!({"type": "block_actions", "user": {"id": "U1> <!channel"}});
    assert!(matches!(
        parse(form(&forged_user).as_bytes()),
        Err(Error::BadForm(_))
    ));
}

#[test]
fn user_ids_are_slacks_shape_only() {
    assert!(UserId::parse("U2147483697").is_some());
    assert!(UserId::parse("W0ABC").is_some());
    for bad in ["", "u123", "U12|x", "U1>", "U 1", &"U".repeat(33)] {
        assert_eq!(UserId::parse(bad), None, "{bad}");
    }
}

#[test]
fn values_are_read_like_typed_text() {
    assert_eq!(
        press(&button(RUN, "SIGNUPS months=6")),
        Press::Run(parse_text("signups months=6"))
    );
    assert_eq!(press(&button(HELP_NEXT, "2")), Press::HelpPage(2));
    assert_eq!(press(&button(HELP_PREVIOUS, "1")), Press::HelpPage(1));
    for (id, value) in [
        (HELP_NEXT, "0"),
        (HELP_NEXT, "-1"),
        (HELP_NEXT, "two"),
        (HELP_NEXT, "99999999"),
        (RUN, ""),
        (RUN, "   "),
        ("delete_everything", "members"),
    ] {
        assert_eq!(press(&button(id, value)), Press::Stale, "{id} {value}");
    }
    assert_eq!(
        press(&button(SHARE, &"x".repeat(MAX_VALUE + 1))),
        Press::Stale
    );
}

#[test]
fn other_readings_travel_one_a_line_and_come_back_as_invocations() {
    let readings = [
        parse_text("growth 7"),
        parse_text("find \"Ada Lovelace\""),
        parse_text("signups months=6"),
        parse_text("members"),
    ];
    let value = readings_value(&readings).unwrap();
    assert_eq!(value, "growth 7\nfind \"Ada Lovelace\"\nsignups months=6");
    assert_eq!(
        press(&button(OTHER_READINGS, &slack_escape(&value))),
        Press::Readings(readings[..3].to_vec())
    );
    // A reading with a line break in a value cannot travel; the others still do.
    let mut broken = parse_text("find");
    broken.args.positional.push("a\nb".into());
    assert_eq!(
        readings_value(&[broken, parse_text("members")]).as_deref(),
        Some("members")
    );
    assert_eq!(readings_value(&[]), None);
    assert_eq!(press(&button(OTHER_READINGS, "\n  \n")), Press::Stale);
}

#[test]
fn an_invocation_survives_the_round_trip_through_a_button() {
    for typed in [
        "members",
        "signups months=6",
        "find \"Ada Lovelace\" O'Brien “curly quotes”",
        "find a&amp;b &lt;x&gt; name=\"x = y\"",
        "find 'say \"hi\"'",
    ] {
        let invocation = parse_text(typed);
        let value = invocation_value(&invocation).expect(typed);
        assert_eq!(
            parse_text(&slack_escape(&value)),
            invocation,
            "{typed} → {value}"
        );
    }
    // Both quotes and a space: no way to write it back.
    let mut both = parse_text("find");
    both.args.positional.push("it's \"x\"".into());
    assert_eq!(invocation_value(&both), None);
    let long = parse_text(&format!("find {}", "<".repeat(600)));
    assert_eq!(invocation_value(&long), None, "over 2000 once escaped");
}

//! Slack's documented payloads, read as the bot reads them.

use super::*;

/// The event of a callback body.
fn event_of(body: &[u8]) -> Event {
    match parse(body).unwrap() {
        Envelope::Callback(callback) => callback.event,
        other => panic!("not a callback: {other:?}"),
    }
}

#[test]
fn url_verification_gives_its_challenge() {
    let body = br#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#;
    assert_eq!(
        parse(body).unwrap(),
        Envelope::UrlVerification {
            challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P".into()
        }
    );
}

#[test]
fn an_app_mention_in_a_thread() {
    let body = br#"{
        "token": "ZZZZZZWSxiZZZ2yIvs3peJ",
        "team_id": "T0123ABCD",
        "api_app_id": "A0123ABCD",
        "event": {
            "type": "app_mention",
            "user": "U0456EFGH",
            "text": "<@U0123ABCD> how many people do we have &amp; who joined?",
            "ts": "1515449522.000016",
            "thread_ts": "1515449438.000011",
            "channel": "C0123456789",
            "event_ts": "1515449522000016",
            "client_msg_id": "7c6d3b0e-2b8a-4c2f-9c1e-0c4b8f3d2a11"
        },
        "type": "event_callback",
        "authorizations": [{"enterprise_id": null, "team_id": "T0123ABCD", "user_id": "U0123ABCD",
                            "is_bot": true, "is_enterprise_install": false}],
        "event_id": "Ev0123ABCDEF",
        "event_time": 1515449522,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0"
    }"#;
    let Envelope::Callback(callback) = parse(body).unwrap() else {
        panic!("not a callback")
    };
    assert_eq!(callback.event_id, "Ev0123ABCDEF");
    assert_eq!(callback.team_id, "T0123ABCD");
    assert_eq!(callback.authorized_users, vec!["U0123ABCD".to_string()]);
    let Event::Mention(said) = callback.event else {
        panic!("not a mention")
    };
    assert_eq!(said.user, "U0456EFGH");
    assert!(said.text.contains("&amp;"), "as sent");
    assert!(said.in_thread());
    assert_eq!(said.reply_thread(), "1515449438.000011");
    assert!(!said.in_dm());
}

#[test]
fn a_top_level_mention_is_answered_under_itself() {
    let said = Said {
        ts: "1515449522.000016".into(),
        ..Said::default()
    };
    assert_eq!(said.reply_thread(), "1515449522.000016");
    assert!(!said.in_thread());
    let first_of_thread = Said {
        thread_ts: Some("1515449522.000016".into()),
        ..said
    };
    assert!(!first_of_thread.in_thread());
}

#[test]
fn a_dm_and_the_bots_own_message() {
    let body = br#"{"team_id":"T0123ABCD","api_app_id":"A0123ABCD","type":"event_callback",
        "event_id":"Ev0DM","event_time":1700000000,"authorizations":[],
        "event":{"type":"message","channel":"D0123ABCD","user":"U0456EFGH","text":"members",
                 "ts":"1700000000.000100","event_ts":"1700000000.000100","channel_type":"im"}}"#;
    let Event::Message(said) = event_of(body) else {
        panic!()
    };
    assert!(said.in_dm());
    assert_eq!(said.subtype, None);
    assert_eq!(said.bot_id, None);

    let own = br#"{"type":"event_callback","event_id":"Ev0OWN","event":{"type":"message",
        "subtype":"bot_message","bot_id":"B0123ABCD","channel":"D0123ABCD","text":"There are 12",
        "ts":"1700000001.000100","channel_type":"im"}}"#;
    let Event::Message(said) = event_of(own) else {
        panic!()
    };
    assert_eq!(said.bot_id.as_deref(), Some("B0123ABCD"));
    assert_eq!(said.subtype.as_deref(), Some("bot_message"));
}

#[test]
fn link_shared_in_the_composer_and_once_posted() {
    let composer = br#"{"type":"event_callback","event_id":"Ev0LINK","team_id":"T0123ABCD",
        "event":{"type":"link_shared","channel":"COMPOSER","is_bot_user_member":false,
        "user":"U0456EFGH","message_ts":"Uxxxxxxx-909b5454-75f8-4ac4-b325-1b40e230bbd8-gryl3kb80b3wm49ihzoo35fyqoq08n2y",
        "unfurl_id":"Uxxxxxxx-909b5454-75f8-4ac4-b325-1b40e230bbd8-gryl3kb80b3wm49ihzoo35fyqoq08n2y",
        "source":"composer","links":[{"domain":"stats.example.org","url":"https://stats.example.org/v1/stats/signups?months=6"}],
        "event_ts":"1700000000.000100"}}"#;
    let Event::LinkShared(shared) = event_of(composer) else {
        panic!()
    };
    assert!(shared.in_composer());
    assert_eq!(
        shared.links,
        vec!["https://stats.example.org/v1/stats/signups?months=6".to_string()]
    );

    let posted = br#"{"type":"event_callback","event_id":"Ev0LINK2",
        "event":{"type":"link_shared","channel":"C0123456789","user":"U0456EFGH",
        "message_ts":"1700000000.000200","thread_ts":"1700000000.000100",
        "unfurl_id":"C0123456789.1700000000.000200.ABC","source":"conversations_history",
        "links":[{"domain":"stats.example.org","url":"https://stats.example.org/v1/stats/members"}]}}"#;
    let Event::LinkShared(shared) = event_of(posted) else {
        panic!()
    };
    assert!(!shared.in_composer());
    assert_eq!(shared.channel, "C0123456789");
    assert_eq!(shared.message_ts, "1700000000.000200");
}

#[test]
fn app_home_opened_names_its_tab() {
    let body = br#"{"type":"event_callback","event_id":"Ev0HOME","event":{"type":"app_home_opened",
        "user":"U0456EFGH","channel":"D0123ABCD","event_ts":"1700000000.000100","tab":"home",
        "view":{"id":"V0123ABCD","team_id":"T0123ABCD","type":"home","blocks":[]}}}"#;
    let event = event_of(body);
    assert_eq!(
        event,
        Event::AppHomeOpened {
            user: "U0456EFGH".into(),
            tab: "home".into()
        }
    );
}

#[test]
fn rate_limited_and_unknown_types_are_read_not_refused() {
    let limited = br#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","type":"app_rate_limited","team_id":"T0123ABCD","minute_rate_limited":1518467820,"api_app_id":"A0123ABCD"}"#;
    assert_eq!(
        parse(limited).unwrap(),
        Envelope::AppRateLimited {
            team_id: "T0123ABCD".into(),
            minute_rate_limited: 1518467820
        }
    );
    assert_eq!(
        parse(br#"{"type":"something_new","x":1}"#).unwrap(),
        Envelope::Other {
            kind: "something_new".into()
        }
    );
    let reaction = br#"{"type":"event_callback","event_id":"Ev0R","event":{"type":"reaction_added","user":"U1","reaction":"+1"}}"#;
    let Envelope::Callback(callback) = parse(reaction).unwrap() else {
        panic!()
    };
    assert_eq!(callback.event.kind(), "reaction_added");
}

#[test]
fn malformed_bodies_are_refused() {
    for body in [
        &b"token=x&challenge=y"[..],
        b"{}",
        b"{\"type\": 3}",
        br#"{"type":"url_verification"}"#,
        br#"{"type":"event_callback","event":{"type":"app_mention"}}"#,
        br#"{"type":"event_callback","event_id":"Ev1"}"#,
        br#"{"type":"event_callback","event_id":"","event":{"type":"app_mention"}}"#,
    ] {
        assert!(
            matches!(parse(body), Err(Error::BadForm(_))),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn the_retry_header_reads_as_a_number() {
    assert_eq!(retry_num(None), 0);
    assert_eq!(retry_num(Some("1")), 1);
    assert_eq!(retry_num(Some(" 3 ")), 3);
    assert_eq!(retry_num(Some("x")), 0);
}

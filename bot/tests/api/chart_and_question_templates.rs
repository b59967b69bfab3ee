//! The templates that carry a chart or answer a question in words, checked like the others in
//! `templates.rs`: valid JSON within Block Kit's limits, nothing that pings.

use crate::helpers::*;
use crate::templates::{
    CTX, HOSTILE, assert_harmless, members, parse, render_members, stat_result,
};
use bot::render;
use bot::slack::message::Message;
use serde_json::{Value, json};
use stats_contract::ResponseType;

#[test]
fn series_and_rankings_carry_their_chart_as_an_image_block_only_when_linked() {
    let link = "https://abc.lambda-url.eu-west-1.on.aws/v1/stats/s.png?expires=1765249871&months=12&sig=3f9a";
    let rows: Vec<Value> = (0..30)
        .map(|i| json!({"who": format!("{HOSTILE}{i}"), "n": 1000 - i}))
        .collect();
    for display in ["ranked", "series"] {
        let mut data = stat_result(
            display,
            &[("who", "string"), ("n", "integer")],
            rows.clone(),
        );
        let render = if display == "ranked" {
            render::ranked
        } else {
            render::series
        };
        let without = parse(&render(HOSTILE, ResponseType::InChannel, &data).unwrap());
        assert!(
            !without["blocks"].to_string().contains("\"image\""),
            "{display}: no link, no image: {without}"
        );

        data.chart_url = Some(link.into());
        let with = parse(&render(HOSTILE, ResponseType::InChannel, &data).unwrap());
        assert_harmless(&with);
        let blocks = with["blocks"].as_array().unwrap();
        let images: Vec<&Value> = blocks.iter().filter(|b| b["type"] == "image").collect();
        assert_eq!(images.len(), 1, "{display}: {with}");
        // The link arrives exactly as the stats API signed it: `&` is not mrkdwn-escaped.
        assert_eq!(images[0]["image_url"], link, "{display}");
        let alt = images[0]["alt_text"].as_str().unwrap();
        assert!(
            alt.starts_with("Chart: A stat: ") || alt.starts_with("Chart: &lt;!channel&gt;"),
            "{alt}"
        );
        // Ranked shows the first rows, a series the newest 24 (the 7th row on).
        let first = if display == "ranked" { "1,000" } else { "994" };
        assert!(
            alt.contains(first),
            "{display}: the figures in words: {alt}"
        );
        assert!(!alt.contains("<!channel>"), "{alt}");
        // The text stays, for notifications and screen readers.
        assert_eq!(blocks[0]["type"], "header");
        assert_eq!(blocks[1]["type"], "section");
        assert_eq!(with["text"], without["text"]);

        // A link Slack could not fetch is left out rather than sent broken.
        data.chart_url = Some(format!("https://x.example/{}", "a".repeat(3000)));
        let too_long = parse(&render(HOSTILE, ResponseType::InChannel, &data).unwrap());
        assert!(!too_long["blocks"].to_string().contains("\"image\""));
    }
}

#[test]
fn every_reply_to_a_question_stays_in_limits_and_pings_nobody() {
    use bot::flows::ask::message::{self as asking, Choice};
    use bot::slack::interaction::{invocation_value, readings_value};
    use bot::slack::slash_command::parse_text;

    let question = HOSTILE.repeat(40);
    let value = invocation_value(&parse_text(&format!("find {}", "&<>".repeat(100)))).unwrap();
    let choices = vec![
        Choice {
            value: value.clone(),
            description: HOSTILE.repeat(40),
        };
        3
    ];
    let offered = parse(&asking::did_you_mean(&CTX, Some(&question), &choices).unwrap());
    assert_eq!(offered["response_type"], "ephemeral");
    assert_harmless(&offered);
    assert_eq!(
        offered["blocks"][1]["accessory"]["value"],
        value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    );
    let bare = parse(&asking::did_you_mean(&CTX, None, &choices[..1]).unwrap());
    assert!(visible_text(&bare).starts_with("Did you mean"), "{bare}");

    let hint = parse(&asking::no_match(&CTX, &question));
    assert_eq!(hint["response_type"], "ephemeral");
    assert_harmless(&hint);
    assert!(hint["text"].as_str().unwrap().chars().count() < 300);

    let others = readings_value(&vec![parse_text(&format!("find {}", "&<>".repeat(100))); 3]);
    let mut answer = render_members(&members(json!(HOSTILE), 3));
    let mut reply = Message::from_rendered(&answer.to_string()).unwrap();
    asking::read_as(&mut reply, &CTX, &question, others.as_deref()).unwrap();
    answer = parse(&reply);
    assert_harmless(&answer);
    let blocks = answer["blocks"].as_array().unwrap();
    assert_eq!(blocks[blocks.len() - 2]["type"], "context");
    assert_eq!(
        blocks[blocks.len() - 1]["elements"][0]["action_id"],
        "other_readings"
    );
}

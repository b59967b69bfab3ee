//! The templates that carry a chart or answer a question in words, checked like the others in
//! `templates.rs`: valid JSON within Block Kit's limits, nothing that pings.

use crate::helpers::*;
use crate::templates::{CTX, HOSTILE, assert_harmless, members, parse, stat_result};
use bot::render;
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
    let commands = bot::commands::Commands::new(&[]);
    let data = members(json!(HOSTILE), 3);
    let mut reply = commands
        .find("members")
        .unwrap()
        .render(&CTX, Some(&data))
        .unwrap();
    asking::read_as(&mut reply, &CTX, &question, others.as_deref()).unwrap();
    let answer = parse(&reply);
    assert_harmless(&answer);
    let blocks = answer["blocks"].as_array().unwrap();
    assert_eq!(blocks[blocks.len() - 2]["type"], "context");
    assert_eq!(
        blocks[blocks.len() - 1]["elements"][0]["action_id"],
        "other_readings"
    );
}

#[test]
fn a_month_not_yet_over_says_so_far_in_the_text_the_notification_and_the_alt_text() {
    // `/stats signups` read on 22 November: November is a month three weeks old.
    let rows = vec![
        json!({"month": "2026-09", "signups": 41}),
        json!({"month": "2026-10", "signups": 44}),
        json!({"month": "2026-11", "signups": 28}),
    ];
    let columns = [("month", "string"), ("signups", "integer")];
    let mut data = stat_result("series", &columns, rows);
    data.chart_url = Some("https://stats.example.org/v1/stats/s.png?sig=1".into());
    let reply = parse(&render::series("Signups", ResponseType::InChannel, &data).unwrap());
    let section = reply["blocks"][1]["text"]["text"].as_str().unwrap();
    let lines: Vec<&str> = section.lines().filter(|l| l.starts_with("2026-")).collect();
    assert_eq!(lines.len(), 3, "{section}");
    assert!(lines[2].ends_with("28 so far"), "{section}");
    assert!(!lines[0].contains("so far") && !lines[1].contains("so far"));
    assert_eq!(reply["text"], "A stat: 2026-11 28 so far");
    let image = reply["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "image")
        .expect("the chart");
    let alt = image["alt_text"].as_str().unwrap();
    assert!(alt.ends_with("2026-11 28 so far"), "{alt}");

    // Read again in December, November has ended: nothing says "so far".
    data.generated_at = Some("2026-12-01T00:00:00Z".into());
    let later = parse(&render::series("Signups", ResponseType::InChannel, &data).unwrap());
    assert!(!later.to_string().contains("so far"), "{later}");
    assert_eq!(later["text"], "A stat: 2026-11 28");
}

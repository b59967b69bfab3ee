use super::*;

fn example() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/alerts.example.toml")).unwrap()
}

#[test]
fn the_shipped_example_reads() {
    let alerts = parse(&example()).unwrap_or_else(|e| panic!("{}", problems_of(&e)));
    assert!((2..=3).contains(&alerts.len()));
    let milestones = alerts
        .iter()
        .filter(|a| matches!(a.rule, Rule::Milestone(_)))
        .count();
    assert_eq!(milestones, 1);
    let growth = alerts
        .iter()
        .find(|a| a.stat.starts_with("growth"))
        .unwrap();
    assert_eq!(growth.invocation().subcommand, "growth");
    assert_eq!(growth.invocation().args.positional, ["7"]);
}

const GOOD: &str = r#"
    [[alerts]]
    name = "quiet_week"
    channel = "C0123456789"
    stat = "growth 7"
    schedule = "*/15 * * * *"
    timezone = "Europe/Berlin"
    when = "joined < joined_the_period_before - 20%"
    for = "30m"
    title = "Signups are down"

    [[alerts]]
    name = "every-hundred"
    channel = "G0123456789"
    stat = "members"
    schedule = "0 * * * *"
    milestone = "total every 100"
"#;

#[test]
fn a_good_file_reads_with_defaults() {
    let alerts = parse(GOOD).unwrap();
    assert_eq!(alerts.len(), 2);
    let (quiet, hundred) = (&alerts[0], &alerts[1]);
    assert_eq!(
        quiet.timezone,
        crate::schedule::zone("Europe/Berlin").unwrap()
    );
    assert_eq!(quiet.hold, Duration::from_secs(1800));
    assert_eq!(quiet.heading(), "Signups are down");
    assert!(
        matches!(&quiet.rule, Rule::When(c) if c.to_string() == "joined < joined_the_period_before - 20%")
    );
    assert_eq!(hundred.timezone, Zone::utc());
    assert_eq!(hundred.hold, Duration::ZERO);
    assert_eq!(hundred.heading(), "every-hundred");
    assert_eq!(
        hundred.rule,
        Rule::Milestone(Milestone {
            column: "total".into(),
            every: 100
        })
    );
    assert!(parse("").unwrap().is_empty(), "no alerts is fine");
}

fn problems_of(mistakes: &[Mistake]) -> String {
    let lines: Vec<String> = mistakes.iter().map(Mistake::to_string).collect();
    lines.join("\n")
}

fn problems(text: &str) -> String {
    problems_of(&parse(text).unwrap_err())
}

/// One alert with `extra`'s keys in place of the defaults.
fn entry(extra: &str) -> String {
    let base = [
        ("name", "name = \"quiet\""),
        ("channel", "channel = \"C0123456789\""),
        ("stat", "stat = \"members\""),
        ("schedule", "schedule = \"*/15 * * * *\""),
        ("when", "when = \"total < 10\""),
    ];
    let mut lines = vec!["[[alerts]]".to_string()];
    for (key, line) in base {
        if !extra.contains(&format!("{key} =")) {
            lines.push(line.into());
        }
    }
    lines.push(extra.into());
    lines.join("\n")
}

#[test]
fn each_mistake_names_the_alert_and_the_key() {
    for (extra, says) in [
        (
            "when = \"total => 10\"",
            "alert `quiet`: `when` \"total => 10\": unknown operator `=>`: use one of < <= > >= == !=",
        ),
        (
            "when = \"total > 10 people\"",
            "`when` \"total > 10 people\": \"10 people\" after the operator is neither",
        ),
        ("when = \"\"", "alert `quiet`: `when` is empty"),
        (
            "milestone = \"total every 100\"",
            "alert `quiet`: `milestone`: give either `when` or `milestone`, not both",
        ),
        (
            "for = \"30 minutes\"",
            "alert `quiet`: `for` \"30 minutes\": not a duration",
        ),
        ("for = 30", "`for` must be a string, not"),
        ("for = \"0m\"", "`for` \"0m\": leave `for` out"),
        ("for = \"31d\"", "`for` \"31d\": at most 30 days"),
        (
            "channel = \"#general\"",
            "alert `quiet`: `channel` \"#general\" is not a channel ID",
        ),
        (
            "schedule = \"every 15 minutes\"",
            "alert `quiet`: `schedule` \"every 15 minutes\": 3 fields",
        ),
        (
            "timezone = \"Europe/Berlni\"",
            "alert `quiet`: `timezone`: \"Europe/Berlni\" is not an IANA",
        ),
        (
            "stat = \"/stats growth 7\"",
            "`stat` \"/stats growth 7\": write it as typed after /stats, e.g. \"growth 7\"",
        ),
        ("stat = \" \"", "`stat` is empty"),
        (
            "tittle = \"Quiet\"",
            "alert `quiet`: unknown key `tittle` (did you mean `title`?)",
        ),
        (
            "chanel = \"C0123456789\"",
            "unknown key `chanel` (did you mean `channel`?)",
        ),
        (
            "stats = [\"members\"]",
            "an alert checks one stat, e.g. stat = \"growth 7\"",
        ),
        ("colour = \"red\"", "alert `quiet`: unknown key `colour`"),
        (
            "name = \"two words\"",
            "`name` \"two words\": letters, digits, - and _ only",
        ),
        ("name = \"\"", "alert `#1`: `name` is empty"),
        ("title = 5", "`title` must be a string, not"),
    ] {
        let got = problems(&entry(extra));
        assert!(got.contains(says), "{extra}\n{got}");
    }
}

#[test]
fn exactly_one_of_when_and_milestone_and_for_only_with_when() {
    let neither = "[[alerts]]\nname = \"n\"\nchannel = \"C0123456789\"\nstat = \"members\"\n\
                   schedule = \"0 * * * *\"";
    assert!(problems(neither).contains("alert `n`: `when` is missing: give `when`"));
    let with_for = format!("{neither}\nmilestone = \"total every 100\"\nfor = \"1h\"");
    assert!(problems(&with_for).contains("`for` only goes with `when`"));
    let bad_milestone = format!("{neither}\nmilestone = \"total every 0\"");
    assert!(problems(&bad_milestone).contains("`milestone` \"total every 0\""));
    assert_eq!(
        parse(&bad_milestone).unwrap_err().len(),
        1,
        "one mistake, said once"
    );
}

#[test]
fn durations_take_seconds_minutes_hours_and_days() {
    assert_eq!(duration("30s"), Ok(Duration::from_secs(30)));
    assert_eq!(duration("30m"), Ok(Duration::from_secs(1800)));
    assert_eq!(duration("2h"), Ok(Duration::from_secs(7200)));
    assert_eq!(duration("1d"), Ok(Duration::from_secs(86_400)));
    for bad in [
        "30",
        "m",
        "1.5h",
        "-1h",
        "2 h",
        "2H",
        "1w",
        "99999999999999999999d",
    ] {
        assert!(duration(bad).is_err(), "{bad}");
    }
}

#[test]
fn every_mistake_at_once_duplicates_and_stray_keys_included() {
    let text = format!(
        "{}\n{}\n{}\n{}",
        entry(""),
        entry("name = \"other\"\nwhen = \"total = 1\"\nchannel = \"U0123456789\""),
        entry("name = \"third\"\nfor = \"soon\""),
        entry("")
    );
    let got = parse(&text).unwrap_err();
    assert_eq!(got.len(), 4, "{got:#?}");
    assert!(
        got[3].to_string().contains("alert `quiet`: declared twice"),
        "{}",
        problems_of(&got)
    );
    let stray = format!("alert = 1\n{}", entry(""));
    assert!(
        problems(&stray).contains("unknown key `alert` at the top of the alerts file"),
        "{}",
        problems(&stray)
    );
    assert!(problems("[[alerts]\n").contains("not valid TOML"));
}

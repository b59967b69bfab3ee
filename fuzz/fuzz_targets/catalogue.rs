//! Catalogue parsing: any text is accepted or refused with a message, never a panic. A catalogue
//! that parses lists as JSON that reads back the same, and the bot builds its commands and help
//! from that listing within Slack's limits.
#![no_main]

use bot::commands::Commands;
use bot::render::Context;
use bot::slack::slash_command::parse_text;
use libfuzzer_sys::fuzz_target;
use stats_api::catalogue::Catalogue;

fuzz_target!(|text: &str| {
    let Ok(catalogue) = Catalogue::parse(text) else {
        return;
    };
    let listing = stats_contract::Catalogue::from(&catalogue);
    let json = serde_json::to_string(&listing).expect("the listing serializes");
    let read: stats_contract::Catalogue =
        serde_json::from_str(&json).expect("the listing reads back");
    assert_eq!(read, listing);

    for stat in &catalogue.stats {
        // Defaults alone either resolve or name the parameter that is required.
        let _ = stat.resolve_params(&[]);
        assert!(
            stat.sql
                .names
                .iter()
                .all(|n| stat.params.iter().any(|p| &p.name == n))
        );
    }

    let commands = Commands::new(&read.stats);
    let ctx = Context { command: "/stats" };
    for info in &read.stats {
        let invocation = parse_text(&format!("{} help", info.name));
        if let Some(reply) = statsbot_fuzz::answer(&commands, &ctx, &invocation, None) {
            statsbot_fuzz::assert_sendable(&reply);
        }
    }
    let help = commands.find("help").unwrap().render(&ctx, None).unwrap();
    statsbot_fuzz::assert_sendable(&help);
});

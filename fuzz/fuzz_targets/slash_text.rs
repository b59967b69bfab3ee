//! `/stats` text: any text splits without a panic into a lower-case subcommand and arguments,
//! and whatever the bot answers to it (help, a typo, a bad argument) is a sendable message.
#![no_main]

use bot::commands::Commands;
use bot::render::Context;
use bot::slack::slash_command::parse_text;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static COMMANDS: LazyLock<Commands> = LazyLock::new(|| Commands::new(&statsbot_fuzz::catalogue()));

fuzz_target!(|text: &str| {
    let invocation = parse_text(text);
    let subcommand = &invocation.subcommand;
    assert!(!subcommand.contains(char::is_whitespace), "{subcommand:?}");
    assert_eq!(*subcommand, subcommand.to_lowercase());
    for (key, _) in &invocation.args.named {
        assert!(!key.is_empty(), "{invocation:?}");
        assert!(
            key.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'),
            "{key:?}"
        );
    }

    let ctx = Context { command: "/stats" };
    if let Some(reply) = statsbot_fuzz::answer(&COMMANDS, &ctx, &invocation, None) {
        statsbot_fuzz::assert_sendable(&reply);
    }
});

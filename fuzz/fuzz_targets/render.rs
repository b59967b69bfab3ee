//! Rendering any stat result: every display, through the commands as the bot runs them, gives
//! JSON inside Block Kit's limits in which no `<!…>`, `<@…>` or `<#…>` from the data survives.
#![no_main]

use arbitrary::{Result, Unstructured};
use bot::commands::Commands;
use bot::commands::{self, HelpEntry};
use bot::render::{self, Context};
use bot::slack::slash_command::parse_text;
use libfuzzer_sys::fuzz_target;
use statsbot_fuzz::{assert_sendable, response_type, stat_result, text};
use std::sync::LazyLock;

static COMMANDS: LazyLock<Commands> = LazyLock::new(|| Commands::new(&statsbot_fuzz::catalogue()));

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let result = stat_result(u)?;
    let title = text(u)?;
    let kind = response_type(u)?;
    for render in [render::figures, render::ranked, render::series] {
        match render(&title, kind, &result) {
            Ok(reply) => {
                assert_sendable(&reply);
            }
            // Only a result without columns has nothing to rank or draw.
            Err(e) => assert!(result.columns.is_empty(), "{e}"),
        }
    }

    // The same result as the answer to a command, and the help and "working" replies around it.
    let command = text(u)?;
    let ctx = Context { command: &command };
    let invocation = parse_text(&text(u)?);
    if let Some(reply) = statsbot_fuzz::answer(&COMMANDS, &ctx, &invocation, Some(&result)) {
        assert_sendable(&reply);
    }
    for name in ["members", "signups", "mentors", "joined"] {
        let reply = COMMANDS.find(name).unwrap().render(&ctx, Some(&result));
        if let Ok(reply) = reply {
            assert_sendable(&reply);
        }
    }
    assert_sendable(&bot::flows::working::working(&ctx, &text(u)?));
    let mut entries = Vec::new();
    for _ in 0..u.int_in_range(0..=400)? {
        entries.push(HelpEntry {
            usage: text(u)?,
            description: text(u)?,
            run: Some(text(u)?),
        });
    }
    assert_sendable(&commands::help(&ctx, &entries).expect("help renders"));
    Ok(())
}

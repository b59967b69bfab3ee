//! Logging with `tracing`: JSON lines on Lambda (CloudWatch), readable lines elsewhere, with
//! colour only when the output is a terminal. `RUST_LOG` takes `target=level` lists
//! (e.g. `info,sqlx=warn`); `default_filter` applies when it is unset or unreadable.
//!
//! Values logged from requests are user input: in readable lines every control character in a
//! field is escaped (`\n`, `\u{1b}`), so a value cannot start a forged line, move the cursor or
//! clear a terminal. JSON lines escape them already (`\n`, `\u001b`).

use std::borrow::Cow;
use std::fmt::{self, Write};
use std::io::IsTerminal;

use tracing_subscriber::field::RecordFields;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::{DefaultFields, Writer};
use tracing_subscriber::fmt::{FormatFields, MakeWriter};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

pub fn init(default_filter: &str) {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|spec| spec.parse::<Targets>().ok())
        .or_else(|| default_filter.parse().ok())
        .unwrap_or_default();
    let on_lambda = crate::on_lambda();
    let json = on_lambda.then(|| json_layer(std::io::stdout));
    let text = (!on_lambda).then(|| text_layer(std::io::stdout, std::io::stdout().is_terminal()));
    // Err means a subscriber is already set (tests, or the statsbot command): keep that one.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(json)
        .with(text)
        .try_init();
}

/// Readable lines, fields escaped ([`EscapedFields`]).
pub fn text_layer<S, W>(writer: W, ansi: bool) -> impl tracing_subscriber::Layer<S>
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt::layer()
        .fmt_fields(EscapedFields)
        .with_ansi(ansi)
        .with_writer(writer)
}

/// One JSON object a line, fields at the top level (CloudWatch metric filters read them).
pub fn json_layer<S, W>(writer: W) -> impl tracing_subscriber::Layer<S>
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt::layer()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_ansi(false)
        .with_writer(writer)
}

/// tracing-subscriber's own field format, with every control character escaped afterwards.
pub struct EscapedFields;

impl<'writer> FormatFields<'writer> for EscapedFields {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> fmt::Result {
        let mut plain = String::new();
        DefaultFields::new().format_fields(Writer::new(&mut plain), fields)?;
        writer.write_str(&escape_controls(&plain))
    }
}

/// `"a\nb\u{1b}[2J"` → `a\nb\u{1b}[2J` written out as visible characters. Pure.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Buffer {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    const HOSTILE_USER: &str = "U\nINFO forged line";
    const HOSTILE_TEAM: &str = "T\u{1b}[2J\u{1b}[31mX";

    fn log_hostile_values() {
        let span = tracing::info_span!("stat", stat = %"x\u{1b}[0m");
        let _entered = span.enter();
        tracing::info!(team = %HOSTILE_TEAM, user = %HOSTILE_USER, subcommand = ?"\u{7}", "slash command");
    }

    fn assert_one_clean_line(output: &str) {
        assert_eq!(output.lines().count(), 1, "{output:?}");
        assert!(
            !output.contains('\u{1b}') && !output.contains('\u{7}'),
            "{output:?}"
        );
    }

    #[test]
    fn readable_lines_escape_control_characters() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber =
            tracing_subscriber::registry().with(text_layer(move || writer.clone(), false));
        tracing::subscriber::with_default(subscriber, log_hostile_values);
        let output = buffer.text();
        assert_one_clean_line(&output);
        assert!(output.contains("user=U\\nINFO forged line"), "{output}");
        assert!(output.contains("team=T\\u{1b}[2J"), "{output}");
    }

    #[test]
    fn json_lines_escape_control_characters() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::registry().with(json_layer(move || writer.clone()));
        tracing::subscriber::with_default(subscriber, log_hostile_values);
        let output = buffer.text();
        assert_one_clean_line(&output);
        let line: serde_json::Value = serde_json::from_str(output.trim()).unwrap();
        assert_eq!(line["user"], HOSTILE_USER);
        assert_eq!(line["message"], "slash command");
    }

    #[test]
    fn clean_text_is_not_copied() {
        assert!(matches!(escape_controls("Zoë ✓"), Cow::Borrowed(_)));
        assert_eq!(escape_controls("a\tb\u{85}"), "a\\tb\\u{85}");
    }
}

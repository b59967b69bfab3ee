//! Logging with `tracing`: JSON lines on Lambda (CloudWatch), readable lines elsewhere, with
//! colour only when the output is a terminal. `RUST_LOG` takes `target=level` lists
//! (e.g. `info,sqlx=warn`); `default_filter` applies when it is unset or unreadable.
//!
//! Values logged from requests are user input: in readable lines every control character in a
//! field is escaped (`\n`, `\u{1b}`), so a value cannot start a forged line, move the cursor or
//! clear a terminal. JSON lines escape them already (`\n`, `\u001b`). Bidirectional controls
//! (U+202A–U+202E, U+2066–U+2069, the marks U+200E, U+200F, U+061C) are escaped in both: a
//! right-to-left override would make a log line read backwards from where it sits.

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
    // A panic's message may hold request values: logged like any line (escaped, JSON on
    // Lambda) rather than printed raw to stderr.
    std::panic::set_hook(Box::new(|info| tracing::error!(panic = %info, "panicked")));
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
        .with_writer(BidiEscapingWriter(writer))
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

/// Characters that reorder the text around them when shown: the bidirectional embeddings,
/// overrides and isolates, and the marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// `"a\nb\u{1b}[2J"` → `a\nb\u{1b}[2J` written out as visible characters, bidirectional
/// controls too (`\u{202e}`). Pure.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A JSON line's writer that writes bidirectional controls as JSON escapes (`\u202e`).
/// serde_json leaves them raw; they only occur inside JSON strings (the rest is ASCII), where
/// the escape reads back as the same character.
pub struct BidiEscapingWriter<W>(W);

impl<'a, W: MakeWriter<'a>> MakeWriter<'a> for BidiEscapingWriter<W> {
    type Writer = BidiEscaping<W::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        BidiEscaping(self.0.make_writer())
    }
}

pub struct BidiEscaping<W>(W);

impl<W: std::io::Write> std::io::Write for BidiEscaping<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // tracing-subscriber writes each line whole, so a character is never split.
        match std::str::from_utf8(buf) {
            Ok(text) if text.chars().any(is_bidi_control) => {
                let mut out = String::with_capacity(text.len() + 16);
                for c in text.chars() {
                    if is_bidi_control(c) {
                        let _ = write!(out, "\\u{:04x}", u32::from(c));
                    } else {
                        out.push(c);
                    }
                }
                self.0.write_all(out.as_bytes())?;
            }
            _ => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
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
    fn bidirectional_controls_are_escaped_in_both_formats() {
        let hostile = "admin\u{202e}nimda\u{2066}x\u{2069}\u{200f}\u{61c}";
        assert_eq!(
            escape_controls(hostile),
            "admin\\u{202e}nimda\\u{2066}x\\u{2069}\\u{200f}\\u{61c}"
        );
        let log = |layer_json: bool| {
            let buffer = Buffer::default();
            let writer = buffer.clone();
            let log = || tracing::info!(question = %hostile, "question read");
            if layer_json {
                let s = tracing_subscriber::registry().with(json_layer(move || writer.clone()));
                tracing::subscriber::with_default(s, log);
            } else {
                let s =
                    tracing_subscriber::registry().with(text_layer(move || writer.clone(), false));
                tracing::subscriber::with_default(s, log);
            }
            buffer.text()
        };
        for output in [log(false), log(true)] {
            assert!(!output.chars().any(is_bidi_control), "{output:?}");
            assert!(output.contains("202e"), "{output}");
        }
        // The JSON line still reads back as what was logged.
        let json: serde_json::Value = serde_json::from_str(log(true).trim()).unwrap();
        assert_eq!(json["question"], hostile);
    }

    #[test]
    fn clean_text_is_not_copied() {
        assert!(matches!(escape_controls("Zoë ✓"), Cow::Borrowed(_)));
        assert_eq!(escape_controls("a\tb\u{85}"), "a\\tb\\u{85}");
    }
}

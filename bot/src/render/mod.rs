//! Turning results into Slack messages. The wording and layout live in `templates/*.json`;
//! the modules here prepare the values those templates show and keep them inside Block Kit's
//! limits. Pure: no I/O.
//!
//! - [`format`]: numbers, dates and column names as a reader should see them
//! - [`displays`]: a stat's rows as figures, a ranked list or a series
//! - [`help`]: `/stats help`
//! - [`working`]: "working on it", when the answer follows through `response_url`
//! - [`sharing`]: a private answer's "Share in channel" button, and the answer once shared
//! - [`asking`]: a question in words: "Read as …", "Did you mean…", or that no stat fits
//! - [`alert`]: an alert's message (an incident or a milestone) with its state as metadata
//!
//! What a user is told when something goes wrong is in `crate::explanation`.

pub(crate) mod alert;
pub mod asking;
mod digests;
mod displays;
pub mod format;
mod help;
pub mod sharing;
mod working;

pub use digests::{DigestEntry, digests};
pub use displays::{figures, ranked, series};
pub use format::{format_value, group_thousands, humanize, slack_date};
pub use help::{HELP_PAGE_SIZE, HelpEntry, help, help_page};
pub use working::working;

use std::borrow::Cow;
use std::fmt::{self, Write};

/// askama escaper for `.json` templates: Slack mrkdwn escaping of exactly `&`, `<` and `>`, then
/// JSON string escaping. Templates write every value inside a JSON string literal, so a member
/// named `<!channel>` arrives as the text `&lt;!channel&gt;` and pings nobody.
#[derive(Debug, Clone, Copy, Default)]
pub struct SlackJson;

impl askama::filters::Escaper for SlackJson {
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        let mut start = 0;
        for (i, c) in string.char_indices() {
            let escaped: Cow<'static, str> = match c {
                '&' => "&amp;".into(),
                '<' => "&lt;".into(),
                '>' => "&gt;".into(),
                '"' => "\\\"".into(),
                '\\' => "\\\\".into(),
                '\n' => "\\n".into(),
                '\r' => "\\r".into(),
                '\t' => "\\t".into(),
                c if c < ' ' => format!("\\u{:04x}", u32::from(c)).into(),
                _ => continue,
            };
            dest.write_str(&string[start..i])?;
            dest.write_str(&escaped)?;
            start = i + c.len_utf8();
        }
        dest.write_str(&string[start..])
    }
}

/// Where a reply is going: the slash command as the user typed it (`/stats`), so help and
/// errors quote the name this workspace installed.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub command: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escape(s: &str) -> String {
        let mut out = String::new();
        askama::filters::Escaper::write_escaped_str(&SlackJson, &mut out, s).unwrap();
        out
    }

    #[test]
    fn escaper_does_slack_then_json_escaping() {
        assert_eq!(
            escape("<!channel> & \"q\" \\ \n\u{1}"),
            "&lt;!channel&gt; &amp; \\\"q\\\" \\\\ \\n\\u0001"
        );
        assert_eq!(escape("Zoë ✓"), "Zoë ✓");
    }
}

//! What every message shares, whoever builds it. A message's own wording lives beside the code
//! that sends it (a feature's folder, or the flow for the core's replies), its template in the
//! same folder under `templates/`; here is only what several of them use. Pure: no I/O.
//!
//! - [`format`]: numbers, dates and column names as a reader should see them
//! - [`displays`]: a stat's rows as figures, a ranked list or a series (`templates/render/`):
//!   every stat's answer, and so digests and alerts, which show stats' answers
//! - [`SlackJson`]: the escaping every `.json` template gets; [`Context`]: the command's name
//!
//! What a user is told when something goes wrong is in `crate::explanation`.

mod displays;
pub mod format;

pub use displays::{figures, ranked, series};
pub use format::{format_value, group_thousands, humanize, slack_date};

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

//! The form Slack posts for a slash command, and the split of its `text` into a subcommand and
//! arguments. Pure: bytes in, values out.

use std::borrow::Cow;

use serde::Deserialize;

use crate::error::{Error, Result};

/// The slash command's name as the app manifest installs it: what the bot calls itself where
/// no command was typed (a button, a digest, an alert). Replies to a command quote the name it
/// came with instead.
pub const COMMAND: &str = "/stats";

/// The fields Slack sends. Unknown fields are ignored; missing ones are empty.
///
/// The deprecated verification `token` is deliberately not kept: signatures replace it, and a
/// value never stored is never logged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SlashCommand {
    pub team_id: String,
    pub team_domain: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub channel_id: String,
    pub channel_name: String,
    pub user_id: String,
    pub user_name: String,
    pub command: String,
    pub text: String,
    pub response_url: String,
    pub trigger_id: String,
    pub api_app_id: String,
    pub is_enterprise_install: String,
}

impl SlashCommand {
    /// A field given twice is [`Error::RepeatedField`]: Slack never does that, and which of
    /// the two was meant cannot be told, so nothing is run.
    pub fn parse(body: &[u8]) -> Result<Self> {
        serde_urlencoded::from_bytes(body).map_err(|e| {
            let message = e.to_string();
            match repeated_field(&message) {
                Some(field) => Error::RepeatedField(field.to_string()),
                None => Error::BadForm(message),
            }
        })
    }

    /// The command as typed, e.g. `/stats`; falls back to [`COMMAND`] when Slack left it out.
    pub fn command_name(&self) -> &str {
        if self.command.is_empty() {
            COMMAND
        } else {
            &self.command
        }
    }
}

/// The field serde found twice, from its `duplicate field `name`` message.
pub(super) fn repeated_field(message: &str) -> Option<&str> {
    message.strip_prefix("duplicate field `")?.split('`').next()
}

/// Slack's certificate check: an unsigned `ssl_check=1` post that wants a 200 and nothing else.
pub fn is_ssl_check(body: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct SslCheck {
        ssl_check: Option<String>,
    }
    serde_urlencoded::from_bytes::<SslCheck>(body)
        .is_ok_and(|form| form.ssl_check.as_deref() == Some("1"))
}

/// `/stats <subcommand> <args…>` after splitting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invocation {
    /// Lower-cased; empty when the text was empty.
    pub subcommand: String,
    pub args: Args,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    pub positional: Vec<String>,
    /// `key=value` pairs in the order typed; keys lower-cased.
    pub named: Vec<(String, String)>,
}

impl Args {
    pub fn is_empty(&self) -> bool {
        self.positional.is_empty() && self.named.is_empty()
    }
}

/// Splits the text of a slash command. Values may be quoted with straight or curly quotes (Slack
/// clients often turn `"` into `“”`); an unclosed quote runs to the end of the text.
pub fn parse_text(text: &str) -> Invocation {
    let text = unescape_slack(text);
    let mut chars = text.trim().chars().peekable();

    let subcommand: String = chars
        .by_ref()
        .take_while(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();

    let mut args = Args::default();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut key = None;
        let mut value = String::new();
        if let Some(close) = chars.peek().copied().and_then(closing_quote) {
            chars.next();
            read_quoted(&mut chars, close, &mut value);
        }
        while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
            if c == '=' && key.is_none() && is_key(&value) {
                key = Some(std::mem::take(&mut value).to_lowercase());
                if let Some(close) = chars.peek().copied().and_then(closing_quote) {
                    chars.next();
                    read_quoted(&mut chars, close, &mut value);
                }
            } else {
                value.push(c);
            }
        }
        match key {
            Some(key) => args.named.push((key, value)),
            None => args.positional.push(value),
        }
    }
    Invocation { subcommand, args }
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '\'' => Some('\''),
        '“' | '”' => Some('”'),
        '‘' | '’' => Some('’'),
        _ => None,
    }
}

fn read_quoted(chars: &mut impl Iterator<Item = char>, close: char, out: &mut String) {
    for c in chars {
        // Some clients close a curly quote with a straight one, or the reverse.
        let closes = c == close || (close == '”' && c == '"') || (close == '’' && c == '\'');
        if closes {
            return;
        }
        out.push(c);
    }
}

fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Slack sends `&`, `<` and `>` in `text` as entities; turn them back into what the user typed.
fn unescape_slack(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (decoded, len) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')]
            .into_iter()
            .find(|(entity, _)| rest.starts_with(entity))
            .map_or(('&', 1), |(entity, c)| (c, entity.len()));
        out.push(decoded);
        rest = &rest[len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> (String, Vec<String>, Vec<(String, String)>) {
        let inv = parse_text(text);
        (inv.subcommand, inv.args.positional, inv.args.named)
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn empty_text_has_no_subcommand() {
        assert_eq!(parse_text("   "), Invocation::default());
    }

    #[test]
    fn subcommand_is_case_insensitive_and_args_keep_their_case() {
        let (sub, pos, named) = split("  MEMBERS  Ada  ");
        assert_eq!(sub, "members");
        assert_eq!(pos, strings(&["Ada"]));
        assert!(named.is_empty());
    }

    #[test]
    fn positional_and_named_args_mix() {
        let (sub, pos, named) = split("signups 6 Months=3 x=");
        assert_eq!(sub, "signups");
        assert_eq!(pos, strings(&["6"]));
        assert_eq!(named, pairs(&[("months", "3"), ("x", "")]));
    }

    #[test]
    fn quoted_values_keep_spaces_and_equals_signs() {
        let (_, pos, named) =
            split(r#"find name="Ada Lovelace" 'a b' "k=v" “curly quotes” note=‘short’"#);
        assert_eq!(pos, strings(&["a b", "k=v", "curly quotes"]));
        assert_eq!(named, pairs(&[("name", "Ada Lovelace"), ("note", "short")]));
    }

    #[test]
    fn unclosed_quote_runs_to_the_end() {
        let (_, pos, _) = split(r#"find "Ada Love"#);
        assert_eq!(pos, strings(&["Ada Love"]));
    }

    #[test]
    fn apostrophes_inside_words_are_not_quotes() {
        let (_, pos, _) = split("find O'Brien");
        assert_eq!(pos, strings(&["O'Brien"]));
    }

    #[test]
    fn slack_entities_are_decoded_once() {
        let (_, pos, _) = split("find a&amp;b &lt;x&gt; &amp;lt; &nbsp;");
        assert_eq!(pos, strings(&["a&b", "<x>", "&lt;", "&nbsp;"]));
    }

    #[test]
    fn form_fields_parse_and_unknown_ones_are_tolerated() {
        let body = b"team_id=T1&user_id=U1&user_name=ada&command=%2Fstats&text=members+now&brand_new_field=1&token=old";
        let cmd = SlashCommand::parse(body).unwrap();
        assert_eq!(cmd.team_id, "T1");
        assert_eq!(cmd.text, "members now");
        assert_eq!(cmd.command_name(), "/stats");
        assert!(cmd.channel_id.is_empty());
    }

    #[test]
    fn ssl_check_is_recognised() {
        assert!(is_ssl_check(b"ssl_check=1&token=abc"));
        assert!(!is_ssl_check(b"ssl_check=0"));
        assert!(!is_ssl_check(b"text=ssl_check%3D1"));
    }
}

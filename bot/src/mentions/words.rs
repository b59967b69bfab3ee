//! A mention's or a DM's text as the words of a `/stats` command: the bot's own mention taken
//! out (wherever it is, `<@U…>` or `<@U…|name>`), with the punctuation that leads to the words
//! ("@statsbot, how many…"). Everything else is read exactly as `/stats` text. Pure.

use crate::slack::slash_command::{Invocation, parse_text};

/// The words of `text`, without the mentions of `bot_user` (the bot's own user id).
pub fn words(text: &str, bot_user: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<@") {
        let after = &rest[at + 2..];
        let Some(end) = after.find('>') else { break };
        let id = after[..end].split('|').next().unwrap_or_default();
        out.push_str(&rest[..at]);
        if bot_user.is_empty() || id != bot_user {
            out.push_str(&rest[at..at + 2 + end + 1]);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.trim()
        .trim_start_matches(|c: char| c.is_whitespace() || ",:;-—".contains(c))
        .trim()
        .to_string()
}

/// The words read as a `/stats` invocation.
pub fn invocation(text: &str, bot_user: &str) -> Invocation {
    parse_text(&words(text, bot_user))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOT: &str = "U0123ABCD";

    #[test]
    fn the_bots_mention_is_taken_out_wherever_it_is() {
        assert_eq!(
            words("<@U0123ABCD> how many people do we have", BOT),
            "how many people do we have"
        );
        assert_eq!(words("<@U0123ABCD|statsbot>, members", BOT), "members");
        assert_eq!(words("hey <@U0123ABCD>: signups 6", BOT), "hey : signups 6");
        assert_eq!(
            words("how many members <@U0123ABCD>?", BOT),
            "how many members ?"
        );
        assert_eq!(words("<@U0123ABCD>", BOT), "");
    }

    #[test]
    fn other_mentions_and_entities_stay_as_typed() {
        assert_eq!(
            words("<@U0123ABCD> invites by <@U0999ZZZZ> &amp; co", BOT),
            "invites by <@U0999ZZZZ> &amp; co"
        );
        let read = invocation("<@U0123ABCD> signups months=3", BOT);
        assert_eq!(read.subcommand, "signups");
        assert_eq!(read.args.named, vec![("months".into(), "3".into())]);
        assert_eq!(
            invocation("<@U0123ABCD> a &lt;b&gt;", BOT).args.positional,
            vec!["<b>".to_string()]
        );
    }

    #[test]
    fn a_dm_is_read_whole_and_an_unclosed_mention_is_kept() {
        assert_eq!(words("  members  ", BOT), "members");
        assert_eq!(words("<@U0123ABCD members", BOT), "<@U0123ABCD members");
        assert_eq!(words("<@U0123ABCD> help", ""), "<@U0123ABCD> help");
    }
}

//! A Slack channel ID as the bot's settings files name one (`channel = "C0123456789"` in
//! digests and alerts). Checked before it is ever written into a message as `<#C…>`.

/// The rule [`is_channel_id`] enforces, in the words a mistake uses.
pub const CHANNEL_ID_RULE: &str = "C (public) or G (private) then 8 to 19 capital letters or \
                                   digits, 9 to 20 characters in all";

/// `C…` (public) or `G…` (private) then capital letters and digits, 9–20 characters in all: a
/// channel ID as Slack shows it.
pub fn is_channel_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('C' | 'G'))
        && (9..=20).contains(&s.len())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Why `channel` is not a channel ID, for a settings file's mistake about `key`.
pub fn not_a_channel_id(key: &str, channel: &str) -> String {
    format!(
        "`{key}` {channel:?} is not a channel ID: {CHANNEL_ID_RULE}, e.g. \"C0123456789\" \
         (in Slack: the channel's name → About → Channel ID)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_is_the_one_enforced() {
        assert!(is_channel_id("C0123456789"));
        assert!(is_channel_id("G01ABCDEF"), "9 in all");
        assert!(is_channel_id(&format!("C{}", "0".repeat(19))), "20 in all");
        for not in [
            "C0BARS",
            "C01ABCDE",
            &format!("C{}", "0".repeat(20)),
            "C012>|x",
            "c0123456789",
            "C01",
            "D0123456789",
            "U0123456789",
            "#general",
        ] {
            assert!(!is_channel_id(not), "{not}");
        }
        let said = not_a_channel_id("channel", "C0BARS");
        assert!(
            said.starts_with(
                "`channel` \"C0BARS\" is not a channel ID: C (public) or G (private) then 8 to 19 \
                 capital letters or digits, 9 to 20 characters in all"
            ),
            "{said}"
        );
    }
}

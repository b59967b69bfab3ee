//! What keeps an answer from being confident beyond how well the words fit: questions about
//! the asker, and "of all time" asked of an entry that counts over a window.

use super::fill::Role;
use super::matcher::Doc;
use super::words::Word;

/// "of all time", "ever": no period a parameter can take.
pub fn all_time(ws: &[Word]) -> bool {
    ws.windows(2)
        .any(|p| p[0].text == "all" && p[1].text == "time")
        || ws.iter().any(|w| w.text == "ever")
}

/// An entry that counts over a window it takes as a parameter (which has a default, and so
/// answers for less than "all time").
pub fn counts_back(doc: &Doc) -> bool {
    doc.params
        .iter()
        .any(|(_, r)| matches!(r, Role::Length(_) | Role::Start | Role::End))
}

/// "my invites", "how many did I send": about the asker, which no community figure answers.
pub fn personal(ws: &[Word]) -> bool {
    ws.iter().enumerate().any(|(i, w)| match w.text.as_str() {
        "my" | "mine" | "myself" => true,
        // "can I see", "I want", "I'd like": a request, not about the asker.
        "i" => {
            let before = i.checked_sub(1).map(|j| ws[j].text.as_str());
            let after = ws.get(i + 1).map(|w| w.text.as_str());
            !matches!(before, Some("can" | "could" | "may"))
                && !matches!(
                    after,
                    Some("want" | "wanna" | "need" | "would" | "d" | "ll" | "m" | "wonder" | "was")
                )
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::super::words::words;
    use super::*;

    #[test]
    fn questions_about_the_asker_and_all_time_are_told() {
        assert!(personal(&words("how many messages did I send")));
        assert!(personal(&words("my invites")));
        assert!(!personal(&words("can I see the members")));
        assert!(!personal(&words("I want the mentor leaderboard")));
        assert!(all_time(&words("top posters of all time")));
        assert!(all_time(&words("total signups ever")));
        assert!(!all_time(&words("all members this time")));
    }
}

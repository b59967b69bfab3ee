//! What keeps an answer from being confident beyond how well the words fit: questions about
//! the asker, "of all time" asked of an entry that counts over a window, and requests to change
//! something ("delete the newest member"), which no stat answers. Greetings and thanks are no
//! question at all.

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

/// Verbs that ask to change data whatever follows them ("remove members who left").
const CHANGE_VERBS: &[&str] = &[
    "delete",
    "remove",
    "kick",
    "reset",
    "create",
    "erase",
    "wipe",
    "purge",
    "unban",
    "demote",
    "promote",
    "rename",
    "deactivate",
    "reactivate",
    "revoke",
    "mute",
    "unmute",
    "insert",
    "modify",
    "edit",
    "update",
    "add",
    "ban",
    "suspend",
    "unsuspend",
    "archive",
    "restore",
    "grant",
    "assign",
    "unassign",
    "approve",
    "reject",
    "enroll",
    "enrol",
    "register",
    "subscribe",
    "unsubscribe",
    "undo",
    "import",
    "upload",
    "merge",
    "migrate",
    "truncate",
    "drop",
    "clear",
    "disable",
    "enable",
    "activate",
    "kickban",
    "boot",
    "expel",
    "nuke",
];

/// Verbs that are often nouns at the start of a question ("change in members", "block list",
/// "invite leaderboard"): a request only when an object follows ("invite her", "set the …").
const CHANGE_VERBS_WITH_OBJECT: &[&str] = &[
    "change", "block", "unblock", "invite", "set", "close", "open", "send", "cancel", "make",
    "mark", "move", "message", "email", "ping", "dm", "notify", "welcome", "give", "post", "pin",
    "tag", "flag", "report", "warn", "fire", "hire", "pay", "refund", "charge", "log", "record",
    "book", "schedule", "note", "enter", "submit",
];

/// Verbs that, followed by "me", ask to be shown something.
const SHOWING_VERBS: &[&str] = &[
    "show", "tell", "give", "get", "send", "fetch", "pull", "find", "list", "display", "bring",
    "remind", "let", "hit", "ping", "dm", "grab", "teach",
];

/// What may come before a request's verb: courtesy and addressing.
const BEFORE_REQUEST: &[&str] = &[
    "please", "pls", "plz", "can", "could", "would", "will", "you", "u", "kindly", "hey", "hi",
    "yo", "bot", "statsbot", "go", "ahead", "and", "just", "quickly", "now", "ok", "okay", "i",
    "want", "need", "to", "like", "d", "let", "s", "lets", "us", "me", "help", "try",
];

/// What follows a verb used as a verb: an object.
const OBJECTS: &[&str] = &[
    "the",
    "a",
    "an",
    "all",
    "every",
    "everyone",
    "everybody",
    "my",
    "our",
    "this",
    "that",
    "these",
    "those",
    "him",
    "her",
    "them",
    "me",
    "us",
    "it",
    "someone",
    "somebody",
    "anyone",
    "user",
    "member",
    "members",
    "users",
    "people",
    "new",
    "inactive",
    "old",
    "spam",
    "each",
];

/// "delete the newest member", "please ban @bob", "can you add a mentor": a request to change
/// data, which the stats API never does. Its first word (after "please", "can you", …) is a
/// verb that changes things.
pub fn request_to_change(ws: &[Word]) -> bool {
    let Some(i) = ws
        .iter()
        .position(|w| !BEFORE_REQUEST.contains(&w.text.as_str()))
    else {
        return false;
    };
    let verb = ws[i].text.as_str();
    // "how can I delete" asks how, "what did we add": a question word first is a question.
    if ws[..i]
        .iter()
        .any(|w| matches!(w.text.as_str(), "how" | "what" | "who" | "when" | "which"))
    {
        return false;
    }
    if CHANGE_VERBS.contains(&verb) {
        return true;
    }
    // "rsvp me to …", "sign me up", "count me in": doing something for the asker; "show me",
    // "tell me", "give me" ask to be shown.
    if ws.get(i + 1).is_some_and(|w| w.text == "me") && !SHOWING_VERBS.contains(&verb) {
        return true;
    }
    CHANGE_VERBS_WITH_OBJECT.contains(&verb)
        && ws.get(i + 1).is_some_and(|next| {
            OBJECTS.contains(&next.text.as_str())
                // "log 3 hours", "book 2 seats": an amount to record.
                || next.text.chars().all(|c| c.is_ascii_digit())
                // A mention, `<@U0123ABCD>` or `@bob`, reads as its letters.
                || next.text.starts_with('u') && next.text.len() >= 9 && next.text.chars().any(|c| c.is_ascii_digit())
        })
}

/// Praise, fillers and names that may stand beside a greeting or thanks and still say nothing
/// about numbers (the greetings and thanks themselves are [`GREETING_OR_THANKS`]).
const ALONGSIDE_PLEASANTRIES: &[&str] = &[
    "night",
    "later",
    "good",
    "cool",
    "perfect",
    "brilliant",
    "amazing",
    "excellent",
    "work",
    "done",
    "well",
    "lol",
    "haha",
    "lmao",
    "ok",
    "okay",
    "sure",
    "np",
    "welcome",
    "love",
    "much",
    "lot",
    "so",
    "very",
    "you",
    "your",
    "u",
    "bot",
    "statsbot",
    "again",
    "all",
    "everyone",
    "folks",
    "guys",
    "there",
    "a",
    "the",
    "have",
    "day",
    "is",
    "are",
    "it",
    "that",
    "was",
    "and",
    "for",
    "help",
    "helping",
    "please",
    "pls",
    "mate",
    "buddy",
    "friend",
    "dude",
    "wow",
    "yay",
    "oh",
    "ah",
    "hmm",
    "alright",
    "right",
    "yes",
    "yeah",
    "yep",
    "no",
    "nope",
    "kk",
    "k",
    "fine",
    "how",
    "doing",
    "going",
    "whats",
    "what",
    "s",
    "up",
    "today",
    "to",
    "of",
    "in",
    "this",
    "my",
    "me",
    "i",
    "m",
    "am",
    "im",
    "be",
    "its",
];

/// Words that make a pleasantry a greeting or thanks (not "how are you doing today").
const GREETING_OR_THANKS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "heya",
    "hiya",
    "yo",
    "sup",
    "howdy",
    "greetings",
    "thanks",
    "thank",
    "thx",
    "ty",
    "tysm",
    "cheers",
    "appreciate",
    "appreciated",
    "morning",
    "afternoon",
    "evening",
    "gm",
    "gn",
    "bye",
    "goodbye",
    "cya",
    "job",
    "awesome",
    "great",
    "nice",
];

/// "thanks!", "good morning", "nice work bot": no question, so no stat is offered.
pub fn pleasantry(ws: &[Word]) -> bool {
    ws.iter()
        .any(|w| GREETING_OR_THANKS.contains(&w.text.as_str()))
        && ws.iter().all(|w| {
            let w = w.text.as_str();
            GREETING_OR_THANKS.contains(&w) || ALONGSIDE_PLEASANTRIES.contains(&w)
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

    #[test]
    fn requests_to_change_data_are_told_from_questions() {
        for request in [
            "delete the newest member",
            "please ban the top poster",
            "can you remove members who left",
            "add a mentor",
            "kick <@U0123ABCD>",
            "reset the signups",
            "update members",
            "create a new stat",
            "invite everyone to the meetup",
            "bot, change my plan",
            "sign me up for the next meetup",
            "log 3 hours for my shift",
            "book the big room for friday",
        ] {
            assert!(request_to_change(&words(request)), "{request}");
        }
        for question in [
            "how many members",
            "change in members this month",
            "invite leaderboard",
            "block list size",
            "how can I delete a stat",
            "new members this week",
            "what did we add this week",
            "bans this week",
            "show me the members",
            "tell me how many joined",
        ] {
            assert!(!request_to_change(&words(question)), "{question}");
        }
    }

    #[test]
    fn greetings_and_thanks_are_no_question() {
        for said in [
            "thanks!",
            "good morning",
            "nice work bot",
            "thank you so much",
            "hi there",
        ] {
            assert!(pleasantry(&words(said)), "{said}");
        }
        for question in [
            "thanks, how many members",
            "good signups this week?",
            "morning stats",
        ] {
            assert!(!pleasantry(&words(question)), "{question}");
        }
    }
}

//! The words people use for community numbers, grouped into concepts: "people", "folks" and
//! "headcount" all mean members; "signed up" and "newcomers" mean joining. A concept found in a
//! question matches the same concept found in a catalogue entry, whichever words each used.

use std::sync::LazyLock;

use super::words::{Word, stem};

/// Concept name → the phrasings that mean it (one or more words each).
const CONCEPTS: &[(&str, &[&str])] = &[
    (
        "member",
        &[
            "member",
            "membership",
            "people",
            "person",
            "folks",
            "folk",
            "headcount",
            "user",
            "participant",
            "account",
            "community size",
            "everyone",
            "everybody",
            "individual",
            "population",
            "registered user",
            "human",
            "big",
            "size",
        ],
    ),
    (
        "join",
        &[
            "join",
            "joiner",
            "signup",
            "sign up",
            "signed up",
            "sign ups",
            "new",
            "newcomer",
            "newbie",
            "register",
            "registration",
            "onboard",
            "arrival",
            "arrive",
            "recruit",
            "new member",
            "came",
            "come",
            "enrol",
            "enroll",
            "enrollment",
            "acquisition",
            "fresh",
            "latest",
            "newest",
            "recent",
            "recently",
            "most recent",
            "most recently",
        ],
    ),
    (
        "leave",
        &[
            "leave",
            "churn",
            "quit",
            "depart",
            "departure",
            "gone",
            "cancel",
            "cancellation",
            "unsubscribe",
            "drop out",
            "dropped out",
            "dropout",
            "attrition",
            "lose",
            "loss",
            "exit",
            "stop",
            "stopped",
            "lapsed",
            "lapse",
        ],
    ),
    (
        "delete",
        &[
            "delete",
            "deletion",
            "remove",
            "removal",
            "erase",
            "close",
            "closed",
            "deactivate",
        ],
    ),
    (
        "invite",
        &[
            "invite",
            "invitation",
            "inviter",
            "bring in",
            "brought in",
            "refer",
            "referral",
            "referrer",
            "recruit",
            "sponsor",
            "introduce",
            "vouch",
            "bring",
        ],
    ),
    (
        "top",
        &[
            "most",
            "top",
            "busiest",
            "leaderboard",
            "leader",
            "leading",
            "best",
            "highest",
            "biggest",
            "largest",
            "rank",
            "ranking",
            "ranked",
            "greatest",
            "champion",
            "star",
            "winner",
        ],
    ),
    (
        "mentor",
        &["mentor", "coach", "guide", "buddy", "tutor", "mentorship"],
    ),
    (
        "active",
        &[
            "active",
            "activity",
            "engage",
            "engagement",
            "engaged",
            "online",
            "participate",
            "participating",
            "dau",
            "mau",
            "log in",
            "logged in",
            "login",
            "seen",
            "around",
            "alive",
        ],
    ),
    (
        "inactive",
        &[
            "inactive", "dormant", "idle", "silent", "lurker", "quiet", "asleep",
        ],
    ),
    (
        "country",
        &[
            "country",
            "nation",
            "nationality",
            "location",
            "region",
            "geography",
            "geographic",
            "where",
            "world",
            "continent",
            "locale",
        ],
    ),
    ("city", &["city", "town"]),
    (
        "plan",
        &[
            "plan",
            "tier",
            "subscription",
            "subscriber",
            "paid",
            "paying",
            "premium",
            "free",
            "pricing",
            "package",
            "billing",
        ],
    ),
    (
        "retain",
        &[
            "retention",
            "retain",
            "stay",
            "stick",
            "stuck",
            "still",
            "remain",
            "keep",
            "kept",
            "survive",
            "cohort",
        ],
    ),
    (
        "grow",
        &[
            "growth",
            "grow",
            "increase",
            "gain",
            "expand",
            "expansion",
            "change",
            "trend",
            "rise",
            "rising",
            "compare",
            "comparison",
            "versus",
            "vs",
        ],
    ),
    (
        "series",
        &[
            "per",
            "each",
            "every",
            "over time",
            "history",
            "historical",
            "timeline",
            "by month",
            "by week",
            "chart",
            "graph",
            "trend",
        ],
    ),
    (
        "group",
        &[
            "distribution",
            "breakdown",
            "split",
            "by",
            "grouped",
            "segment",
        ],
    ),
    ("month", &["month", "monthly", "mo"]),
    ("week", &["week", "weekly", "wk", "fortnight"]),
    ("day", &["day", "daily", "today", "yesterday", "night"]),
    ("year", &["year", "yearly", "annual", "annually", "yr"]),
    (
        "admin",
        &[
            "admin",
            "administrator",
            "moderator",
            "moderate",
            "moderation",
            "mod",
            "staff",
            "owner",
            "operator",
        ],
    ),
    (
        "message",
        &[
            "message",
            "post",
            "chat",
            "thread",
            "reply",
            "comment",
            "conversation",
            "talk",
            "talkative",
            "chatty",
            "poster",
            "send",
            "sent",
            "write",
            "wrote",
            "chatter",
        ],
    ),
    (
        "event",
        &[
            "event",
            "meetup",
            "meeting",
            "session",
            "workshop",
            "attend",
            "attendee",
            "attendance",
            "rsvp",
        ],
    ),
    (
        "verify",
        &[
            "verify",
            "verified",
            "confirm",
            "confirmed",
            "validated",
            "unverified",
        ],
    ),
    ("email", &["email", "mail", "address", "inbox", "e-mail"]),
    (
        "ban",
        &["ban", "banned", "block", "suspend", "suspension", "kick"],
    ),
    ("role", &["role", "permission", "team"]),
    (
        "age",
        &[
            "age", "old", "oldest", "long", "tenure", "senior", "veteran", "longest", "earliest",
            "original", "founding", "founder",
        ],
    ),
    ("average", &["average", "avg", "mean", "median", "typical"]),
    (
        "count",
        &[
            "how many",
            "number of",
            "count",
            "total",
            "how much",
            "tally",
            "how big",
        ],
    ),
    (
        "rate",
        &[
            "rate",
            "ratio",
            "percentage",
            "percent",
            "share",
            "proportion",
            "fraction",
        ],
    ),
];

/// One phrasing, as stems.
struct Phrase {
    concept: &'static str,
    stems: Vec<String>,
}

static PHRASES: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    let mut phrases: Vec<Phrase> = CONCEPTS
        .iter()
        .flat_map(|(concept, phrasings)| {
            phrasings.iter().map(|p| Phrase {
                concept,
                stems: p.split_whitespace().map(stem).collect(),
            })
        })
        .collect();
    // Longest first, so "sign up" is read before "up".
    phrases.sort_by_key(|p| std::cmp::Reverse(p.stems.len()));
    phrases
});

/// Every word a phrasing uses, for typo correction.
pub fn known_words() -> impl Iterator<Item = &'static str> {
    CONCEPTS
        .iter()
        .flat_map(|(_, p)| p.iter().flat_map(|p| p.split_whitespace()))
}

/// A concept found in a text: which words (`start..end`) said it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub concept: &'static str,
    pub start: usize,
    pub end: usize,
}

/// The concepts in `words`, a word in more than one phrasing (of different concepts) giving
/// each. Multi-word phrasings are read first and their words not read again alone.
pub fn concepts(words: &[Word]) -> Vec<Found> {
    let mut found = Vec::new();
    let mut in_phrase = vec![false; words.len()];
    for phrase in PHRASES.iter() {
        let n = phrase.stems.len();
        if n > words.len() {
            continue;
        }
        for start in 0..=words.len() - n {
            if n > 1 && in_phrase[start..start + n].iter().any(|&b| b) {
                continue;
            }
            if n == 1 && in_phrase[start] {
                continue;
            }
            let fits = words[start..start + n]
                .iter()
                .zip(&phrase.stems)
                .all(|(w, s)| &w.stem == s);
            if fits {
                if n > 1 {
                    in_phrase[start..start + n]
                        .iter_mut()
                        .for_each(|b| *b = true);
                }
                let f = Found {
                    concept: phrase.concept,
                    start,
                    end: start + n,
                };
                if !found.contains(&f) {
                    found.push(f);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::words::words;
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        concepts(&words(text))
            .into_iter()
            .map(|f| f.concept)
            .collect()
    }

    #[test]
    fn the_words_people_use_name_the_same_concepts() {
        assert!(names("how many folks do we have").contains(&"member"));
        assert!(names("headcount").contains(&"member"));
        assert!(names("who signed up").contains(&"join"));
        assert!(names("newcomers this month").contains(&"join"));
        assert!(names("people who churned").contains(&"leave"));
        assert!(names("who brought in the most referrals").contains(&"invite"));
        assert!(names("leaderboard").contains(&"top"));
        // A phrase's words are not read again alone: "sign up" is joining, not growth.
        assert!(!names("sign up").contains(&"grow"));
    }
}

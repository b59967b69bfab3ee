//! English words as the matcher compares them: lowercased, split, stop words marked, and
//! reduced to a stem by a small hand stemmer (plurals and the common verb endings), the same
//! way for the catalogue's text and for a question.

/// One word of a text, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Lowercased, as written.
    pub text: String,
    /// What the matcher compares: the stem, or the word when it is a number.
    pub stem: String,
    pub stop: bool,
}

/// Words that say nothing about which stat is meant.
#[rustfmt::skip]
const STOP: &[&str] = &[
    // Greetings and fillers around a question.
    "hey", "hi", "hello", "thanks", "thank", "ok", "okay", "question", "curious", "wondering",
    "wonder", "anyone", "somebody", "kind", "sort", "actually", "really", "look", "looks",
    "looked", "going", "being", "whole", "entire", "altogether", "guys", "real", "info",
    "information", "data", "figure", "out", "idea",
    // Chat fillers and shorthand.
    "bot", "statsbot", "q", "btw", "lol", "plz", "thx", "ty", "yo", "hmm", "um", "rn", "atm",
    "tho", "u", "ur", "r", "ya", "gimme", "wanna", "gonna", "need", "needs", "love", "care",
    "fyi", "asap", "tbh", "imo", "cool", "nice", "whos", "hows", "wheres", "whens", "thats",
    "im", "ive", "youre", "lets",
    // The community itself: every stat is about it.
    "community", "communities", "workspace", "guild",
    // Negations and inclusions: booleans read them (`fill`), they name no stat.
    "not", "no", "without", "excluding", "exclude", "including", "include", "except", "only",
    "hasn", "haven", "isn", "don", "doesn", "didn", "wasn", "weren", "aren", "won", "also",
    "ever", "yet", "still",
    // The same without the apostrophe, as typed in chat.
    "hasnt", "havent", "isnt", "dont", "doesnt", "didnt", "wasnt", "werent", "arent", "wont",
    "cant", "aint",
    // Function words, question words, and words every question about numbers has.
    "a", "about", "across", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been",
    "by", "can", "could", "currently", "d", "did", "do", "does",
    "doing", "each", "for", "from", "get", "give", "got", "had", "has", "have", "having", "he",
    "her", "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just",
    "know", "let", "ll", "m", "many", "me", "much", "my", "now", "number", "numbers", "of",
    "on", "or", "our", "ours", "over", "please", "pls", "re", "right", "s", "see", "she",
    "should", "show", "so", "some", "stat", "stats", "t", "tell", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "to", "up", "us", "ve",
    "want", "was", "we", "were", "what", "whats", "when", "where", "which", "while", "who",
    "whom", "whose", "will", "with", "would", "you", "your", "is", "count", "counts", "total",
    "totals", "amount", "figure", "figures", "list", "looking", "like", "currently", "so",
    "far", "far", "overall", "exactly", "roughly", "approximately", "around", "there's",
    "theres", "pull", "find", "check", "display", "quick", "quickly",
];

/// Ordinary words a question may hold that are no typo of a catalogue's word ("posts" is not
/// "hosts", "stars" is not "start"): the typo correction leaves them as they are.
#[rustfmt::skip]
pub const PLAIN: &[&str] = &[
    "weather", "revenue", "money", "sales", "sale", "price", "prices", "stock", "stocks",
    "ticket", "tickets", "issue", "issues", "bug", "bugs", "server", "servers", "uptime",
    "deploy", "deploys", "code", "commit", "commits", "star", "stars", "github", "slack",
    "channel", "channels", "time", "lunch", "pizza", "joke", "life", "meaning", "ceo",
    "company", "project", "projects", "task", "tasks", "order", "orders", "product", "products",
    "customer", "customers", "invoice", "invoices", "score", "scores", "game", "games", "win",
    "won", "lost", "team", "teams", "weekend", "salary", "salaries", "capital", "france",
    "city", "cities", "office", "budget", "cost", "costs", "profit", "traffic", "visits",
    "visitors", "page", "pages", "views", "clicks", "downloads", "installs", "rating",
    "ratings", "review", "reviews", "sent", "send", "open", "closed", "merged", "pull",
    "request", "requests", "hours", "minutes", "seconds", "now", "here", "there", "place",
    "thing", "things", "stuff", "good", "bad", "best", "worst", "world", "election", "vote",
    "votes", "poll", "polls", "music", "song", "songs", "movie", "movies", "book", "books",
];

pub fn is_stop(word: &str) -> bool {
    STOP.contains(&word)
}

/// Splits on anything but letters and digits (`what's` → `what`, `s`; `sign-ups` → `sign`,
/// `ups`), keeping `YYYY-MM-DD` dates whole.
pub fn split(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in text.split_whitespace() {
        // "US" in capitals is the country, not "us".
        if matches!(
            chunk.trim_matches(|c: char| !c.is_alphanumeric()),
            "US" | "U.S" | "USA"
        ) {
            out.push("usa".to_string());
            continue;
        }
        let lower = chunk.to_lowercase();
        let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric());
        if is_iso_date(trimmed) {
            out.push(trimmed.to_string());
            continue;
        }
        for w in lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            out.extend(unglue(w));
        }
    }
    out
}

/// A number typed against its unit, `2wks`, `30d`, `6mo`, as the number and the unit's word.
fn unglue(word: &str) -> Vec<String> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let unit = match &word[digits..] {
        "d" | "day" | "days" => "days",
        "w" | "wk" | "wks" | "week" | "weeks" => "weeks",
        "m" | "mo" | "mos" | "mth" | "mths" | "month" | "months" => "months",
        "y" | "yr" | "yrs" | "year" | "years" => "years",
        "h" | "hr" | "hrs" | "hour" | "hours" => "hours",
        _ => "",
    };
    if digits == 0 || unit.is_empty() {
        return vec![word.to_string()];
    }
    vec![word[..digits].to_string(), unit.to_string()]
}

fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// A stat's name as words: split on `_` and `-`, and a short period written the way admins
/// name things (`active_users_30d`, `signups_7d`, `errors_24h`, `churn_3m`) spelt out, with the
/// period it amounts to (30 days is a month, 7 a week), so "monthly actives" finds `_30d`.
pub fn name_text(name: &str) -> String {
    name.split(['_', '-'])
        .map(|token| {
            let (digits, unit) = token.split_at(
                token
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(token.len()),
            );
            let n: u32 = match digits.parse() {
                Ok(n) if !unit.is_empty() => n,
                _ => return token.to_string(),
            };
            let spelt = match (unit, n) {
                ("d", 1) => "day daily",
                ("d", 7) => "days week weekly",
                ("d", 28..=31) => "days month monthly",
                ("d", 90..=92) => "days quarter",
                ("d", 365 | 366) => "days year yearly",
                ("d", _) => "days",
                ("w", 1) => "week weekly",
                ("w", 4) => "weeks month",
                ("w", _) => "weeks",
                ("m" | "mo", 1) => "month monthly",
                ("m" | "mo", 12) => "months year",
                ("m" | "mo", _) => "months",
                ("y", 1) => "year yearly",
                ("y", _) => "years",
                ("h", 24) => "hours day",
                ("h", _) => "hours",
                _ => return token.to_string(),
            };
            format!("{n} {spelt}")
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The words of a text, stemmed, stop words marked.
pub fn words(text: &str) -> Vec<Word> {
    let mut ws: Vec<Word> = split(text).into_iter().map(word).collect();
    // "these days" means now, not a number of days; "of all time" means ever.
    for i in 1..ws.len() {
        if matches!(
            (ws[i - 1].text.as_str(), ws[i].text.as_str()),
            ("these", "days" | "day") | ("all", "time")
        ) {
            ws[i].stop = true;
        }
    }
    ws
}

pub fn word(text: String) -> Word {
    let stop = is_stop(&text);
    Word {
        stem: stem(&text),
        text,
        stop,
    }
}

/// Words whose stem the suffix rules would get wrong.
const IRREGULAR: &[(&str, &str)] = &[
    ("people", "person"),
    ("children", "child"),
    ("men", "man"),
    ("women", "woman"),
    ("left", "leave"),
    ("lost", "lose"),
    ("brought", "bring"),
    ("came", "come"),
    ("went", "go"),
    ("gone", "go"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("daily", "day"),
    // Chat abbreviations of units, too short for the suffix rules.
    ("wks", "wk"),
    ("yrs", "yr"),
    ("mos", "mo"),
    ("mths", "mo"),
    ("mth", "mo"),
    ("hrs", "hour"),
    ("hr", "hour"),
    ("mins", "minute"),
    ("cancelled", "cancel"),
    ("cancelling", "cancel"),
    ("canceled", "cancel"),
    // A rating is a score given, a rate a ratio: one stem would read "event rating" as a rate.
    ("rating", "rating"),
    ("ratings", "rating"),
    ("rated", "rating"),
    ("news", "news"),
    ("status", "status"),
    ("analysis", "analysis"),
    ("this", "this"),
    ("does", "do"),
    ("has", "have"),
    ("was", "be"),
    ("is", "be"),
];

/// A small stemmer: irregular forms, then one suffix off (`-ies`, `-es`, `-s`, `-ing`, `-ed`,
/// `-ly`, `-ers`, `-er`, `-ation(s)`), a doubled final consonant undone. Only the words need to
/// agree with each other; the stems need not be English.
pub fn stem(word: &str) -> String {
    if let Some((_, s)) = IRREGULAR.iter().find(|(w, _)| *w == word) {
        return if *s == word {
            word.to_string()
        } else {
            stem(s)
        };
    }
    if word.len() <= 3 || !word.chars().all(|c| c.is_ascii_lowercase()) {
        return word.to_string();
    }
    let w = word;
    let cut = |suffix: &str, min: usize| -> Option<&str> {
        w.strip_suffix(suffix).filter(|rest| rest.len() >= min)
    };
    let stemmed: String = if let Some(rest) = cut("ations", 3).or_else(|| cut("ation", 3)) {
        rest.to_string()
    } else if let Some(rest) = cut("iest", 3) {
        // Superlatives: "chattiest", "busiest" (the vocabulary reads them as a ranking).
        format!("{rest}y")
    } else if let Some(rest) = cut("ies", 2) {
        format!("{rest}y")
    } else if let Some(rest) = cut("sses", 2) {
        format!("{rest}ss")
    } else if let Some(rest) = cut("ings", 3).or_else(|| cut("ing", 3)) {
        undouble(rest)
    } else if let Some(rest) = cut("ed", 3) {
        undouble(rest)
    } else if let Some(rest) = cut("ers", 4).or_else(|| cut("er", 4)) {
        undouble(rest)
    } else if let Some(rest) = cut("ly", 4) {
        rest.to_string()
    } else if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        w.to_string()
    } else if let Some(rest) = cut("ches", 2)
        .or_else(|| cut("shes", 2))
        .or_else(|| cut("xes", 2))
    {
        w[..rest.len() + if w.ends_with("xes") { 1 } else { 2 }].to_string()
    } else if let Some(rest) = cut("s", 3) {
        rest.to_string()
    } else {
        w.to_string()
    };
    // A final silent `e` goes, so `invite`, `invited` and `inviting` agree.
    match stemmed.strip_suffix('e') {
        Some(rest) if rest.len() >= 3 && !rest.ends_with('e') => rest.to_string(),
        _ => stemmed,
    }
}

/// `signupp` → `signup` (after `-ed`/`-ing`), but `fall`, `miss`, `buzz` stay.
fn undouble(rest: &str) -> String {
    let b = rest.as_bytes();
    let n = b.len();
    if n >= 2 && b[n - 1] == b[n - 2] && !b"aeiouylsz".contains(&b[n - 1]) {
        rest[..n - 1].to_string()
    } else {
        rest.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_one_word_share_a_stem() {
        let groups: &[&[&str]] = &[
            &["member", "members"],
            &[
                "invite",
                "invited",
                "invites",
                "inviting",
                "invitations",
                "inviter",
                "inviters",
            ],
            &["join", "joined", "joins", "joining"],
            &["signup", "signups"],
            &["country", "countries"],
            &["mentor", "mentors", "mentoring"],
            &["plan", "plans", "planned"],
            &["refer", "referred", "referring"],
            &["week", "weeks", "weekly"],
            &["month", "months", "monthly"],
            &["day", "days", "daily"],
            &["activity", "activities"],
            &["leave", "left", "leaving"],
            &["delete", "deleted", "deletes"],
        ];
        for group in groups {
            let stems: Vec<String> = group.iter().map(|w| stem(w)).collect();
            assert!(
                stems.iter().all(|s| s == &stems[0]),
                "{group:?} → {stems:?}"
            );
        }
        assert_ne!(stem("member"), stem("mentor"));
        assert_ne!(stem("day"), stem("date"));
        assert_ne!(stem("rating"), stem("rate"));
    }

    #[test]
    fn chat_spellings_of_numbers_and_places_are_read() {
        let texts = |t: &str| -> Vec<String> { words(t).into_iter().map(|w| w.text).collect() };
        assert_eq!(texts("signups 2wks"), ["signups", "2", "weeks"]);
        assert_eq!(texts("last 6mo"), ["last", "6", "months"]);
        assert_eq!(texts("the 2nd event"), ["the", "2nd", "event"]);
        assert_eq!(texts("members in the US"), ["members", "in", "the", "usa"]);
        assert_eq!(texts("tell us"), ["tell", "us"]);
        assert!(words("mentors these days").iter().skip(1).all(|w| w.stop));
    }

    #[test]
    fn names_read_as_words_with_their_periods_spelt_out() {
        assert_eq!(
            name_text("active_users_30d"),
            "active users 30 days month monthly"
        );
        assert_eq!(name_text("new-signups_weekly"), "new signups weekly");
        assert_eq!(name_text("errors_24h"), "errors 24 hours day");
        assert_eq!(name_text("top_10"), "top 10");
        assert_eq!(name_text("b2b_plans"), "b2b plans");
    }

    #[test]
    fn text_splits_into_lowercase_words_with_stop_words_marked() {
        let w = words("What's the NUMBER of sign-ups since 2024-03-01?");
        let texts: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "what",
                "s",
                "the",
                "number",
                "of",
                "sign",
                "ups",
                "since",
                "2024-03-01"
            ]
        );
        let content: Vec<&str> = w
            .iter()
            .filter(|w| !w.stop)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(content, ["sign", "ups", "since", "2024-03-01"]);
    }
}

//! `statsbot ask "how many joined this week"`: asks the running dev stack's stats API
//! (`GET /v1/ask`) and prints how it read the words — each match with its score, what each
//! word matched and which words fixed which parameter — so an admin can see what to add to an
//! entry's `examples` or description.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use stats_api::ask::UNMATCHED;
use stats_contract::AskAnswer;

use crate::dev_state::DevState;
use crate::error::{Error, Result};

/// `cargo run -- ask WORDS`.
pub async fn run(question: &str) -> Result<()> {
    let state = DevState::load().ok_or_else(|| {
        Error::Settings("the dev stack is not running: start it with `cargo run -- dev`".into())
    })?;
    let base = state.api_url.trim_end_matches('/').to_string();
    let url = format!(
        "{base}/v1/ask?q={}",
        utf8_percent_encode(question, NON_ALPHANUMERIC)
    );
    let failed = |problem: String| Error::StatsApiAnswer {
        url: base.clone(),
        problem,
    };
    service_kit::tls::install_crypto_provider();
    let response = reqwest::Client::new()
        .get(&url)
        .bearer_auth(&state.api_token)
        .send()
        .await
        .map_err(|e| failed(format!("no answer ({e}); is the dev stack running?")))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| failed(format!("the answer did not arrive ({e})")))?;
    if !status.is_success() {
        return Err(failed(refusal(status.as_u16(), &text)));
    }
    let answer: AskAnswer = serde_json::from_str(&text)
        .map_err(|e| failed(format!("not an answer to a question ({e})")))?;
    print!("{}", describe(&answer));
    Ok(())
}

/// A refused question as a person reads it: the API's own message when it sent one
/// (`{"error": {"code", "message"}}`), else the status and the body. Pure.
pub fn refusal(status: u16, body: &str) -> String {
    let error = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(String::from));
    match error {
        Some(message) => format!("HTTP {status}: {message}"),
        None => format!("HTTP {status}: {body}"),
    }
}

/// The answer as an admin reads it. Pure.
pub fn describe(answer: &AskAnswer) -> String {
    let mut out = format!("{:?}\n", answer.query);
    if answer.matches.is_empty() {
        out.push_str("  no stat fits these words (a bot would point at /stats help)\n");
        return out;
    }
    out.push_str(if answer.confident {
        "  confident: the first match would be answered at once\n"
    } else {
        "  not confident: a bot would offer these as buttons\n"
    });
    // Said once, not under each match: the words no entry has, which an admin may add.
    let unmatched = |why: &String| why.ends_with(UNMATCHED);
    let missing: Vec<&str> = answer.matches[0]
        .why
        .iter()
        .filter(|w| unmatched(w))
        .map(|w| w.trim_end_matches(UNMATCHED).trim_end())
        .collect();
    if !missing.is_empty() {
        out.push_str(&format!(
            "  {} {UNMATCHED}: if a stat answers {}, add {} to its `examples` or description\n",
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" },
            if missing.len() == 1 {
                "the word"
            } else {
                "the words"
            },
        ));
    }
    for (i, m) in answer.matches.iter().enumerate() {
        out.push_str(&format!(
            "{}. {}   (score {:.2})\n",
            i + 1,
            m.invocation,
            m.score
        ));
        for why in m.why.iter().filter(|w| !unmatched(w)) {
            out.push_str(&format!("     {why}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use stats_contract::AskMatch;

    use super::*;

    #[test]
    fn each_match_is_shown_as_typed_in_slack() {
        let answer = AskAnswer {
            query: "new people this week".into(),
            confident: true,
            matches: vec![AskMatch {
                stat: "growth".into(),
                params: serde_json::json!({ "days": "7" })
                    .as_object()
                    .unwrap()
                    .clone(),
                invocation: "/stats growth 7".into(),
                score: 0.64,
                why: vec!["\u{201c}this week\u{201d} → days = 7 (7 days)".into()],
            }],
        };
        let shown = describe(&answer);
        assert!(
            shown.contains("1. /stats growth 7   (score 0.64)"),
            "{shown}"
        );
        assert!(!shown.contains("/stats /stats"), "{shown}");
        assert!(shown.contains("confident"), "{shown}");
    }

    #[test]
    fn words_no_stat_has_are_named_once() {
        let answer = AskAnswer {
            query: "how many vegan members".into(),
            confident: false,
            matches: ["members", "growth"]
                .iter()
                .map(|stat| AskMatch {
                    stat: stat.to_string(),
                    params: Default::default(),
                    invocation: format!("/stats {stat}"),
                    score: 0.5,
                    why: vec![
                        format!("\u{201c}vegan\u{201d} {UNMATCHED}"),
                        "\u{201c}members\u{201d} is in the name".into(),
                    ],
                })
                .collect(),
        };
        let shown = describe(&answer);
        // The question's line, then the note once.
        assert_eq!(shown.matches("vegan").count(), 2, "{shown}");
        assert!(
            shown.contains("\u{201c}vegan\u{201d} matches nothing in the catalogue: if a stat answers it, add the word to its `examples`"),
            "{shown}"
        );
        assert!(shown.contains("not confident"), "{shown}");
    }

    #[test]
    fn a_refused_question_shows_the_apis_message_not_its_json() {
        let body = r#"{"error":{"code":"bad_question","message":"`q` is empty: ask in words"}}"#;
        assert_eq!(refusal(400, body), "HTTP 400: `q` is empty: ask in words");
        assert_eq!(refusal(502, "Bad Gateway"), "HTTP 502: Bad Gateway");
    }
}

//! A follow-up in a thread: words that fix only parameters ("and the last 3 months?") read
//! against the bot's earlier reading in the thread (`signups 6`). The stats API is asked the
//! earlier stat's name with the words ("signups and the last 3 months?"); they follow up when
//! that reading is confident, is the earlier stat, and the words fixed at least one of its
//! parameters. Words that name another stat ("what about mentors?") do not: they are asked
//! afresh. Pure: the caller asks.

use stats_contract::AskAnswer;

use crate::flows::ask;
use crate::slack::slash_command::{Args, Invocation};

/// The earlier reading's stat and the parameters it was given (as bound for the stats API,
/// in declared order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    pub stat: String,
    pub params: Vec<(String, String)>,
}

/// What to ask the stats API: the earlier stat's name, then the words.
pub fn question(earlier: &Earlier, words: &str) -> String {
    format!("{} {}", earlier.stat, words.trim())
}

/// The invocation the follow-up runs, when `answer` (to [`question`]) makes it one: the
/// earlier parameters, with those the words fixed in their place.
pub fn follow_up(earlier: &Earlier, answer: &AskAnswer) -> Option<Invocation> {
    let first = answer.matches.first()?;
    if !answer.confident
        || !first.stat.eq_ignore_ascii_case(&earlier.stat)
        || first.params.is_empty()
    {
        return None;
    }
    let fixed = ask::named_params(first);
    let is_fixed = |name: &str| fixed.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let kept: Vec<(String, String)> = earlier
        .params
        .iter()
        .filter(|(name, _)| !is_fixed(name))
        .map(|(name, value)| (name.to_lowercase(), value.clone()))
        .collect();
    if kept.is_empty() {
        // The stats API's own invocation, positional where it can be: `signups 3`.
        return ask::reading(first);
    }
    Some(Invocation {
        subcommand: earlier.stat.to_lowercase(),
        args: Args {
            positional: Vec::new(),
            named: kept.into_iter().chain(fixed).collect(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(
        confident: bool,
        stat: &str,
        params: serde_json::Value,
        invocation: &str,
    ) -> AskAnswer {
        serde_json::from_value(json!({
            "query": "q", "confident": confident,
            "matches": [{"stat": stat, "params": params, "invocation": invocation, "score": 0.9}]
        }))
        .unwrap()
    }

    fn signups(months: &str) -> Earlier {
        Earlier {
            stat: "signups".into(),
            params: vec![("months".into(), months.into())],
        }
    }

    #[test]
    fn a_new_period_keeps_the_stat() {
        let read = answer(true, "signups", json!({"months": "3"}), "/stats signups 3");
        let follow = follow_up(&signups("6"), &read).unwrap();
        assert_eq!(follow.subcommand, "signups");
        assert_eq!(follow.args.positional, vec!["3".to_string()]);
        assert_eq!(
            question(&signups("6"), " and the last 3 months? "),
            "signups and the last 3 months?"
        );
    }

    #[test]
    fn parameters_the_words_leave_alone_are_kept() {
        let earlier = Earlier {
            stat: "joins".into(),
            params: vec![
                ("country".into(), "FR".into()),
                ("days".into(), "30".into()),
            ],
        };
        let read = answer(true, "joins", json!({"days": "7"}), "/stats joins days=7");
        let follow = follow_up(&earlier, &read).unwrap();
        assert_eq!(
            follow.args.named,
            vec![("country".into(), "FR".into()), ("days".into(), "7".into())]
        );
    }

    #[test]
    fn another_stat_unsure_words_or_no_parameter_is_no_follow_up() {
        let earlier = signups("6");
        assert_eq!(
            follow_up(
                &earlier,
                &answer(true, "mentors", json!({"limit": "3"}), "/stats mentors 3")
            ),
            None,
            "the words named another stat"
        );
        assert_eq!(
            follow_up(
                &earlier,
                &answer(false, "signups", json!({"months": "3"}), "/stats signups 3")
            ),
            None,
            "not confident"
        );
        assert_eq!(
            follow_up(
                &earlier,
                &answer(true, "signups", json!({}), "/stats signups")
            ),
            None,
            "nothing fixed: \"what about mentors?\""
        );
        let nothing: AskAnswer =
            serde_json::from_value(json!({"query": "q", "confident": false, "matches": []}))
                .unwrap();
        assert_eq!(follow_up(&earlier, &nothing), None);
    }
}

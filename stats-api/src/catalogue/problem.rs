//! One thing wrong with a catalogue, named by where it is: the entry (and the parameter), or the
//! file as a whole. Checks collect every problem rather than stopping at the first, so an admin
//! fixes a catalogue in one pass.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The entry's `name`, or `#3` (its place in the file) when it has none; `None` when the
    /// problem is with the file or the database as a whole.
    pub stat: Option<String>,
    /// The parameter's `name`, or `#2` (its place in the entry) when it has none.
    pub param: Option<String>,
    pub message: String,
}

impl Problem {
    /// A problem with the whole file (or the database behind it).
    pub fn file(message: impl Into<String>) -> Problem {
        Problem {
            stat: None,
            param: None,
            message: message.into(),
        }
    }

    pub fn stat(stat: &str, message: impl Into<String>) -> Problem {
        Problem {
            stat: Some(stat.to_string()),
            param: None,
            message: message.into(),
        }
    }

    pub fn param(stat: &str, param: &str, message: impl Into<String>) -> Problem {
        Problem {
            stat: Some(stat.to_string()),
            param: Some(param.to_string()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.stat, &self.param) {
            (Some(stat), Some(param)) => write!(
                f,
                "catalogue entry `{stat}`, parameter `{param}`: {}",
                self.message
            ),
            (Some(stat), None) => write!(f, "catalogue entry `{stat}`: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Several problems as one message: the problem itself when there is one, else a count and one
/// problem a line.
pub fn describe(problems: &[Problem]) -> String {
    match problems {
        [one] => one.to_string(),
        many => {
            let mut text = format!("the catalogue has {} problems:", many.len());
            for p in many {
                text.push_str("\n  - ");
                text.push_str(&p.to_string());
            }
            text
        }
    }
}

/// ` (did you mean `display`?)` when `given` is close to one of `known`, else nothing.
pub fn did_you_mean(given: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(given, k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(String::new, |(_, k)| format!(" (did you mean `{k}`?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_their_place() {
        assert_eq!(
            Problem::param("active", "days", "`type` is missing").to_string(),
            "catalogue entry `active`, parameter `days`: `type` is missing"
        );
        assert_eq!(
            Problem::stat("#3", "`name` is missing").to_string(),
            "catalogue entry `#3`: `name` is missing"
        );
        let all = describe(&[Problem::file("a"), Problem::stat("x", "b")]);
        assert_eq!(
            all,
            "the catalogue has 2 problems:\n  - a\n  - catalogue entry `x`: b"
        );
    }

    #[test]
    fn near_misses_get_a_suggestion() {
        let keys = ["display", "description", "title"];
        assert_eq!(did_you_mean("dispaly", &keys), " (did you mean `display`?)");
        assert_eq!(did_you_mean("colour", &keys), "");
    }
}

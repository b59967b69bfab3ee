//! One checker for the TOML files people edit by hand: a list of `[[entries]]` tables (the
//! stats catalogue's `[[stats]]`, the bot's `[[digests]]`, `[[alerts]]` and `[[home]]`). Every
//! [`Mistake`] is collected, not only the first, each named by its entry (and the part of it,
//! e.g. a parameter) with the key in its words; an unknown key gets a did-you-mean. So an admin
//! fixes a file in one pass, whichever file it is.
//!
//! The keys are checked here rather than by serde: one broken entry never hides the others, and
//! a mistyped key or a value of the wrong type is reported with the entry it is in.
//!
//! A new file (e.g. `BOT_ALERTS`) is three things:
//!
//! ```
//! use settings_file::{Entries, Fields, Mistake};
//!
//! struct Alert { name: String, stat: String }
//!
//! const ALERTS: Entries = Entries {
//!     array: "alerts",               // [[alerts]]
//!     entry: "alert",                // "alert `quiet_week`: `stat` is missing"
//!     file: "the alerts file",       // "unknown key `x` at the top of the alerts file"
//!     at_least_one: false,
//! };
//!
//! /// One entry: read its keys through `Fields`, add your own checks, say what is wrong.
//! fn alert(fields: &mut Fields<'_>) -> Option<Alert> {
//!     let name = fields.required_string("name", "");
//!     let stat = fields.required_string("stat", ": as typed after /stats");
//!     Some(Alert { name: name?, stat: stat? })
//! }
//!
//! let text = "[[alerts]]\nname = \"quiet_week\"\nstta = \"growth 7\"\n";
//! let (alerts, mistakes) =
//!     ALERTS.check(text, &["name", "stat"], alert, |a: &Alert| a.name.clone());
//! assert!(alerts.is_empty());
//! assert_eq!(mistakes[0].to_string(),
//!     "alert `quiet_week`: unknown key `stta` (did you mean `stat`?)");
//! assert_eq!(mistakes[1].to_string(), "alert `quiet_week`: `stat` is missing: as typed after /stats");
//! ```

use std::fmt;

pub use toml::{Table, Value};

mod entries;
mod fields;

pub use entries::Entries;
pub use fields::Fields;

/// One thing wrong in a settings file, named by where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    /// What the file calls an entry (`catalogue entry`, `digest`); with [`Mistake::entry`].
    pub noun: &'static str,
    /// The entry's `name`, or `#3` (its place in the file) when it has none; `None` when the
    /// mistake is in the file as a whole (or what stands behind it, like a database).
    pub entry: Option<String>,
    /// A part of the entry, e.g. `("parameter", "months")` or `("parameter", "#2")`.
    pub part: Option<(&'static str, String)>,
    /// The key at fault, when there is one (the message names it too).
    pub key: Option<String>,
    pub message: String,
}

impl Mistake {
    /// A mistake in the file as a whole.
    pub fn file(message: impl Into<String>) -> Mistake {
        Mistake {
            noun: "",
            entry: None,
            part: None,
            key: None,
            message: message.into(),
        }
    }

    /// A mistake in entry `entry` (a name or `#N`) of a file whose entries are `noun`s.
    pub fn entry(noun: &'static str, entry: &str, message: impl Into<String>) -> Mistake {
        Mistake {
            noun,
            entry: Some(entry.to_string()),
            ..Mistake::file(message)
        }
    }

    /// The same mistake, inside part `part` (e.g. `parameter`) named `name` of its entry.
    pub fn in_part(mut self, part: &'static str, name: &str) -> Mistake {
        self.part = Some((part, name.to_string()));
        self
    }

    pub fn with_key(mut self, key: &str) -> Mistake {
        self.key = Some(key.to_string());
        self
    }
}

impl fmt::Display for Mistake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.entry, &self.part) {
            (Some(entry), Some((part, name))) => write!(
                f,
                "{} `{entry}`, {part} `{name}`: {}",
                self.noun, self.message
            ),
            (Some(entry), None) => write!(f, "{} `{entry}`: {}", self.noun, self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Several mistakes as one message: the mistake itself when there is one, else "{file} has N
/// mistakes:" and one a line.
pub fn describe(mistakes: &[Mistake], file: &str) -> String {
    match mistakes {
        [one] => one.to_string(),
        many => {
            let mut text = format!("{file} has {} mistakes:", many.len());
            for m in many {
                text.push_str("\n  - ");
                text.push_str(&m.to_string());
            }
            text
        }
    }
}

/// Reads the file at `path`, named by the setting `var`, and checks it with `parse`: its entries,
/// or one message that names the setting, the file and every mistake (`file` as in [`describe`]).
pub fn read<T>(
    var: &str,
    path: &std::path::Path,
    file: &str,
    parse: impl FnOnce(&str) -> Result<Vec<T>, Vec<Mistake>>,
) -> Result<Vec<T>, String> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("{var} {shown}: cannot read it: {e}"))?;
    parse(&text).map_err(|mistakes| format!("{var} {shown}: {}", describe(&mistakes, file)))
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

/// "a string", "an integer", … for messages about a value of the wrong type.
pub fn a_type(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a decimal number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

/// What a mistake calls an entry or a part of one: its `name`, or `#N` (1-based) without one.
pub fn label(table: &Table, index: usize) -> String {
    table
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or_else(|| format!("#{}", index + 1), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_get_a_suggestion() {
        let keys = ["display", "description", "title"];
        assert_eq!(did_you_mean("dispaly", &keys), " (did you mean `display`?)");
        assert_eq!(did_you_mean("colour", &keys), "");
    }
}

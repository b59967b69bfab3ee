//! Settings from environment variables, read through a lookup function so tests can pass a map.

use std::time::Duration;

/// A setting that is missing or does not parse; the message names the variable, never a
/// secret's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EnvError(pub String);

/// Reads variables through `lookup`. A variable set to blanks counts as unset.
pub struct Env<F> {
    lookup: F,
}

impl Env<fn(&str) -> Option<String>> {
    /// The process environment.
    pub fn process() -> Self {
        Env {
            lookup: |name| std::env::var(name).ok(),
        }
    }
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    pub fn new(lookup: F) -> Self {
        Env { lookup }
    }

    /// The trimmed value, `None` when unset or blank.
    pub fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    pub fn required(&self, name: &str) -> Result<String, EnvError> {
        self.optional(name)
            .ok_or_else(|| EnvError(format!("{name} is not set")))
    }

    /// A whole number, or `default` when unset.
    pub fn number(&self, name: &str, default: u64) -> Result<u64, EnvError> {
        match self.optional(name) {
            None => Ok(default),
            Some(value) => value
                .parse()
                .map_err(|_| EnvError(format!("{name} {value:?} is not a whole number"))),
        }
    }

    pub fn millis(&self, name: &str, default: Duration) -> Result<Duration, EnvError> {
        self.number(name, default.as_millis() as u64)
            .map(Duration::from_millis)
    }

    pub fn seconds(&self, name: &str, default: Duration) -> Result<Duration, EnvError> {
        self.number(name, default.as_secs())
            .map(Duration::from_secs)
    }

    /// A comma-separated list, entries trimmed, empty ones dropped.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.optional(name)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> Env<impl Fn(&str) -> Option<String>> {
        Env::new(move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn blanks_are_unset_and_numbers_name_their_variable() {
        let env = env(&[("A", "  "), ("N", " 42 "), ("BAD", "4x"), ("L", " a, b ,,")]);
        assert_eq!(env.optional("A"), None);
        assert_eq!(env.required("A").unwrap_err().0, "A is not set");
        assert_eq!(env.number("N", 1), Ok(42));
        assert_eq!(env.number("MISSING", 7), Ok(7));
        assert!(env.number("BAD", 1).unwrap_err().0.contains("BAD"));
        assert_eq!(
            env.millis("N", Duration::ZERO),
            Ok(Duration::from_millis(42))
        );
        assert_eq!(env.list("L"), ["a", "b"]);
    }
}

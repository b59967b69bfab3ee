//! One table's keys, read with every mistake noted.

use crate::{Table, Value, a_type, did_you_mean};

/// Reads one table's keys, noting every unknown, missing or mistyped one with its key.
pub struct Fields<'a> {
    table: &'a Table,
    mistakes: Vec<(Option<String>, String)>,
}

impl<'a> Fields<'a> {
    /// Notes every key not in `known`, with a did-you-mean.
    pub fn new(table: &'a Table, known: &[&str]) -> Fields<'a> {
        let mistakes = table
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .map(|k| {
                (
                    Some(k.clone()),
                    format!("unknown key `{k}`{}", did_you_mean(k, known)),
                )
            })
            .collect();
        Fields { table, mistakes }
    }

    pub fn table(&self) -> &'a Table {
        self.table
    }

    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.table.get(key)
    }

    /// Notes a mistake about `key`; `message` names it.
    pub fn mistake(&mut self, key: &str, message: impl Into<String>) {
        self.mistakes.push((Some(key.to_string()), message.into()));
    }

    /// Notes a mistake about the entry as a whole.
    pub fn entry_mistake(&mut self, message: impl Into<String>) {
        self.mistakes.push((None, message.into()));
    }

    pub fn has_mistakes(&self) -> bool {
        !self.mistakes.is_empty()
    }

    /// Every mistake noted so far, each with its key when it has one.
    pub fn into_mistakes(self) -> Vec<(Option<String>, String)> {
        self.mistakes
    }

    /// Takes the mistakes noted so far, leaving none.
    pub fn take_mistakes(&mut self) -> Vec<(Option<String>, String)> {
        std::mem::take(&mut self.mistakes)
    }

    pub fn wrong(&mut self, key: &str, expected: &str, got: &Value) {
        self.mistake(
            key,
            format!("`{key}` must be {expected}, not {}", a_type(got)),
        );
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.table.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong(key, "a string", other);
                None
            }
        }
    }

    /// `hint` follows "`key` is missing", e.g. ": one SELECT".
    pub fn required_string(&mut self, key: &str, hint: &str) -> Option<String> {
        if !self.table.contains_key(key) {
            self.mistake(key, format!("`{key}` is missing{hint}"));
        }
        self.string(key)
    }

    /// A string with its blanks trimmed; blank is a mistake ("`key` is empty").
    pub fn text(&mut self, key: &str) -> Option<String> {
        let text = self.string(key)?.trim().to_string();
        if text.is_empty() {
            self.mistake(key, format!("`{key}` is empty"));
            return None;
        }
        Some(text)
    }

    /// [`Fields::text`], and missing is a mistake too.
    pub fn required_text(&mut self, key: &str, hint: &str) -> Option<String> {
        if !self.table.contains_key(key) {
            self.mistake(key, format!("`{key}` is missing{hint}"));
        }
        self.text(key)
    }

    /// A whole number, 0 or more.
    pub fn count(&mut self, key: &str) -> Option<u64> {
        match self.table.get(key)? {
            Value::Integer(n) if *n >= 0 => Some(*n as u64),
            Value::Integer(_) => {
                self.mistake(key, format!("`{key}` must be 0 or more"));
                None
            }
            other => {
                self.wrong(key, "a whole number", other);
                None
            }
        }
    }

    pub fn strings(&mut self, key: &str) -> Option<Vec<String>> {
        let value = self.table.get(key)?;
        let list = value
            .as_array()
            .and_then(|a| a.iter().map(|v| v.as_str().map(String::from)).collect());
        if list.is_none() {
            self.mistake(
                key,
                format!("`{key}` must be a list of strings, like [\"a\", \"b\"]"),
            );
        }
        list
    }

    /// `[[parent.key]]` sub-entries, each a table (none when absent).
    pub fn tables(&mut self, key: &str, parent: &str) -> Vec<&'a Table> {
        match self.table.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) if items.iter().all(Value::is_table) => {
                items.iter().filter_map(Value::as_table).collect()
            }
            Some(_) => {
                self.mistake(
                    key,
                    format!("`{key}` must be [[{parent}.{key}]] entries, each a table"),
                );
                Vec::new()
            }
        }
    }
}

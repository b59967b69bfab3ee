//! JSON written by hand, for what the bot sends: the inside of a string literal, an object
//! field by field. Rendered blocks go in as they are; nothing is parsed back. Pure.

/// A JSON object written field by field.
pub(super) struct Object(pub(super) String);

impl Object {
    pub(super) fn with_capacity(capacity: usize) -> Object {
        let mut out = String::with_capacity(capacity);
        out.push('{');
        Object(out)
    }

    pub(super) fn key(&mut self, key: &str) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
    }

    /// A value that is JSON already.
    pub(super) fn raw(&mut self, key: &str, json: &str) {
        self.key(key);
        self.0.push_str(json);
    }

    /// A string value, escaped here.
    pub(super) fn string(&mut self, key: &str, value: &str) {
        self.raw_string(key, &json_inner(value));
    }

    /// A string value escaped already.
    pub(super) fn raw_string(&mut self, key: &str, inner: &str) {
        self.key(key);
        self.0.push('"');
        self.0.push_str(inner);
        self.0.push('"');
    }

    pub(super) fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

pub(super) fn bool_json(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// `s` as the inside of a JSON string literal.
pub fn json_inner(s: &str) -> String {
    let quoted = serde_json::to_string(s).expect("a string serializes");
    quoted[1..quoted.len() - 1].to_string()
}

/// The inside of a JSON string cut after `max` characters, an escape (`\n`, `\u00e9`) counting
/// as the one it stands for and never cut; `None` when it is no longer. Pure.
pub fn clip_json_inner(inner: &str, max: usize) -> Option<&str> {
    let mut chars = 0;
    let mut iter = inner.char_indices();
    while let Some((at, c)) = iter.next() {
        if chars == max {
            return Some(&inner[..at]);
        }
        if c == '\\' {
            let skip = match iter.next() {
                Some((_, 'u')) => 4,
                _ => 0,
            };
            for _ in 0..skip {
                iter.next();
            }
        }
        chars += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_clipped_without_cutting_an_escape() {
        assert_eq!(clip_json_inner("ab\\ncd", 3), Some("ab\\n"));
        assert_eq!(
            clip_json_inner("\\u00e9\\u00e9x", 2),
            Some("\\u00e9\\u00e9")
        );
        assert_eq!(clip_json_inner("abc", 3), None);
        assert_eq!(json_inner("a \"b\"\n"), "a \\\"b\\\"\\n");
    }
}

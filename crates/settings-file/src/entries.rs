//! A file of `[[entries]]`: the file checked as a whole, then each entry on its own.

use std::collections::HashSet;

use crate::{Fields, Mistake, Table, Value, a_type, did_you_mean, label};

/// A file of `[[array]]` entries, and the words its mistakes use.
#[derive(Debug, Clone, Copy)]
pub struct Entries {
    /// The entries' table-array name: `stats` for `[[stats]]`.
    pub array: &'static str,
    /// What a mistake calls one entry: `catalogue entry`, `digest`.
    pub entry: &'static str,
    /// What a mistake calls the file: `the catalogue`.
    pub file: &'static str,
    /// Whether a file without entries is a mistake.
    pub at_least_one: bool,
}

impl Entries {
    /// The file's entry tables, or the mistakes that stop any from being read (not TOML, stray
    /// top-level keys are reported but do not stop the entries).
    pub fn tables<'a>(
        &self,
        file: &'a Table,
        mistakes: &mut Vec<Mistake>,
    ) -> Option<Vec<(String, Option<&'a Table>)>> {
        let array = self.array;
        for key in file.keys().filter(|k| *k != array) {
            mistakes.push(
                Mistake::file(format!(
                    "unknown key `{key}` at the top of {}{}: it holds only [[{array}]] entries",
                    self.file,
                    did_you_mean(key, &[array])
                ))
                .with_key(key),
            );
        }
        let entries = match file.get(array) {
            Some(Value::Array(entries)) if !entries.is_empty() => entries.as_slice(),
            Some(Value::Array(_)) | None if !self.at_least_one => &[],
            Some(Value::Array(_)) | None => {
                mistakes.push(Mistake::file(format!(
                    "{} declares no {array}: add at least one [[{array}]] entry",
                    self.file
                )));
                return None;
            }
            Some(other) => {
                mistakes.push(
                    Mistake::file(format!(
                        "`{array}` must be [[{array}]] entries, not {}",
                        a_type(other)
                    ))
                    .with_key(array),
                );
                return None;
            }
        };
        Some(
            entries
                .iter()
                .enumerate()
                .map(|(i, entry)| match entry.as_table() {
                    Some(table) => (label(table, i), Some(table)),
                    None => (format!("#{}", i + 1), None),
                })
                .collect(),
        )
    }

    /// Parses `text` as TOML; the one mistake says where it is not.
    pub fn parse(&self, text: &str) -> Result<Table, Vec<Mistake>> {
        text.parse().map_err(|e: toml::de::Error| {
            vec![Mistake::file(format!(
                "{} is not valid TOML: {}",
                self.file,
                e.to_string().trim_end()
            ))]
        })
    }

    /// The whole check of a simple file: each entry read by `read` through [`Fields`] (which
    /// knows `keys`), names unique by `name_of`. Returns the entries that hold and every
    /// mistake, of the file and of each entry.
    pub fn check<T>(
        &self,
        text: &str,
        keys: &[&str],
        mut read: impl FnMut(&mut Fields<'_>) -> Option<T>,
        name_of: impl Fn(&T) -> String,
    ) -> (Vec<T>, Vec<Mistake>) {
        let file = match self.parse(text) {
            Ok(file) => file,
            Err(mistakes) => return (Vec::new(), mistakes),
        };
        let mut mistakes = Vec::new();
        let Some(tables) = self.tables(&file, &mut mistakes) else {
            return (Vec::new(), mistakes);
        };
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        for (label, table) in tables {
            let Some(table) = table else {
                mistakes.push(self.mistake(
                    &label,
                    format!("a [[{}]] entry must be a table", self.array),
                ));
                continue;
            };
            let mut fields = Fields::new(table, keys);
            let read = read(&mut fields);
            let entry_mistakes = fields.into_mistakes();
            match read {
                Some(item) if entry_mistakes.is_empty() => {
                    if seen.insert(name_of(&item)) {
                        found.push(item);
                    } else {
                        mistakes.push(self.mistake(&label, "declared twice").with_key("name"));
                    }
                }
                _ => mistakes.extend(entry_mistakes.into_iter().map(|(key, message)| {
                    let mistake = self.mistake(&label, message);
                    match key {
                        Some(key) => mistake.with_key(&key),
                        None => mistake,
                    }
                })),
            }
        }
        (found, mistakes)
    }

    /// A mistake in entry `label` of this file.
    pub fn mistake(&self, label: &str, message: impl Into<String>) -> Mistake {
        Mistake::entry(self.entry, label, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const THINGS: Entries = Entries {
        array: "things",
        entry: "thing",
        file: "the things file",
        at_least_one: false,
    };

    struct Thing {
        name: String,
        size: u64,
    }

    fn thing(f: &mut Fields<'_>) -> Option<Thing> {
        let name = f.required_text("name", "");
        let size = f.count("size").unwrap_or(1);
        if size > 10 {
            f.mistake("size", "`size` must be at most 10");
        }
        Some(Thing { name: name?, size })
    }

    fn check(text: &str) -> (Vec<Thing>, Vec<String>) {
        let (found, mistakes) = THINGS.check(text, &["name", "size"], thing, |t| t.name.clone());
        (found, mistakes.iter().map(Mistake::to_string).collect())
    }

    #[test]
    fn every_mistake_of_every_entry_is_named_at_once() {
        let (found, mistakes) = check(
            "[[things]]\nname = \"a\"\nsiez = 3\n\
             [[things]]\nsize = \"big\"\n\
             [[things]]\nname = \"c\"\nsize = 11\n\
             [[things]]\nname = \"d\"\n\
             [[things]]\nname = \"d\"\n",
        );
        assert_eq!(found.iter().map(|t| t.size).collect::<Vec<_>>(), [1]);
        assert_eq!(
            mistakes,
            [
                "thing `a`: unknown key `siez` (did you mean `size`?)",
                "thing `#2`: `name` is missing",
                "thing `#2`: `size` must be a whole number, not a string",
                "thing `c`: `size` must be at most 10",
                "thing `d`: declared twice",
            ]
        );
    }

    #[test]
    fn the_file_itself() {
        assert!(check("").1.is_empty(), "no entries is fine here");
        let needs_one = Entries {
            at_least_one: true,
            ..THINGS
        };
        let (_, m) = needs_one.check("", &[], |_| Some(()), |_| String::new());
        assert_eq!(
            m[0].to_string(),
            "the things file declares no things: add at least one [[things]] entry"
        );
        assert_eq!(
            check("thing = 1\n").1,
            [
                "unknown key `thing` at the top of the things file (did you mean `things`?): \
              it holds only [[things]] entries"
            ]
        );
        assert_eq!(
            check("things = 1\n").1,
            ["`things` must be [[things]] entries, not an integer"]
        );
        assert!(check("[[things]\n").1[0].starts_with("the things file is not valid TOML"));
        assert_eq!(
            check("things = [1]\n").1,
            ["thing `#1`: a [[things]] entry must be a table"]
        );
    }

    #[test]
    fn mistakes_carry_their_key_and_part() {
        let (_, mistakes) = THINGS.check(
            "[[things]]\nname = \"a\"\nsize = -1\n",
            &["name", "size"],
            thing,
            |t| t.name.clone(),
        );
        assert_eq!(mistakes[0].key.as_deref(), Some("size"));
        let in_part = THINGS
            .mistake("a", "`type` is missing")
            .in_part("parameter", "days");
        assert_eq!(
            in_part.to_string(),
            "thing `a`, parameter `days`: `type` is missing"
        );
        assert_eq!(
            crate::describe(&[Mistake::file("x"), in_part], "the things file"),
            "the things file has 2 mistakes:\n  - x\n  - thing `a`, parameter `days`: `type` is missing"
        );
    }
}

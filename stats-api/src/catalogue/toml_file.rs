//! The catalogue file as people write it (TOML): the file checked as a whole, each `[[stats]]`
//! entry then checked on its own (`toml_entry`), so one broken entry never hides the others.

use super::toml_entry::check_entry;
use super::{CATALOGUE, Catalogue, Mistake, Stat};

pub(super) fn check(text: &str) -> Result<Catalogue, Vec<Mistake>> {
    let (stats, mistakes) = check_each(text);
    if mistakes.is_empty() {
        Ok(Catalogue { stats })
    } else {
        Err(mistakes)
    }
}

/// The entries that hold, and every mistake of the others (or of the file).
pub(super) fn check_each(text: &str) -> (Vec<Stat>, Vec<Mistake>) {
    let file = match CATALOGUE.parse(text) {
        Ok(file) => file,
        Err(mistakes) => return (Vec::new(), mistakes),
    };
    let mut mistakes = Vec::new();
    let Some(entries) = CATALOGUE.tables(&file, &mut mistakes) else {
        return (Vec::new(), mistakes);
    };
    let mut stats: Vec<Stat> = Vec::with_capacity(entries.len());
    for (label, table) in entries {
        let Some(table) = table else {
            mistakes.push(CATALOGUE.mistake(&label, "a [[stats]] entry must be a table"));
            continue;
        };
        match check_entry(&label, table) {
            Ok(stat) if stats.iter().any(|s| s.name == stat.name) => {
                mistakes.push(CATALOGUE.mistake(&label, "declared twice").with_key("name"));
            }
            Ok(stat) => stats.push(stat),
            Err(found) => mistakes.extend(found),
        }
    }
    (stats, mistakes)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{SIGNUPS, one};
    use super::*;
    use crate::error::Error;

    fn problem(err: Error) -> String {
        err.to_string()
    }

    fn problems(text: &str) -> Vec<String> {
        check(text)
            .unwrap_err()
            .iter()
            .map(Mistake::to_string)
            .collect()
    }

    #[test]
    fn broken_entries_are_refused_with_the_entry_and_the_problem() {
        let cases = [
            (
                SIGNUPS.replace("\"signups\"", "\"Sign Ups\""),
                "`Sign Ups`: the name",
            ),
            (SIGNUPS.replace("\"series\"", "\"pie\""), "display `pie`"),
            (
                SIGNUPS.replace("default = 12", "default = 500"),
                "parameter `months`: the default does not fit",
            ),
            (
                SIGNUPS.replace("min = 1", "min = 200"),
                "greater than `max`",
            ),
            (SIGNUPS.replace("\"integer\"", "\"float\""), "type `float`"),
            (
                SIGNUPS.replace(":months", ":weeks"),
                "no parameter `weeks` is declared",
            ),
            (SIGNUPS.replace(":months", "1"), "never uses `:months`"),
            (
                SIGNUPS.replace("AS m", "AS m; DROP TABLE users"),
                "single statement",
            ),
            (SIGNUPS.replace("\"signups\"", "\"help\""), "reserved"),
            (
                SIGNUPS.replace("AS m", "AS m FOR UPDATE"),
                "`FOR UPDATE` locks rows",
            ),
        ];
        for (text, expected) in cases {
            let err = problem(one(&text).unwrap_err());
            assert!(err.contains(expected), "expected {expected:?} in {err:?}");
        }
    }

    #[test]
    fn unknown_keys_and_duplicates_are_refused() {
        let err = one(&format!("{SIGNUPS}\ncolour = \"red\""))
            .unwrap_err()
            .to_string();
        assert!(err.contains("colour"), "{err}");
        let twice = format!("[[stats]]\n{SIGNUPS}\n[[stats]]\n{SIGNUPS}");
        assert!(problem(Catalogue::parse(&twice).unwrap_err()).contains("declared twice"));
    }

    #[test]
    fn every_broken_entry_is_named_in_one_pass() {
        let text = format!(
            "[[stats]]\n{}\n[[stats]]\n{}\n[[stats]]\n{}\n[[stats]]\ntitle = \"No name\"\n",
            SIGNUPS.replace("display =", "dispaly ="),
            SIGNUPS
                .replace("\"signups\"", "\"second\"")
                .replace("type = \"integer\"\n", ""),
            SIGNUPS
                .replace("\"signups\"", "\"third\"")
                .replace("default = 12", "default = \"twelve\"")
                .replace("cache_seconds", "cache_secs"),
        );
        let found = problems(&text);
        let expect = [
            "catalogue entry `signups`: unknown key `dispaly` (did you mean `display`?)",
            "catalogue entry `signups`: `display` is missing",
            "catalogue entry `second`, parameter `months`: `type` is missing: one of integer, string, date, boolean",
            "catalogue entry `third`, parameter `months`: `default` must be a whole number, not a string",
            "catalogue entry `#4`: `name` is missing",
            "catalogue entry `#4`: `sql` is missing",
        ];
        for e in expect {
            assert!(
                found.iter().any(|f| f.starts_with(e)),
                "{e:?} not in {found:#?}"
            );
        }
    }

    #[test]
    fn values_of_the_wrong_type_name_the_key() {
        let found = problems(&format!(
            "[[stats]]\n{}",
            SIGNUPS.replace(
                "display = \"series\"",
                "display = 3\ncache_seconds = \"soon\""
            )
        ));
        assert!(
            found.contains(
                &"catalogue entry `signups`: `display` must be a string, not an integer"
                    .to_string()
            ) && found.contains(
                &"catalogue entry `signups`: `cache_seconds` must be a whole number, not a string"
                    .to_string()
            ),
            "{found:#?}"
        );
        let found = problems("[[stats]]\nname = \"x\"\nparams = 3\n");
        assert!(
            found.iter().any(|f| f.contains("`params` must be")),
            "{found:#?}"
        );
        let found = problems("stats = 1\n");
        assert_eq!(found, ["`stats` must be [[stats]] entries, not an integer"]);
        let found = problems("[stat]\n");
        assert!(
            found[0].contains("unknown key `stat`") && found[0].contains("did you mean `stats`?"),
            "{found:#?}"
        );
        let found = problems("[[stats]\n");
        assert!(found[0].contains("not valid TOML"), "{found:#?}");
    }

    #[test]
    fn declared_dates_must_fit_the_database() {
        let date = |extra: &str| {
            one(&format!(
                "name = \"d\"\ntitle = \"D\"\ndescription = \"d\"\ndisplay = \"figures\"\nsql = \"SELECT :day AS day\"\n[[stats.params]]\nname = \"day\"\ntype = \"date\"\n{extra}"
            ))
        };
        assert!(date("min = 2020-01-01\nmax = \"9999-12-31\"").is_ok());
        for extra in [
            "min = 0999-12-31",
            "max = \"10000-01-01\"",
            "default = \"+2024-01-01\"",
            "default = \"0100-01-01\"",
        ] {
            let err = problem(date(extra).unwrap_err());
            assert!(
                err.contains("from 1000-01-01 to 9999-12-31"),
                "{extra}: {err}"
            );
        }
    }
}

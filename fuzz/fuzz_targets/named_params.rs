//! Named parameter rewriting. Any SQL: no panic, and one `?` more than the input had for each
//! name found. SQL built from known pieces: exactly the `:name`s outside quotes and comments
//! become `?`, in order, and nothing else changes.
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use stats_api::named_params::to_positional;

fuzz_target!(|data: &[u8]| {
    if let Ok(sql) = std::str::from_utf8(data) {
        any_sql(sql);
    }
    let _ = built_sql(&mut Unstructured::new(data));
});

fn any_sql(sql: &str) {
    let Ok(positional) = to_positional(sql) else {
        return;
    };
    for name in &positional.names {
        let mut chars = name.chars();
        assert!(
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        );
        assert!(
            chars.all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{name:?}"
        );
    }
    // A `?` in the input survives only inside quotes or comments, copied as it was.
    assert_eq!(
        positional.sql.matches('?').count(),
        sql.matches('?').count() + positional.names.len(),
        "{sql:?} -> {positional:?}"
    );
}

fn built_sql(u: &mut Unstructured) -> Result<()> {
    let mut sql = String::new();
    let mut expected = String::new();
    let mut names = Vec::new();
    for _ in 0..u.int_in_range(0..=20)? {
        match u.int_in_range(0..=6)? {
            0 => {
                let word = plain(u)?;
                sql.push_str(&word);
                expected.push_str(&word);
            }
            1 => {
                let name = name(u)?;
                sql.push_str(&format!(" :{name} "));
                expected.push_str(" ? ");
                names.push(name);
            }
            2..=4 => {
                // A literal or quoted identifier holding anything, `:names` included.
                let quote = *u.choose(&['\'', '"', '`'])?;
                let inner = inside(u)?;
                let mut escaped = inner.replace(quote, &format!("{quote}{quote}"));
                if quote != '`' {
                    escaped = escaped.replace('\\', "\\\\");
                }
                let literal = format!("{quote}{escaped}{quote}");
                sql.push_str(&literal);
                expected.push_str(&literal);
            }
            5 => {
                let inner = inside(u)?.replace('\n', " ");
                let comment = if u.arbitrary()? {
                    format!("-- {inner}\n")
                } else {
                    format!("# {inner}\n")
                };
                sql.push_str(&comment);
                expected.push_str(&comment);
            }
            _ => {
                let comment = format!("/* {} */", inside(u)?.replace("*/", "* /"));
                sql.push_str(&comment);
                expected.push_str(&comment);
            }
        }
    }
    let positional = match to_positional(&sql) {
        Ok(positional) => positional,
        // The plain pieces may spell `FOR UPDATE` and the like, which is refused.
        Err(e) if e.contains("locks rows") => return Ok(()),
        Err(e) => panic!("{sql:?}: {e}"),
    };
    assert_eq!(positional.sql, expected.trim_end(), "{sql:?}");
    assert_eq!(positional.names, names, "{sql:?}");
    Ok(())
}

/// SQL outside quotes and comments, without the characters that start either, `:` or `?`.
fn plain(u: &mut Unstructured) -> Result<String> {
    let s: &str = u.arbitrary()?;
    Ok(s.chars().filter(|c| !"'\"`#-/*:?;".contains(*c)).collect())
}

fn name(u: &mut Unstructured) -> Result<String> {
    let mut name = String::from(*u.choose(&["a", "_", "months", "since", "Z9"])?);
    let tail: &str = u.arbitrary()?;
    name.extend(
        tail.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_'),
    );
    Ok(name)
}

/// Text for inside quotes and comments, salted with what would be a parameter outside them.
fn inside(u: &mut Unstructured) -> Result<String> {
    let mut out = String::new();
    for _ in 0..u.int_in_range(0..=4)? {
        if u.arbitrary()? {
            out.push_str(u.choose(&[":x", "?", ";", "--", "#", "/*", "'", "\"", "`", "\\"])?);
        } else {
            out.push_str(u.arbitrary::<&str>()?);
        }
    }
    Ok(out)
}

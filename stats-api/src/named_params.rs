//! Named parameters (`:months`) in declared SQL, rewritten to the `?` placeholders MySQL binds.
//!
//! The scan skips string literals, quoted identifiers and comments, so `':x'` or `-- :x` are
//! left alone. It also refuses a bare `?` (it would bind out of order), a second statement, and
//! a locking read (`FOR UPDATE`, `FOR SHARE`, `LOCK IN SHARE MODE`): stats run in a read-only
//! transaction, which refuses locks, so such an entry would fail every request.

/// Declared SQL rewritten for binding: `sql` has `?` where `names[i]` goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionalSql {
    pub sql: String,
    pub names: Vec<String>,
}

pub fn to_positional(declared: &str) -> Result<PositionalSql, String> {
    let chars: Vec<char> = declared.chars().collect();
    let mut sql = String::with_capacity(declared.len());
    let mut names = Vec::new();
    // The SQL outside quotes and comments, where a keyword is a keyword.
    let mut code = String::with_capacity(declared.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\'' | '"' | '`' => {
                let end = end_of_quoted(&chars, i, c)
                    .ok_or_else(|| format!("unterminated {c} quote in the SQL"))?;
                sql.extend(&chars[i..end]);
                code.push(' ');
                i = end;
            }
            '#' => {
                i = copy_line_comment(&chars, i, &mut sql);
                code.push(' ');
            }
            '-' if next == Some('-') && chars.get(i + 2).is_none_or(|c| c.is_whitespace()) => {
                i = copy_line_comment(&chars, i, &mut sql);
                code.push(' ');
            }
            '/' if next == Some('*') => {
                let end = find_from(&chars, i + 2, &['*', '/'])
                    .map(|at| at + 2)
                    .ok_or("unterminated /* comment in the SQL")?;
                sql.extend(&chars[i..end]);
                code.push(' ');
                i = end;
            }
            '?' => return Err("use named parameters like `:months`, not `?`".into()),
            ';' => {
                if chars[i + 1..].iter().any(|c| !c.is_whitespace()) {
                    return Err("the SQL must be a single statement".into());
                }
                i = chars.len();
            }
            ':' if next.is_some_and(is_name_start) && (i == 0 || chars[i - 1] != ':') => {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && is_name_char(chars[end]) {
                    end += 1;
                }
                names.push(chars[start..end].iter().collect());
                sql.push('?');
                code.push(' ');
                i = end;
            }
            _ => {
                sql.push(c);
                code.push(c);
                i += 1;
            }
        }
    }
    if let Some(clause) = locking_clause(&code) {
        return Err(format!(
            "`{clause}` locks rows, and stats run in a read-only transaction that refuses \
             locks: every request would fail. Remove it; a stat only reads"
        ));
    }
    Ok(PositionalSql {
        sql: sql.trim_end().to_string(),
        names,
    })
}

/// Clauses that make a SELECT take locks, as words.
const LOCKING: [&[&str]; 3] = [
    &["FOR", "UPDATE"],
    &["FOR", "SHARE"],
    &["LOCK", "IN", "SHARE", "MODE"],
];

/// The locking clause in `code` (SQL with quotes and comments blanked out), if any.
fn locking_clause(code: &str) -> Option<String> {
    let words: Vec<String> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    LOCKING
        .iter()
        .find(|phrase| words.windows(phrase.len()).any(|w| w == **phrase))
        .map(|phrase| phrase.join(" "))
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Index just past the closing quote; a doubled quote or a backslash escape stays inside.
fn end_of_quoted(chars: &[char], open: usize, quote: char) -> Option<usize> {
    let mut i = open + 1;
    while i < chars.len() {
        if chars[i] == '\\' && quote != '`' {
            i += 2;
        } else if chars[i] == quote {
            if chars.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return Some(i + 1);
            }
        } else {
            i += 1;
        }
    }
    None
}

fn copy_line_comment(chars: &[char], start: usize, out: &mut String) -> usize {
    let end = chars[start..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |p| start + p);
    out.extend(&chars[start..end]);
    end
}

fn find_from(chars: &[char], from: usize, needle: &[char]) -> Option<usize> {
    (from..chars.len().saturating_sub(needle.len() - 1))
        .find(|&i| chars[i..i + needle.len()] == *needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_placeholders_in_order_and_may_repeat() {
        let p =
            to_positional("SELECT * FROM t WHERE a > :since AND b < :until OR a = :since").unwrap();
        assert_eq!(p.sql, "SELECT * FROM t WHERE a > ? AND b < ? OR a = ?");
        assert_eq!(p.names, ["since", "until", "since"]);
    }

    #[test]
    fn quoted_text_and_comments_are_not_parameters() {
        let sql = "SELECT ':a', \":b\", `:c`, 'it''s :d', 'x\\':e' -- :f\n# :g\n/* :h */ FROM t WHERE x = :real";
        let p = to_positional(sql).unwrap();
        assert_eq!(p.names, ["real"]);
        assert!(p.sql.contains("':a'") && p.sql.contains("/* :h */") && p.sql.ends_with("x = ?"));
    }

    #[test]
    fn time_literals_and_assignments_are_left_alone() {
        let p = to_positional("SELECT TIME '10:30', @x := 1, a::b FROM t").unwrap();
        assert!(p.names.is_empty(), "{:?}", p.names);
    }

    #[test]
    fn a_trailing_semicolon_is_dropped_but_a_second_statement_is_refused() {
        assert_eq!(to_positional("SELECT 1;  \n").unwrap().sql, "SELECT 1");
        let err = to_positional("SELECT 1; DELETE FROM users").unwrap_err();
        assert!(err.contains("single statement"), "{err}");
    }

    #[test]
    fn bare_question_marks_and_open_quotes_are_refused() {
        assert!(
            to_positional("SELECT * FROM t WHERE a = ?")
                .unwrap_err()
                .contains(":months")
        );
        assert!(
            to_positional("SELECT 'oops")
                .unwrap_err()
                .contains("unterminated")
        );
        assert!(
            to_positional("SELECT 1 /* oops")
                .unwrap_err()
                .contains("unterminated")
        );
    }

    #[test]
    fn locking_reads_are_refused_but_the_words_in_text_are_not() {
        for sql in [
            "SELECT * FROM t FOR UPDATE",
            "SELECT * FROM t for  update skip locked",
            "SELECT * FROM t FOR\nSHARE",
            "SELECT * FROM t LOCK IN SHARE MODE;",
            "SELECT * FROM t /* x */ FOR /* y */ UPDATE",
            "SELECT * FROM (SELECT id FROM t FOR UPDATE) AS s",
        ] {
            let err = to_positional(sql).unwrap_err();
            assert!(err.contains("locks rows"), "{sql}: {err}");
        }
        for sql in [
            "SELECT 'for update', `for update` FROM t -- FOR UPDATE",
            "SELECT for_update, lock_in FROM t",
            "SELECT * FROM t /* LOCK IN SHARE MODE */",
            "SELECT name FROM t WHERE x = 'FOR SHARE'",
        ] {
            assert!(to_positional(sql).is_ok(), "{sql}");
        }
    }
}

//! A stat's rows as CSV (RFC 4180) for spreadsheets: a header row of column names, one line a
//! row, CRLF line ends, a field quoted only when it holds `"`, `,`, CR or LF (inner `"` doubled).
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR before one)
//! as a formula, and members choose their own names: `=HYPERLINK("http://x","y")` must arrive
//! as text. So a cell of a `string` column (and a header) that starts with one of those gets a
//! leading `'`, which spreadsheets read as "this is text". Only string cells: a number, even a
//! negative one, stays a number, and dates, times and JSON values start with a digit, `{`, `[`
//! or `"` (a negative `time` is the server's own formatting, not anyone's input).

use serde_json::{Map, Value};
use stats_contract::{Column, ColumnType};

/// The CSV for `rows`, in `columns`' order; a null is an empty field.
pub fn render(columns: &[Column], rows: &[Map<String, Value>]) -> String {
    let mut out = String::new();
    line(&mut out, columns.iter().map(|c| neutralise(&c.name)));
    for row in rows {
        line(
            &mut out,
            columns.iter().map(|c| {
                let text = match row.get(&c.name).unwrap_or(&Value::Null) {
                    Value::Null => String::new(),
                    // A JSON column's value is written as JSON, so a string keeps its quotes.
                    Value::String(s) if c.kind != ColumnType::Json => s.clone(),
                    other => other.to_string(),
                };
                if c.kind == ColumnType::String {
                    neutralise(&text)
                } else {
                    text
                }
            }),
        );
    }
    out
}

fn line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains(['"', ',', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

/// `text`, with a leading `'` when a spreadsheet would take it for a formula.
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn column(name: &str, kind: ColumnType) -> Column {
        Column {
            name: name.into(),
            kind,
        }
    }

    fn rows(value: Value) -> Vec<Map<String, Value>> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let columns = [
            column("name", ColumnType::String),
            column("n", ColumnType::Integer),
            column("when", ColumnType::Date),
            column("extra", ColumnType::Json),
        ];
        let csv = render(
            &columns,
            &rows(json!([
                { "name": "Ada, Countess", "n": 3, "when": "2024-03-01", "extra": {"a": [1, 2]} },
                { "name": "say \"hi\"\nthere", "n": null, "when": null, "extra": null },
                { "name": "plain", "n": -4, "when": "2024-03-02", "extra": "x" }
            ])),
        );
        assert_eq!(
            csv,
            "name,n,when,extra\r\n\
             \"Ada, Countess\",3,2024-03-01,\"{\"\"a\"\":[1,2]}\"\r\n\
             \"say \"\"hi\"\"\nthere\",,,\r\n\
             plain,-4,2024-03-02,\"\"\"x\"\"\"\r\n"
        );
    }

    #[test]
    fn string_cells_that_look_like_formulas_are_neutralised_numbers_are_not() {
        let columns = [
            column("name", ColumnType::String),
            column("delta", ColumnType::Integer),
            column("ratio", ColumnType::Number),
        ];
        let csv = render(
            &columns,
            &rows(json!([
                { "name": "=HYPERLINK(\"http://x\",\"y\")", "delta": -3, "ratio": -0.5 },
                { "name": "+1", "delta": 0, "ratio": 1 },
                { "name": "-2", "delta": 0, "ratio": 1 },
                { "name": "@SUM(A1)", "delta": 0, "ratio": 1 },
                { "name": "\tx", "delta": 0, "ratio": 1 },
                { "name": "\rx", "delta": 0, "ratio": 1 },
                { "name": "a=b", "delta": 0, "ratio": 1 }
            ])),
        );
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[1],
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-3,-0.5"
        );
        assert_eq!(lines[2], "'+1,0,1");
        assert_eq!(lines[3], "'-2,0,1");
        assert_eq!(lines[4], "'@SUM(A1),0,1");
        assert_eq!(lines[5], "'\tx,0,1");
        assert!(csv.contains("\"'\rx\",0,1"), "{csv:?}");
        assert!(csv.contains("\r\na=b,0,1\r\n"), "{csv:?}");
    }

    #[test]
    fn headers_are_neutralised_too() {
        let csv = render(&[column("=x", ColumnType::Integer)], &[]);
        assert_eq!(csv, "'=x\r\n");
    }
}

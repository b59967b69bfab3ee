//! `/openapi.json` and the service hold together: every documented operation answers as
//! documented, and every stat in the catalogue is documented.

use serde_json::Value;

use chrono::{Days, NaiveDate};

use crate::helpers::{TOKEN, TestDatabase, catalogue_file, client, spawn_app, spawn_app_with};

/// Checks `value` against the JSON Schema subset the document uses.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let path = reference.trim_start_matches("#/").split('/');
        let target = path.fold(doc, |node, key| &node[key]);
        assert!(!target.is_null(), "dangling $ref {reference}");
        return check(doc, target, value, at);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            check(doc, s, value, at)?;
        }
    }
    if let Some(expected) = schema.get("const")
        && expected != value
    {
        return Err(format!("{at}: expected {expected}, got {value}"));
    }
    if let Some(choices) = schema["enum"].as_array()
        && !choices.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {choices:?}"));
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let fits = types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        });
        if !fits {
            return Err(format!("{at}: {value} is not {types:?}"));
        }
    }
    if let Some(required) = schema["required"].as_array() {
        for key in required.iter().filter_map(Value::as_str) {
            if value.get(key).is_none() {
                return Err(format!("{at}: missing `{key}`"));
            }
        }
    }
    if let (Some(props), Some(obj)) = (schema["properties"].as_object(), value.as_object()) {
        for (key, sub) in props {
            if let Some(v) = obj.get(key) {
                check(doc, sub, v, &format!("{at}.{key}"))?;
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, v) in list.iter().enumerate() {
            check(doc, items, v, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn every_documented_operation_answers_as_documented() {
    let app = spawn_app().await;
    let http = client();
    let doc: Value = http
        .get(format!("{}/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (path, item) in paths {
        let op = &item["get"];
        let secured = op
            .get("security")
            .is_none_or(|s| !s.as_array().unwrap().is_empty());
        // Required query parameters (`/v1/ask`'s `q`) are given their documented example.
        let query: Vec<String> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["required"] == true && p["in"] == "query")
            .map(|p| {
                format!(
                    "{}={}",
                    p["name"].as_str().unwrap(),
                    p["example"].as_str().expect("an example").replace(' ', "+")
                )
            })
            .collect();
        let path = &if query.is_empty() {
            path.clone()
        } else {
            format!("{path}?{}", query.join("&"))
        };
        let response = app.get(path).await;
        let status = response.status().as_u16();
        if op["responses"]["200"]["content"].get("image/png").is_some() {
            assert_eq!(response.headers()["content-type"], "image/png", "{path}");
            assert_eq!(status, 200, "{path}");
            let bytes = response.bytes().await.unwrap();
            assert!(bytes.starts_with(b"\x89PNG\r\n"), "{path}");
        } else {
            let body: Value = response.json().await.unwrap();
            assert_eq!(status, 200, "{path}: {body}");
            let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
            check(&doc, schema, &body, path).unwrap_or_else(|e| panic!("{e}\n{body}"));
        }

        if secured {
            assert!(op["responses"].get("401").is_some(), "{path} documents 401");
            let anonymous = http
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .unwrap();
            assert_eq!(anonymous.status(), 401, "{path}");
            let body: Value = anonymous.json().await.unwrap();
            let error_schema = &op["responses"]["401"]["content"]["application/json"]["schema"];
            check(&doc, error_schema, &body, path).unwrap();
        }
        // What a hostile or careless client gets is documented, and is what it gets.
        for code in ["405", "413", "414", "431"] {
            assert!(
                op["responses"].get(code).is_some(),
                "{path} documents {code}"
            );
        }
        let post = http
            .post(format!("{}{path}", app.address))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(post.status(), 405, "{path}");
        let body: Value = post.json().await.unwrap();
        let schema = &op["responses"]["405"]["content"]["application/json"]["schema"];
        check(&doc, schema, &body, path).unwrap();
        if path.starts_with("/v1/stats/") {
            let unexpected = format!("{path}?zz_unexpected=1");
            let (status, body) = app.get_json(&unexpected).await;
            assert_eq!(status, 400, "{unexpected}");
            assert!(op["responses"].get("400").is_some(), "{path} documents 400");
            let schema = &op["responses"]["400"]["content"]["application/json"]["schema"];
            check(&doc, schema, &body, &unexpected).unwrap();
        }
        // Each documented bound is enforced with a documented 400.
        for param in op["parameters"].as_array().into_iter().flatten() {
            if let Some(max) = param["schema"]["maximum"].as_i64() {
                let too_big = format!("{path}?{}={}", param["name"].as_str().unwrap(), max + 1);
                let (status, body) = app.get_json(&too_big).await;
                assert_eq!(status, 400, "{too_big}");
                assert!(op["responses"].get("400").is_some(), "{path} documents 400");
                let schema = &op["responses"]["400"]["content"]["application/json"]["schema"];
                check(&doc, schema, &body, &too_big).unwrap();
            }
        }
    }

    let (_, catalogue) = app.get_json("/v1/stats").await;
    let names: Vec<&str> = catalogue["stats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    let shipped =
        stats_api::catalogue::check_text(stats_api::catalogue::DEFAULT_CATALOGUE).unwrap();
    let shipped: Vec<&str> = shipped.stats.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, shipped, "the catalogue in file order");
    let documented: Vec<&str> = paths
        .keys()
        .filter_map(|p| p.strip_prefix("/v1/stats/"))
        .filter(|p| !p.ends_with(".png"))
        .collect();
    // A chart for each series and ranked stat, none for figures.
    let charts: Vec<&str> = paths
        .keys()
        .filter_map(|p| p.strip_prefix("/v1/stats/")?.strip_suffix(".png"))
        .collect();
    assert_eq!(charts, ["mentors", "signups"]);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        documented, sorted,
        "one documented operation per stat, no more"
    );
}

const DATES: &str = r#"
[[stats]]
name = "days"
title = "Days"
description = "Dates with and without declared bounds"
display = "figures"
sql = "SELECT CAST(:free AS DATE) AS free, CAST(:bounded AS DATE) AS bounded, CAST(:low AS DATE) AS low"
[[stats.params]]
name = "free"
type = "date"
default = "2024-01-01"
[[stats.params]]
name = "bounded"
type = "date"
default = "2024-01-01"
min = "2020-02-29"
max = "2031-10-09"
[[stats.params]]
name = "low"
type = "date"
default = "2024-01-01"
max = "2024-12-31"
"#;

/// A schema-driven client reads date bounds from the parameter's `pattern` (with
/// no `format: date`, which would refuse `2024-1-5`): the pattern takes exactly the dates the
/// service takes, month and day padded or not.
#[tokio::test]
async fn date_bounds_are_published_as_a_pattern_the_service_agrees_with() {
    let file = catalogue_file(DATES);
    let app = spawn_app_with(TestDatabase::new().await, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s
    })
    .await;
    let doc: Value = client()
        .get(format!("{}/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let params = doc["paths"]["/v1/stats/days"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let expected = [
        ("free", "1000-01-01", "9999-12-31"),
        ("bounded", "2020-02-29", "2031-10-09"),
        ("low", "1000-01-01", "2024-12-31"),
    ];
    for (name, min, max) in expected {
        let param = params.iter().find(|p| p["name"] == name).unwrap();
        let schema = &param["schema"];
        assert_eq!(schema["type"], "string", "{name}");
        assert!(
            schema.get("format").is_none(),
            "{name}: `format: date` refuses 2024-1-5"
        );
        assert!(
            schema.get("formatMinimum").is_none() && schema.get("formatMaximum").is_none(),
            "{name}: keywords no tool reads"
        );
        let description = param["description"].as_str().unwrap();
        assert!(
            description.contains(&format!("from {min} to {max}")),
            "{name}: {description}"
        );
        let pattern = regex::Regex::new(schema["pattern"].as_str().unwrap()).unwrap();
        let (lo, hi) = (date(min), date(max));
        let inside = [lo, hi, lo + Days::new(1), hi - Days::new(1)];
        let outside = [lo - Days::new(1), hi + Days::new(1)];
        for d in inside {
            for text in [
                d.format("%Y-%m-%d").to_string(),
                d.format("%Y-%-m-%-d").to_string(),
            ] {
                assert!(pattern.is_match(&text), "{name}: pattern refuses {text}");
                let (status, body) = app.get_json(&format!("/v1/stats/days?{name}={text}")).await;
                assert_eq!(status, 200, "{name}={text}: {body}");
            }
        }
        for d in outside {
            let text = d.format("%Y-%m-%d").to_string();
            assert!(!pattern.is_match(&text), "{name}: pattern takes {text}");
            let (status, body) = app.get_json(&format!("/v1/stats/days?{name}={text}")).await;
            assert_eq!(status, 400, "{name}={text}: {body}");
        }
        for odd in [
            "0999-12-31",
            "10000-01-01",
            "+2024-01-01",
            "-2024-01-01",
            "24-1-5",
            "2024-02-30",
            "x2024-01-01",
            "2024-01-01x",
        ] {
            assert!(!pattern.is_match(odd), "{name}: pattern takes {odd}");
        }
    }
}

/// Issue 23: schemathesis found the document and the service disagreeing. Each now agrees:
/// a blank `q` is schema-invalid and refused; junk `expires` on a `.png` with a token is
/// schema-invalid and refused; a `.png` without rows is a documented 422.
#[tokio::test]
async fn what_the_schema_refuses_the_service_refuses() {
    let app = spawn_app().await;
    let response = client()
        .get(format!("{}/openapi.json", app.address))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    let doc: Value = response.json().await.unwrap();
    let q = &doc["paths"]["/v1/ask"]["get"]["parameters"][0]["schema"];
    let pattern = regex::Regex::new(q["pattern"].as_str().unwrap()).unwrap();
    for blank in [" ", "\t\n", "\u{a0}\u{3000}", "\u{2028}\u{85} \u{b}"] {
        assert!(!pattern.is_match(blank), "{blank:?}");
        let (status, body) = app
            .get_json(&format!(
                "/v1/ask?q={}",
                blank
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect::<String>()
            ))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("bad_question"))
        );
    }
    for asked in ["members", " x ", "\u{feff}", "\u{1c}"] {
        assert!(pattern.is_match(asked), "{asked:?}");
    }
    // Over 300 characters counts the spaces around the words, as `maxLength` does.
    let padded = format!("   {}", "m".repeat(298));
    let (status, _) = app
        .get_json(&format!("/v1/ask?q={}", padded.replace(' ', "+")))
        .await;
    assert_eq!(status, 400);

    let png = &doc["paths"]["/v1/stats/signups.png"]["get"];
    let expires = png["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "expires")
        .unwrap();
    assert_eq!(expires["schema"]["type"], "integer");
    for (query, parameter) in [
        ("expires=null&expires=null", "expires"),
        ("expires=null", "expires"),
        ("expires=1&expires=2", "expires"),
        ("width=400&width=500", "width"),
        ("sig=a&sig=b", "sig"),
    ] {
        let (status, body) = app
            .get_json(&format!("/v1/stats/signups.png?{query}"))
            .await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["parameter"], parameter, "{query}");
    }
    // With a token a link's own pairs are not needed; `sig` (a credential) is not read.
    for query in ["expires=1&sig=0000", "sig=", "expires=18446744073709551615"] {
        let response = app.get(&format!("/v1/stats/signups.png?{query}")).await;
        assert_eq!(response.status(), 200, "{query}");
    }
    let described = png["responses"]["422"]["description"].as_str().unwrap();
    assert!(
        described.contains("not_chartable") && described.contains("no rows"),
        "{described}"
    );
}

//! `/openapi.json` and the service hold together: every documented operation answers as
//! documented, and every stat in the catalogue is documented.

use serde_json::Value;

use crate::helpers::{client, spawn_app};

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
        let response = app.get(path).await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{path}: {body}");
        let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
        check(&doc, schema, &body, path).unwrap_or_else(|e| panic!("{e}\n{body}"));

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
    assert_eq!(names, ["members", "signups", "mentors"]);
    let documented: Vec<&str> = paths
        .keys()
        .filter_map(|p| p.strip_prefix("/v1/stats/"))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        documented, sorted,
        "one documented operation per stat, no more"
    );
}

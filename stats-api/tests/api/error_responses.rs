//! Every error is the documented JSON with a documented code: bad paths, wrong methods, bodies,
//! and requests too long for the service.

use reqwest::Method;
use stats_contract::{ErrorBody, ErrorCode};

use crate::helpers::{TOKEN, client, spawn_app};

/// Reads an error answer, failing unless it is JSON with a code this crate knows.
async fn error_of(response: reqwest::Response) -> (u16, ErrorCode, reqwest::header::HeaderMap) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    assert_eq!(
        headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string()),
        Some("application/json".to_string()),
        "{status}: {text}"
    );
    let body: ErrorBody = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(
        !matches!(body.error.code, ErrorCode::Other(_)),
        "undocumented code in {text}"
    );
    assert!(!body.error.message.is_empty(), "{text}");
    (status, body.error.code, headers)
}

#[tokio::test]
async fn paths_that_are_not_utf_8_are_unknown_stats() {
    let app = spawn_app().await;
    for path in ["/v1/stats/%ff", "/v1/stats/%C3%28", "/v1/stats/members%ff"] {
        let (status, code, _) = error_of(app.get(path).await).await;
        assert_eq!((status, code), (404, ErrorCode::UnknownStat), "{path}");
    }
    let (status, code, _) = error_of(app.get("/%ff").await).await;
    assert_eq!((status, code), (404, ErrorCode::NotFound));
}

#[tokio::test]
async fn other_methods_are_405_json_with_allow() {
    let app = spawn_app().await;
    let http = client();
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        for path in [
            "/v1/stats/members",
            "/v1/stats",
            "/healthz",
            "/openapi.json",
        ] {
            let response = http
                .request(
                    Method::from_bytes(method.as_bytes()).unwrap(),
                    format!("{}{path}", app.address),
                )
                .bearer_auth(TOKEN)
                .send()
                .await
                .unwrap();
            let (status, code, headers) = error_of(response).await;
            assert_eq!(
                (status, code),
                (405, ErrorCode::MethodNotAllowed),
                "{method} {path}"
            );
            let allow = headers["allow"].to_str().unwrap();
            assert!(allow.contains("GET"), "{method} {path}: {allow}");
        }
    }
}

/// The method is what is wrong with a POST, whatever its body: 405 with `Allow`, never 413,
/// for a body of 27 bytes or of 64 KiB, sized or chunked.
#[tokio::test]
async fn a_body_on_another_method_is_405_not_413() {
    let app = spawn_app().await;
    let http = client();
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let bodies = [
            reqwest::Body::from(r#"{"name":"members","x":1234}"#),
            reqwest::Body::from(vec![b'x'; 64 * 1024]),
        ];
        for (i, body) in bodies.into_iter().enumerate() {
            let response = http
                .request(method.clone(), format!("{}/v1/stats/members", app.address))
                .bearer_auth(TOKEN)
                .body(body)
                .send()
                .await
                .unwrap();
            let (status, code, headers) = error_of(response).await;
            assert_eq!(
                (status, code),
                (405, ErrorCode::MethodNotAllowed),
                "{method} body {i}"
            );
            assert!(headers["allow"].to_str().unwrap().contains("GET"));
        }
        let (status, answer) = chunked(&app.address, method.as_str(), b"months=3").await;
        assert_eq!(status, 405, "{method} chunked: {answer}");
        assert!(
            answer.contains(r#""code":"method_not_allowed""#),
            "{answer}"
        );
        assert!(
            answer.to_ascii_lowercase().contains("\r\nallow: get"),
            "{answer}"
        );
    }
}

/// A GET with a small body (sized or chunked) is answered as if it had none; a large one is 413.
#[tokio::test]
async fn a_get_with_a_small_body_is_answered_and_a_large_one_is_413() {
    let app = spawn_app().await;
    let http = client();
    let get = |body: reqwest::Body| {
        http.get(format!("{}/v1/stats/members", app.address))
            .bearer_auth(TOKEN)
            .body(body)
            .send()
    };
    for (what, body) in [
        ("sized", reqwest::Body::from(vec![b'x'; 10])),
        ("empty", reqwest::Body::from("")),
    ] {
        let response = get(body).await.unwrap();
        assert_eq!(response.status(), 200, "{what}");
        let answer: serde_json::Value = response.json().await.unwrap();
        assert_eq!(answer["name"], "members", "{what}");
    }
    let (status, answer) = chunked(&app.address, "GET", b"hello").await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains(r#""name":"members""#), "{answer}");

    let body = reqwest::Body::from(vec![b'x'; 64 * 1024]);
    let (status, code, _) = error_of(get(body).await.unwrap()).await;
    assert_eq!((status, code), (413, ErrorCode::PayloadTooLarge));
    let (status, answer) = chunked(&app.address, "GET", &[b'x'; 64 * 1024]).await;
    assert_eq!(status, 413, "{answer}");
    assert!(answer.contains(r#""code":"payload_too_large""#), "{answer}");
}

/// Sends `method /v1/stats/members` with `body` chunked (no `Content-Length`) over a plain
/// connection; the status and the whole answer as text.
async fn chunked(address: &str, method: &str, body: &[u8]) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let mut request = format!(
        "{method} /v1/stats/members HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    .into_bytes();
    for chunk in body.chunks(4096) {
        request.extend(format!("{:x}\r\n", chunk.len()).bytes());
        request.extend(chunk);
        request.extend(b"\r\n");
    }
    request.extend(b"0\r\n\r\n");
    // The server may answer and close before it has read everything: that is its right.
    let _ = stream.write_all(&request).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"));
    (status, answer)
}

#[tokio::test]
async fn long_uris_are_414_and_large_headers_431() {
    let app = spawn_app().await;
    let http = client();
    let long = "a".repeat(20 * 1024);
    for path in [
        format!("/v1/stats/members?x={long}"),
        format!("/healthz?x={long}"),
        format!("/{long}"),
    ] {
        let (status, code, _) = error_of(app.get(&path).await).await;
        assert_eq!(
            (status, code),
            (414, ErrorCode::UriTooLong),
            "{}",
            &path[..20]
        );
    }
    // Just under the limit the request is read, and answered on its merits.
    let near = format!("/v1/stats/members?x={}", "a".repeat(8_000));
    let (status, code, _) = error_of(app.get(&near).await).await;
    assert_eq!((status, code), (400, ErrorCode::BadParameter));

    let response = http
        .get(format!("{}/v1/stats/members", app.address))
        .bearer_auth(TOKEN)
        .header("x-filler", "b".repeat(20 * 1024))
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!((status, code), (431, ErrorCode::HeadersTooLarge));
    let response = http
        .get(format!("{}/healthz", app.address))
        .header("x-filler", "b".repeat(8 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "8 KiB of headers is fine");

    // Many small headers: past hyper's default of 100, answered by the service, not hyper.
    let mut many = http.get(format!("{}/healthz", app.address));
    for i in 0..150 {
        many = many.header(format!("x-h{i}"), "1");
    }
    let (status, code, _) = error_of(many.send().await.unwrap()).await;
    assert_eq!((status, code), (431, ErrorCode::HeadersTooLarge));
}

//! The last line of defence: a handler that panics answers 500 with the API's usual error
//! (`{"error":{"code":"internal",…}}`) and the panic is logged (escaped, like every log line),
//! instead of the connection dropping. It works where panics unwind (the local server, the
//! workspace's release profile). On Lambda, cargo lambda builds with `panic = "abort"`: a panic
//! ends the instance whatever this layer does, which is why the asking path is fuzzed (README
//! "Fuzzing"), so that no request can panic at all.

use std::any::Any;

use axum::Router;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::Error;

/// `router` with every route behind the panic boundary.
pub fn around(router: Router) -> Router {
    router.layer(CatchPanicLayer::custom(answer as fn(_) -> _))
}

fn answer(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    // Logged as "request failed" with code `internal`; the client sees no detail.
    Error::Internal(format!("a handler panicked: {message}")).into_response()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    use tracing_subscriber::prelude::*;

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_panicking_handler_answers_500_internal_and_is_logged_escaped() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::registry().with(service_kit::telemetry::text_layer(
            move || writer.clone(),
            false,
        ));
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = around(Router::new().route(
            "/v1/ask",
            get(|| async {
                let q = "qqq\u{202e}\nINFO forged";
                panic!("read {q}");
                #[allow(unreachable_code)]
                "never"
            }),
        ));
        for _ in 0..2 {
            let response = app
                .clone()
                .oneshot(Request::get("/v1/ask").body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(response.status(), 500);
            let body = response.into_body().collect().await.unwrap().to_bytes();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["error"]["code"], "internal", "{body}");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(
                !message.contains("qqq"),
                "internals stay in the log: {message}"
            );
        }
        let logged = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert_eq!(logged.lines().count(), 2, "{logged}");
        assert!(
            logged.contains("a handler panicked: read qqq\\u{202e}\\nINFO forged"),
            "{logged}"
        );
    }
}

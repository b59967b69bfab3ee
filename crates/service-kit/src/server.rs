//! The local HTTP server of both services: an axum `Router` on hyper's HTTP/1, with the limits
//! `axum::serve` does not set. A client that has not sent its request headers within
//! [`Limits::header_read_timeout`] — on a new connection, or on a kept-alive one after the last
//! response — is disconnected, so slow or idle clients cannot pile up and exhaust file
//! descriptors. On Lambda none of this runs: the Function URL is the server.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From the connection's start, or the end of the previous response, to the end of the
    /// next request's headers.
    pub header_read_timeout: Duration,
    /// hyper's read buffer: the most a request line and headers may take before hyper refuses
    /// them itself (without a body the app could write). Larger than any limit the app checks,
    /// so the app answers oversized requests in its own documented way.
    pub max_buf_size: usize,
    /// Header lines hyper accepts before refusing the request itself, for the same reason.
    pub max_headers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(5),
            max_buf_size: 1024 * 1024,
            max_headers: 1000,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_buf_size)
        .max_headers(limits.max_headers);
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before accept: wait a
                    // moment rather than spin, and keep serving.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = builder.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(router.clone()),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Timeouts and clients that go away end here; nothing to report.
            let _ = connection.await;
        });
    }
    graceful.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use std::time::Instant;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    async fn start(limits: Limits) -> std::net::SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Router::new().route("/", get(|| async { "ok" }));
        tokio::spawn(serve(listener, router, limits, std::future::pending()));
        addr
    }

    fn quick() -> Limits {
        Limits {
            header_read_timeout: Duration::from_millis(500),
            ..Limits::default()
        }
    }

    /// Reads until the server closes the connection; how long that took.
    async fn until_closed(stream: &mut TcpStream) -> Duration {
        let started = Instant::now();
        let mut buf = [0u8; 1024];
        while stream.read(&mut buf).await.unwrap_or(0) > 0 {}
        started.elapsed()
    }

    #[tokio::test]
    async fn a_client_that_dribbles_its_headers_is_cut_off() {
        let addr = start(quick()).await;
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let dribble = async {
            for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".iter().cycle() {
                if stream.write_all(&[*byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        let cut = tokio::time::timeout(Duration::from_secs(5), dribble).await;
        assert!(cut.is_ok(), "still connected after 5 s of dribbling");
    }

    #[tokio::test]
    async fn idle_kept_alive_connections_are_closed() {
        let addr = start(quick()).await;
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let waited = tokio::time::timeout(Duration::from_secs(5), until_closed(&mut stream))
            .await
            .expect("an idle keep-alive connection stayed open");
        assert!(waited >= Duration::from_millis(400), "{waited:?}");
    }

    #[tokio::test]
    async fn a_silent_connection_is_closed() {
        let addr = start(quick()).await;
        let mut stream = TcpStream::connect(addr).await.unwrap();
        tokio::time::timeout(Duration::from_secs(5), until_closed(&mut stream))
            .await
            .expect("a connection that sent nothing stayed open");
    }
}

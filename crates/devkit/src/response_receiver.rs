//! A stand-in for Slack's end of a `response_url`, on 127.0.0.1: it records what the bot posts
//! there. Used by the tests and by `statsbot slash`; never by the service itself. Point the bot
//! at it with `SLACK_ALLOW_RESPONSE_URL=http://127.0.0.1:`.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::Value;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// One post the receiver got.
#[derive(Debug, Clone)]
pub struct Post {
    pub at: Instant,
    /// What the receiver answered.
    pub status: u16,
    /// The body as JSON (a string value when it was not JSON).
    pub body: Value,
}

struct Shared {
    /// Statuses to answer, first post first; 200 once they run out.
    script: Mutex<VecDeque<u16>>,
    posts: Mutex<Vec<Post>>,
    /// How many posts have arrived, for waiting.
    count: watch::Sender<usize>,
}

/// A running receiver. Stops when dropped.
pub struct ResponseReceiver {
    addr: SocketAddr,
    shared: Arc<Shared>,
    count: watch::Receiver<usize>,
    task: JoinHandle<()>,
}

impl ResponseReceiver {
    /// A receiver that answers every post with 200.
    pub async fn start() -> std::io::Result<Self> {
        Self::answering(&[]).await
    }

    /// A receiver that answers its first posts with `statuses` (e.g. `[500, 500]`), then 200.
    pub async fn answering(statuses: &[u16]) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (sender, count) = watch::channel(0);
        let shared = Arc::new(Shared {
            script: Mutex::new(statuses.iter().copied().collect()),
            posts: Mutex::default(),
            count: sender,
        });
        let app = Router::new()
            .route("/response", post(receive))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "response_url receiver stopped");
            }
        });
        Ok(ResponseReceiver {
            addr,
            shared,
            count,
            task,
        })
    }

    /// The URL to send as `response_url`.
    pub fn url(&self) -> String {
        format!("http://{}/response", self.addr)
    }

    /// Every post so far, answered or not.
    pub fn posts(&self) -> Vec<Post> {
        self.shared.posts.lock().expect("lock poisoned").clone()
    }

    /// The posts it answered with a 2xx: what Slack would have shown.
    pub fn delivered(&self) -> Vec<Post> {
        let posts = self.posts();
        posts
            .into_iter()
            .filter(|p| (200..300).contains(&p.status))
            .collect()
    }

    /// Waits up to `timeout` for the first post answered with a 2xx.
    pub async fn first_delivery(&self, timeout: Duration) -> Option<Post> {
        let mut count = self.count.clone();
        let waited = tokio::time::timeout(timeout, async {
            loop {
                if let Some(post) = self.delivered().into_iter().next() {
                    return Some(post);
                }
                count.changed().await.ok()?;
            }
        })
        .await;
        waited.ok().flatten()
    }
}

impl Drop for ResponseReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receive(State(shared): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    let status = shared
        .script
        .lock()
        .expect("lock poisoned")
        .pop_front()
        .unwrap_or(200);
    let body = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    let count = {
        let mut posts = shared.posts.lock().expect("lock poisoned");
        posts.push(Post {
            at: Instant::now(),
            status,
            body,
        });
        posts.len()
    };
    shared.count.send_replace(count);
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

//! Slow queries are stopped on the server; a database outage is a 503 that heals by itself.

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sqlx::mysql::MySqlConnectOptions;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::helpers::{TestDatabase, catalogue_file, server_url, spawn_app_with, with_database};

const CATALOGUE: &str = r#"
[[stats]]
name = "count"
title = "Count"
description = "Everyone, never cached"
display = "figures"
sql = "SELECT COUNT(*) AS total FROM users"

[[stats]]
name = "slow"
title = "Slow"
description = "Sleeps on the server"
display = "figures"
sql = "SELECT SLEEP(:seconds) AS slept"
[[stats.params]]
name = "seconds"
type = "integer"
default = 20
min = 0
max = 60
"#;

#[tokio::test]
async fn a_slow_query_is_stopped_on_the_server_and_answers_504() {
    let file = catalogue_file(CATALOGUE);
    let app = spawn_app_with(TestDatabase::new().await, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s.query_timeout = Duration::from_millis(700);
        s
    })
    .await;
    let started = Instant::now();
    let (status, body) = app.get_json("/v1/stats/slow").await;
    assert_eq!(status, 504, "{body}");
    assert_eq!(body["error"]["code"], "query_timeout");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // Gone from the server, not just abandoned by the client.
    let running: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.processlist \
         WHERE db = ? AND info LIKE '%SLEEP(%' AND id <> CONNECTION_ID()",
    )
    .bind(&app.db.name)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(running, 0, "the slow query is still running on the server");

    // The connection is still good for the next question.
    let (status, _) = app.get_json("/v1/stats/slow?seconds=0").await;
    assert_eq!(status, 200);
}

/// A TCP proxy in front of the database that can cut every connection and refuse new ones.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
}

impl Proxy {
    async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let (cut, _) = watch::channel(0u64);
        let (up2, cut2) = (up.clone(), cut.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees the server vanish
                }
                let mut cut_rx = cut2.subscribe();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cut_rx.changed() => {}
                    }
                });
            }
        });
        Proxy { port, up, cut }
    }

    fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    fn up(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn the_database_going_down_is_a_503_and_coming_back_needs_no_restart() {
    let db = TestDatabase::new().await;
    let options = MySqlConnectOptions::from_str(&server_url()).unwrap();
    let target: SocketAddr = tokio::net::lookup_host((options.get_host(), options.get_port()))
        .await
        .unwrap()
        .next()
        .unwrap();
    let proxy = Proxy::start(target).await;
    let via_proxy = with_database(
        &server_url().replacen(
            &format!(":{}", options.get_port()),
            &format!(":{}", proxy.port),
            1,
        ),
        &db.name,
    );
    let file = catalogue_file(CATALOGUE);
    let app = spawn_app_with(db, |mut s| {
        s.catalogue_path = Some(file.0.clone());
        s.database_url = service_kit::Secret::new(via_proxy);
        s
    })
    .await;

    let (status, before) = app.get_json("/v1/stats/count").await;
    assert_eq!(status, 200, "{before}");

    proxy.down();
    let started = Instant::now();
    let (status, body) = app.get_json("/v1/stats/count").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "database_unavailable");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!(status, 503, "{body}");
    let text = body.to_string();
    assert!(
        !text.contains("127.0.0.1") && !text.contains("root"),
        "{text}"
    );

    proxy.up();
    let (status, after) = app.get_json("/v1/stats/count").await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["rows"], before["rows"]);
    let (status, _) = app.get_json("/readyz").await;
    assert_eq!(status, 200);
}

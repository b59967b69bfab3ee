//! `GET /v1/stats/{name}.png`: series and rankings drawn as PNG from the same rows as JSON,
//! and the signed, expiring links (`chart_url`) that open a chart without a token.

use std::collections::HashSet;

use service_kit::Secret;
use stats_api::chart::link::Links;

use crate::helpers::{TestApp, TestDatabase, catalogue_file, spawn_app_with};

/// What the JSON answer's links start with; the tests point it at the running app.
const PUBLIC: &str = "https://stats.example.org";
const BAR: [u8; 3] = [18, 100, 163];
/// The lighter fill under the hatching of a period still running.
const PARTIAL: [u8; 3] = [196, 219, 236];

const CATALOGUE: &str = r#"
[[stats]]
name = "monthly"
title = "Chart-test signups per month"
description = "For the chart tests"
display = "series"
cache_seconds = 60
sql = """
SELECT DATE_FORMAT(created_at, '%Y-%m') AS month, COUNT(*) AS signups
  FROM users
 WHERE email LIKE '%@chart.test' AND id > :after
 GROUP BY month
 ORDER BY month
"""
[[stats.params]]
name = "after"
type = "integer"
default = 0

[[stats]]
name = "letters"
title = "Names by letters"
description = "For the chart tests"
display = "ranked"
cache_seconds = 60
sql = """
SELECT name, CHAR_LENGTH(name) * 100 AS letters
  FROM users
 WHERE email LIKE '%@chart.test'
 ORDER BY letters DESC, id
"""

[[stats]]
name = "total"
title = "Total"
description = "For the chart tests"
display = "figures"
sql = "SELECT COUNT(*) AS total FROM users WHERE email LIKE '%@chart.test'"

[[stats]]
name = "emails"
title = "Emails"
description = "For the chart tests"
display = "ranked"
sql = "SELECT name, email FROM users WHERE email LIKE '%@chart.test' ORDER BY id"
"#;

const NAMES: [&str; 6] = [
    "Zoë Ångström",
    "😀 Party 🎉",
    "محمد الأحمد",
    "Юрий Гагарин",
    "<!channel>",
    "Bartholomew Montgomery-Smythe of the Very Long Name Society, Honorary Member Since 1997",
];

/// An app on its own database with six members over six months, chart links on (`ttl`).
async fn app(ttl: Option<u64>) -> TestApp {
    let db = TestDatabase::new().await;
    for (i, name) in NAMES.iter().enumerate() {
        sqlx::query(
            "INSERT INTO users (name, email, created_at, updated_at)
             VALUES (?, ?, '2026-01-15' + INTERVAL ? MONTH, NOW())",
        )
        .bind(name)
        .bind(format!("m{i}@chart.test"))
        .bind(i as i64)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    let file = catalogue_file(CATALOGUE);
    spawn_app_with(db, move |mut s| {
        s.catalogue_path = Some(file.0.clone());
        std::mem::forget(file); // the app re-reads it on SIGHUP only; keep it for the test
        s.chart_links = ttl.map(|ttl_seconds| Links {
            public_url: PUBLIC.into(),
            key: Secret::new("test-chart-key-0123456789abcdef0123456789"),
            ttl_seconds,
        });
        s
    })
    .await
}

struct Image {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

fn decode(bytes: &[u8]) -> Image {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let rgb = buf[..info.buffer_size()]
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    Image {
        width: info.width,
        height: info.height,
        rgb,
    }
}

impl Image {
    fn share_of(&self, colour: [u8; 3]) -> f64 {
        self.rgb.iter().filter(|p| **p == colour).count() as f64 / self.rgb.len() as f64
    }

    /// Pixels of `colour` in the band of rows `from..to` (fractions of the height).
    fn count_in_rows(&self, colour: [u8; 3], from: f64, to: f64) -> usize {
        let (a, b) = (
            (from * self.height as f64) as usize,
            (to * self.height as f64) as usize,
        );
        self.rgb[a * self.width as usize..b * self.width as usize]
            .iter()
            .filter(|p| **p == colour)
            .count()
    }

    fn colours(&self) -> usize {
        self.rgb.iter().collect::<HashSet<_>>().len()
    }
}

async fn png_of(app: &TestApp, path: &str) -> Vec<u8> {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(response.headers()["content-type"], "image/png", "{path}");
    response.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn a_series_is_drawn_at_the_default_size_with_ink_where_the_columns_are() {
    let app = app(None).await;
    let image = decode(&png_of(&app, "/v1/stats/monthly.png").await);
    assert_eq!((image.width, image.height), (800, 400));
    assert!(
        image.colours() > 10,
        "text is antialiased: {}",
        image.colours()
    );
    // Six columns of one member each fill the plot from the axis to the top tick.
    let bars = image.share_of(BAR);
    assert!((0.10..0.6).contains(&bars), "bar share {bars}");
    assert!(
        image.count_in_rows(BAR, 0.85, 0.9) > 300,
        "columns reach the axis"
    );
    // The title band is white and ink, no bars.
    assert_eq!(image.count_in_rows(BAR, 0.0, 0.08), 0);
    // January to June 2026 have all ended: no column is drawn as partial.
    assert_eq!(image.share_of(PARTIAL), 0.0);

    // The default written out is the same chart.
    let (_, rows) = app.get_json("/v1/stats/monthly").await;
    assert_eq!(rows["rows"].as_array().unwrap().len(), 6);
    let same = decode(&png_of(&app, "/v1/stats/monthly.png?after=0").await);
    assert_eq!(same.share_of(BAR), bars, "the same rows draw the same");
}

#[tokio::test]
async fn this_month_is_drawn_as_a_period_still_running() {
    let app = app(None).await;
    // Someone joined a minute ago: the newest column is this month, which has not ended.
    sqlx::query(
        "INSERT INTO users (name, email, created_at, updated_at)
         VALUES ('Newcomer', 'today@chart.test', UTC_TIMESTAMP() - INTERVAL 1 MINUTE, NOW())",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let (_, answer) = app.get_json("/v1/stats/monthly").await;
    let rows = answer["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 7, "{answer}");
    let this_month = chrono::Utc::now().format("%Y-%m").to_string();
    assert_eq!(rows[6]["month"], this_month.as_str());

    let bytes = png_of(&app, "/v1/stats/monthly.png").await;
    assert_eq!(bytes, png_of(&app, "/v1/stats/monthly.png").await);
    let image = decode(&bytes);
    assert_eq!((image.width, image.height), (800, 400));
    // The hatched column's light fill, in the right-hand seventh of the plot only.
    let partial = image.share_of(PARTIAL);
    assert!(partial > 0.002, "partial share {partial}");
    let right_seventh = image
        .rgb
        .iter()
        .enumerate()
        .filter(|(i, p)| **p == PARTIAL && i % image.width as usize > 680)
        .count();
    let all = (partial * image.rgb.len() as f64).round() as usize;
    assert_eq!(right_seventh, all, "only the newest column and its legend");
}

#[tokio::test]
async fn the_same_rows_give_the_same_bytes_and_a_ranking_draws_any_name() {
    let app = app(None).await;
    let first = png_of(&app, "/v1/stats/letters.png").await;
    let second = png_of(&app, "/v1/stats/letters.png").await;
    assert_eq!(first, second);
    let image = decode(&first);
    assert_eq!((image.width, image.height), (800, 400));
    // Six bars, the longest name's the longest: its row holds the most bar ink.
    assert!(image.share_of(BAR) > 0.05, "{}", image.share_of(BAR));
    let top_row = image.count_in_rows(BAR, 0.15, 0.25);
    let bottom_row = image.count_in_rows(BAR, 0.85, 0.95);
    assert!(top_row > 2 * bottom_row, "{top_row} vs {bottom_row}");
}

#[tokio::test]
async fn width_and_height_are_bounded_and_not_stat_parameters() {
    let app = app(None).await;
    let image = decode(&png_of(&app, "/v1/stats/letters.png?width=400&height=300").await);
    assert_eq!((image.width, image.height), (400, 300));
    let image = decode(&png_of(&app, "/v1/stats/monthly.png?after=2&width=2000").await);
    assert_eq!((image.width, image.height), (2000, 400));
    for (query, parameter) in [
        ("width=319", "width"),
        ("width=2001", "width"),
        ("width=wide", "width"),
        ("width=", "width"),
        ("height=1201", "height"),
        ("height=-1", "height"),
    ] {
        let (status, body) = app
            .get_json(&format!("/v1/stats/letters.png?{query}"))
            .await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"]["code"], "bad_parameter", "{query}");
        assert_eq!(body["error"]["parameter"], parameter, "{query}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("pixels"),
            "{body}"
        );
    }
    // JSON has no size: there `width` is an unknown parameter like any other.
    let (status, body) = app.get_json("/v1/stats/letters?width=400").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("bad_parameter"))
    );
}

#[tokio::test]
async fn figures_and_rows_without_numbers_are_not_chartable() {
    let app = app(None).await;
    for (path, says) in [
        ("/v1/stats/total.png", "series and ranked"),
        ("/v1/stats/emails.png", "not a number"),
        ("/v1/stats/monthly.png?after=999999", "no rows"),
    ] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, 422, "{path}: {body}");
        assert_eq!(body["error"]["code"], "not_chartable", "{path}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(says),
            "{path}: {body}"
        );
    }
    let (status, body) = app.get_json("/v1/stats/nope.png").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("unknown_stat"))
    );
}

/// The JSON answer's chart link, pointed at the running app.
async fn chart_url(app: &TestApp, path: &str) -> String {
    let (status, body) = app.get_json(path).await;
    assert_eq!(status, 200, "{body}");
    let url = body["chart_url"].as_str().expect("a chart_url").to_string();
    assert!(url.starts_with(&format!("{PUBLIC}/v1/stats/")), "{url}");
    url.replace(PUBLIC, &app.address)
}

async fn without_token(app: &TestApp, url: &str) -> reqwest::Response {
    app.client.get(url).send().await.unwrap()
}

async fn refused(app: &TestApp, url: &str) -> (u16, String) {
    let response = without_token(app, url).await;
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "{url}"
    );
    let body: serde_json::Value = response.json().await.unwrap();
    (status, body["error"]["code"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn a_signed_link_opens_its_chart_without_a_token_and_nothing_else() {
    let app = app(Some(3600)).await;
    let url = chart_url(&app, "/v1/stats/monthly?after=1").await;
    assert!(
        url.contains("after=1") && url.contains("expires=") && url.contains("&sig="),
        "{url}"
    );
    let response = without_token(&app, &url).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let bytes = response.bytes().await.unwrap();
    assert_eq!(bytes, png_of(&app, "/v1/stats/monthly.png?after=1").await);

    // Defaults are written into the link, so it always means the same rows.
    let default = chart_url(&app, "/v1/stats/letters").await;
    assert!(
        default.contains("/v1/stats/letters.png?expires="),
        "{default}"
    );
    assert_eq!(without_token(&app, &default).await.status(), 200);

    let bad = (403, "bad_signature".to_string());
    let sig = url.split("sig=").nth(1).unwrap();
    for tampered in [
        url.replace("after=1", "after=2"),
        url.replace("after=1&", ""),
        format!("{url}&width=900"),
        url.replace("monthly.png", "letters.png"),
        url.replace("monthly.png", "monthly"),
        url.replace("monthly.png", "monthly.csv"),
        url.replace(
            &format!("sig={sig}"),
            &format!("sig={}", &sig[..sig.len() - 1]),
        ),
        // The last digit changed (to another digit: a sig ending in 0 gets a 1).
        url.replace(
            &format!("sig={sig}"),
            &format!(
                "sig={}{}",
                &sig[..sig.len() - 1],
                if sig.ends_with('0') { '1' } else { '0' }
            ),
        ),
        url.replace("expires=", "expires=9"),
        format!(
            "{}/v1/stats?{}",
            app.address,
            url.split_once('?').unwrap().1
        ),
    ] {
        assert_eq!(refused(&app, &tampered).await, bad, "{tampered}");
    }
    // No token and no signature is still a 401.
    let plain = url.split_once('?').unwrap().0.to_string();
    assert_eq!(refused(&app, &plain).await, (401, "unauthorized".into()));

    // A figures stat has no chart, so no link.
    let (_, body) = app.get_json("/v1/stats/total").await;
    assert!(body.get("chart_url").is_none(), "{body}");
}

#[tokio::test]
async fn a_link_expires_and_without_a_public_url_there_are_none() {
    let app = app(Some(1)).await;
    let url = chart_url(&app, "/v1/stats/letters").await;
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    assert_eq!(refused(&app, &url).await, (403, "link_expired".into()));

    let no_links = self::app(None).await;
    let (_, body) = no_links.get_json("/v1/stats/letters").await;
    assert!(body.get("chart_url").is_none(), "{body}");
    // A link made elsewhere opens nothing here.
    let moved = url.replace(&app.address, &no_links.address);
    assert_eq!(
        refused(&no_links, &moved).await,
        (403, "bad_signature".into())
    );
}

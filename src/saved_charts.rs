//! `statsbot slash … --save-charts DIR`: the chart links in an answer's image blocks, fetched
//! as Slack's image proxy would (no token: the link is signed) and written to DIR.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};

/// Every image block's `image_url` in `message`, in order.
pub fn image_urls(message: &Value) -> Vec<String> {
    message["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["type"] == "image")
        .filter_map(|b| b["image_url"].as_str().map(String::from))
        .collect()
}

/// The file a link is saved as: `signups.png`, `signups-2.png` for a second one.
pub fn file_name(url: &str, taken: &[PathBuf]) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let stem = path
        .rsplit('/')
        .next()
        .and_then(|last| last.strip_suffix(".png"))
        .filter(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .unwrap_or("chart");
    let mut name = format!("{stem}.png");
    let mut n = 1;
    while taken.iter().any(|p| p.file_name() == Some(name.as_ref())) {
        n += 1;
        name = format!("{stem}-{n}.png");
    }
    name
}

/// Fetches each link without a token and writes it under `dir`; returns the files written.
pub async fn save(urls: &[String], dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let client = reqwest::Client::new();
    let mut written = Vec::new();
    for url in urls {
        let response = client.get(url).send().await.map_err(|e| Error::Chart {
            url: url.clone(),
            why: format!("cannot fetch it: {e}"),
        })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| Error::Chart {
            url: url.clone(),
            why: format!("cannot read it: {e}"),
        })?;
        if !status.is_success() || !bytes.starts_with(b"\x89PNG") {
            return Err(Error::Chart {
                url: url.clone(),
                why: format!(
                    "answered HTTP {status}: {}",
                    String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
                ),
            });
        }
        let path = dir.join(file_name(url, &written));
        std::fs::write(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn image_blocks_give_their_links_and_files_their_names() {
        let message = json!({ "blocks": [
            { "type": "section", "text": { "type": "mrkdwn", "text": "x" } },
            { "type": "image", "image_url": "http://127.0.0.1:8081/v1/stats/signups.png?months=12&expires=1&sig=ab", "alt_text": "x" },
            { "type": "image", "image_url": "http://127.0.0.1:8081/v1/stats/signups.png?months=6&sig=cd", "alt_text": "y" }
        ]});
        let urls = image_urls(&message);
        assert_eq!(urls.len(), 2);
        let first = file_name(&urls[0], &[]);
        assert_eq!(first, "signups.png");
        assert_eq!(
            file_name(&urls[1], &[PathBuf::from("/tmp/c/signups.png")]),
            "signups-2.png"
        );
        assert_eq!(file_name("http://x/v1/stats/../../etc.png", &[]), "etc.png");
        assert_eq!(file_name("http://x/%2e%2e.png", &[]), "chart.png");
        assert!(image_urls(&json!({ "text": "plain" })).is_empty());
    }
}

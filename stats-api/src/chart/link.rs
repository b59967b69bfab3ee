//! Signed, expiring chart links. Slack's image proxy fetches an image block's URL without any
//! token, so the JSON answer of a chartable stat carries `chart_url`:
//! `{public}/v1/stats/{name}.png?{params}&expires={unix}&sig={hex}`, where `sig` is
//! HMAC-SHA256 under `STATS_API_CHART_KEY` over `{name}.png` and every other query pair in one
//! canonical order. Changing, adding or removing any pair, or the stat, breaks the signature;
//! the path must end in `.png`, so a link never opens JSON, CSV or another stat.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use service_kit::{Env, Secret};

use crate::error::{Error, Result};

type HmacSha256 = Hmac<Sha256>;

/// How long a link opens its chart by default: a week. Slack's proxy fetches the image within
/// seconds of the post and keeps its own copy for a while, but people scroll back to last
/// week's digest; a week covers that, and bounds what a leaked link shows (one chart,
/// refreshed at most as often as the stat's cache allows) to a week.
pub const DEFAULT_TTL_SECONDS: u64 = 7 * 24 * 60 * 60;
/// The longest a link may live: 30 days. A link is a bearer credential for one chart; one that
/// never expires (`18446744073709551615`) cannot be taken back but by changing the key.
pub const MAX_TTL_SECONDS: u64 = 30 * 24 * 60 * 60;
/// A key shorter than this is refused: a guessable key signs anything.
pub const MIN_KEY_LEN: usize = 32;

/// Why a link is refused (both answer 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    BadSignature,
    Expired,
}

/// How links are made: where the API is reachable, the key, and how long a link lives.
#[derive(Debug, Clone)]
pub struct Links {
    /// No trailing slash.
    pub public_url: String,
    pub key: Secret,
    pub ttl_seconds: u64,
}

impl Links {
    /// `STATS_API_PUBLIC_URL`, `STATS_API_CHART_KEY`, `STATS_API_CHART_TTL`: no links without
    /// a public URL; with one, the key is required.
    pub fn from_vars<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> Result<Option<Links>> {
        let Some(public_url) = env.optional("STATS_API_PUBLIC_URL") else {
            return Ok(None);
        };
        let public_url = public_url.trim_end_matches('/').to_string();
        if !(public_url.starts_with("https://") || public_url.starts_with("http://"))
            || public_url.contains(['?', '#', ' '])
        {
            return Err(Error::Config(
                "STATS_API_PUBLIC_URL must be the service's base URL, http:// or https://, \
                 without a query"
                    .into(),
            ));
        }
        let key = env.optional("STATS_API_CHART_KEY").ok_or_else(|| {
            Error::Config(
                "STATS_API_PUBLIC_URL is set but STATS_API_CHART_KEY is not: chart links \
                 need a secret key to sign them (e.g. 64 random hex characters)"
                    .into(),
            )
        })?;
        if key.len() < MIN_KEY_LEN {
            return Err(Error::Config(format!(
                "STATS_API_CHART_KEY must be at least {MIN_KEY_LEN} characters"
            )));
        }
        let ttl_seconds = env.number("STATS_API_CHART_TTL", DEFAULT_TTL_SECONDS)?;
        if ttl_seconds == 0 {
            return Err(Error::Config(
                "STATS_API_CHART_TTL is 0: a link must live at least 1 second".into(),
            ));
        }
        if ttl_seconds > MAX_TTL_SECONDS {
            return Err(Error::Config(format!(
                "STATS_API_CHART_TTL is {ttl_seconds} seconds: a link may live at most \
                 {MAX_TTL_SECONDS} (30 days)"
            )));
        }
        Ok(Some(Links {
            public_url,
            key: Secret::new(key),
            ttl_seconds,
        }))
    }

    /// The link to `name`'s chart with these query pairs (stat parameters, and `width`/`height`
    /// if any), valid until `now + ttl`.
    pub fn url(&self, name: &str, pairs: &[(String, String)], now: u64) -> String {
        let mut pairs = pairs.to_vec();
        pairs.push((
            "expires".into(),
            now.saturating_add(self.ttl_seconds).to_string(),
        ));
        let query = canonical(&mut pairs);
        let sig = hex::encode(mac(&self.key, name, &query).finalize().into_bytes());
        format!("{}/v1/stats/{name}.png?{query}&sig={sig}", self.public_url)
    }
}

/// Checks a request that carries `sig`: `path` must be `/v1/stats/{name}.png`, the signature
/// must match every other pair of `query` (in constant time), and `expires` must be in the
/// future.
pub fn check(key: &Secret, path: &str, query: &str, now: u64) -> Result<(), Refusal> {
    let name = path
        .strip_prefix("/v1/stats/")
        .and_then(|rest| rest.strip_suffix(".png"))
        .filter(|name| !name.is_empty() && !name.contains('/'))
        .ok_or(Refusal::BadSignature)?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|_| Refusal::BadSignature)?;
    let (sigs, mut rest): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(k, _)| k == "sig");
    let [(_, sig)] = sigs.as_slice() else {
        return Err(Refusal::BadSignature);
    };
    let tag = hex::decode(sig).map_err(|_| Refusal::BadSignature)?;
    let query = canonical(&mut rest);
    mac(key, name, &query)
        .verify_slice(&tag)
        .map_err(|_| Refusal::BadSignature)?;
    // Signed, so `expires` is the one the service wrote.
    let expires = rest
        .iter()
        .find(|(k, _)| k == "expires")
        .and_then(|(_, v)| v.parse::<u64>().ok())
        .ok_or(Refusal::BadSignature)?;
    if now >= expires {
        return Err(Refusal::Expired);
    }
    Ok(())
}

/// The query pairs sorted (by name, then value) and form-encoded: the signed text.
fn canonical(pairs: &mut [(String, String)]) -> String {
    pairs.sort();
    serde_urlencoded::to_string(&*pairs).expect("string pairs encode")
}

fn mac(key: &Secret, name: &str, query: &str) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(key.expose().as_bytes()).expect("HMAC takes keys of any length");
    // The newline keeps `a.png` + `b=1` apart from any other split of the same bytes: a
    // name never holds one, and the query is form-encoded.
    mac.update(name.as_bytes());
    mac.update(b".png\n");
    mac.update(query.as_bytes());
    mac
}

/// The pairs of a link's query that are the stat's own parameters (not `width`, `height`,
/// `expires` or `sig`).
pub fn is_link_pair(name: &str) -> bool {
    matches!(name, "width" | "height" | "expires" | "sig")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        Links {
            public_url: "https://stats.example.org".into(),
            key: Secret::new("chart-key-0123456789abcdef"),
            ttl_seconds: 600,
        }
    }

    fn split(url: &str) -> (String, String) {
        let rest = url.strip_prefix("https://stats.example.org").unwrap();
        let (path, query) = rest.split_once('?').unwrap();
        (path.to_string(), query.to_string())
    }

    fn env(vars: Vec<(&'static str, String)>) -> Env<impl Fn(&str) -> Option<String>> {
        Env::new(move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn links_are_configured_from_the_environment() {
        let url = |u: &str| ("STATS_API_PUBLIC_URL", u.to_string());
        let key = ("STATS_API_CHART_KEY", "k".repeat(32));
        assert!(Links::from_vars(&env(vec![])).unwrap().is_none());
        let set = Links::from_vars(&env(vec![
            url("https://abc.lambda-url.eu-west-1.on.aws/"),
            key.clone(),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(set.public_url, "https://abc.lambda-url.eu-west-1.on.aws");
        assert_eq!(set.ttl_seconds, DEFAULT_TTL_SECONDS);

        let refused = |vars| Links::from_vars(&env(vars)).unwrap_err().to_string();
        let err = refused(vec![url("https://x.example")]);
        assert!(err.contains("STATS_API_CHART_KEY is not"), "{err}");
        let err = refused(vec![
            url("https://x.example"),
            key.clone(),
            ("STATS_API_CHART_TTL", "0".into()),
        ]);
        assert!(
            err.contains("at least 1 second") && !err.contains(&key.1),
            "{err}"
        );
        let err = refused(vec![
            url("https://x.example"),
            ("STATS_API_CHART_KEY", "short-key".into()),
        ]);
        assert!(
            err.contains("at least 32") && !err.contains("short-key"),
            "{err}"
        );
        let err = refused(vec![url("ftp://x.example"), key]);
        assert!(err.contains("http:// or https://"), "{err}");
    }

    #[test]
    fn a_link_lives_at_most_thirty_days() {
        let with_ttl = |ttl: &str| {
            Links::from_vars(&env(vec![
                ("STATS_API_PUBLIC_URL", "https://x.example".into()),
                ("STATS_API_CHART_KEY", "k".repeat(32)),
                ("STATS_API_CHART_TTL", ttl.into()),
            ]))
        };
        assert_eq!(with_ttl("2592000").unwrap().unwrap().ttl_seconds, 2_592_000);
        for ttl in ["2592001", "18446744073709551615"] {
            let err = with_ttl(ttl).unwrap_err().to_string();
            assert!(
                err.contains("STATS_API_CHART_TTL") && err.contains("at most 2592000"),
                "{err}"
            );
        }
        for ttl in ["18446744073709551616", "-1", "1e9"] {
            let err = with_ttl(ttl).unwrap_err().to_string();
            assert!(err.contains("STATS_API_CHART_TTL"), "{err}");
        }
    }

    #[test]
    fn a_link_opens_its_chart_until_it_expires() {
        let pairs = vec![("months".to_string(), "6".to_string())];
        let url = links().url("signups", &pairs, 1_000);
        let (path, query) = split(&url);
        assert_eq!(path, "/v1/stats/signups.png");
        assert!(query.starts_with("expires=1600&months=6&sig="), "{query}");
        let key = links().key;
        assert_eq!(check(&key, &path, &query, 1_599), Ok(()));
        assert_eq!(check(&key, &path, &query, 1_600), Err(Refusal::Expired));
        // The pairs may come in any order.
        let sig = query.split("sig=").nth(1).unwrap();
        let reordered = format!("sig={sig}&months=6&expires=1600");
        assert_eq!(check(&key, &path, &reordered, 1_000), Ok(()));
    }

    #[test]
    fn any_change_breaks_the_signature() {
        let pairs = vec![("months".to_string(), "6".to_string())];
        let (path, query) = split(&links().url("signups", &pairs, 1_000));
        let key = links().key;
        let bad = Err(Refusal::BadSignature);
        assert_eq!(
            check(&key, &path, &query.replace("months=6", "months=7"), 0),
            bad
        );
        assert_eq!(
            check(
                &key,
                &path,
                &query.replace("expires=1600", "expires=9600"),
                0
            ),
            bad
        );
        assert_eq!(check(&key, &path, &query.replace("months=6&", ""), 0), bad);
        assert_eq!(check(&key, &path, &format!("{query}&width=900"), 0), bad);
        assert_eq!(check(&key, "/v1/stats/mentors.png", &query, 0), bad);
        assert_eq!(check(&key, "/v1/stats/signups", &query, 0), bad);
        assert_eq!(check(&key, "/v1/stats/signups.csv", &query, 0), bad);
        assert_eq!(check(&key, &path, &format!("{query}&sig=00"), 0), bad);
        assert_eq!(check(&key, &path, &query.replace("sig=", "sig=zz"), 0), bad);
        let other = Secret::new("another-key-0123456789abcdef");
        assert_eq!(check(&other, &path, &query, 0), bad);
    }
}

//! A shared link read as a stat: `{public}/v1/stats/{name}` with its query (JSON), the same with
//! `.csv`, or a signed chart link `{name}.png?…&expires=…&sig=…` (its signature and size pairs
//! dropped: the preview gets a chart link signed afresh). Only links under the stats API's own
//! address are read; anything else is no stat. The parameters are checked later, like typed
//! ones. Pure.

use reqwest::Url;

/// A link's stat and the parameters it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatLink {
    pub stat: String,
    pub params: Vec<(String, String)>,
}

/// The pairs of a chart link that are the link's own, not the stat's.
const LINK_PAIRS: [&str; 4] = ["width", "height", "expires", "sig"];

/// `url` as a stat, when it is a stat's link under `base` (the stats API's public address).
pub fn read(url: &str, base: &Url) -> Option<StatLink> {
    // Slack sends `&` in a link as `&amp;` in some payloads.
    let url = Url::parse(&url.replace("&amp;", "&")).ok()?;
    let same_place = url.scheme().eq_ignore_ascii_case(base.scheme())
        && url.host_str()?.eq_ignore_ascii_case(base.host_str()?)
        && url.port_or_known_default() == base.port_or_known_default();
    if !same_place || url.username() != "" || url.password().is_some() {
        return None;
    }
    let prefix = base.path().trim_end_matches('/');
    let rest = url
        .path()
        .strip_prefix(prefix)?
        .strip_prefix("/v1/stats/")?;
    let (name, chart) = match rest.rsplit_once('.') {
        Some((name, "png")) => (name, true),
        Some((name, "csv" | "json")) => (name, false),
        Some(_) => return None,
        None => (rest, false),
    };
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        return None;
    }
    let params = url
        .query_pairs()
        .filter(|(key, _)| !(chart && LINK_PAIRS.contains(&key.as_ref())))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    Some(StatLink {
        stat: name.to_lowercase(),
        params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://stats.example.org/prod/").unwrap()
    }

    fn link(stat: &str, params: &[(&str, &str)]) -> Option<StatLink> {
        Some(StatLink {
            stat: stat.into(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
    }

    #[test]
    fn json_csv_and_signed_chart_links_are_read() {
        let base = base();
        assert_eq!(
            read(
                "https://stats.example.org/prod/v1/stats/signups?months=6",
                &base
            ),
            link("signups", &[("months", "6")])
        );
        assert_eq!(
            read("https://STATS.example.org/prod/v1/stats/members.csv", &base),
            link("members", &[])
        );
        assert_eq!(
            read(
                "https://stats.example.org/prod/v1/stats/signups.png?expires=1767225600&amp;months=3&amp;width=800&amp;sig=ab12",
                &base
            ),
            link("signups", &[("months", "3")])
        );
        assert_eq!(
            read(
                "https://stats.example.org/prod/v1/stats/top-posters.json?limit=5",
                &base
            ),
            link("top-posters", &[("limit", "5")])
        );
    }

    #[test]
    fn other_places_and_other_paths_are_no_stat() {
        let base = base();
        for url in [
            "https://evil.example.org/prod/v1/stats/signups",
            "https://stats.example.org.evil.com/prod/v1/stats/signups",
            "http://stats.example.org/prod/v1/stats/signups",
            "https://stats.example.org:8443/prod/v1/stats/signups",
            "https://stats.example.org/v1/stats/signups",
            "https://stats.example.org/prod/v1/stats",
            "https://stats.example.org/prod/v1/stats/",
            "https://stats.example.org/prod/v1/ask?q=members",
            "https://stats.example.org/prod/v1/stats/signups/extra",
            "https://stats.example.org/prod/v1/stats/signups.pdf",
            "https://stats.example.org/prod/v1/stats/..%2Fsecrets",
            "https://user:pw@stats.example.org/prod/v1/stats/signups",
            "not a url",
        ] {
            assert_eq!(read(url, &base), None, "{url}");
        }
    }

    #[test]
    fn a_base_without_a_path_and_a_local_port() {
        let base = Url::parse("http://127.0.0.1:8081").unwrap();
        assert_eq!(
            read("http://127.0.0.1:8081/v1/stats/members", &base),
            link("members", &[])
        );
        assert_eq!(read("http://127.0.0.1:9999/v1/stats/members", &base), None);
    }
}

//! What may be said about a database URL in a log line or a message: where it points, never
//! who connects or with what password.

/// `mysql://user:secret@db.internal:3307/app` → `db.internal:3307/app`.
pub fn location(url: &str) -> String {
    let Some(parsed) = url::Url::parse(url).ok().filter(|u| u.has_host()) else {
        return "(invalid DATABASE_URL)".into();
    };
    let host = parsed.host_str().unwrap_or_default();
    let port = parsed.port().unwrap_or(3306);
    match parsed.path().trim_start_matches('/') {
        "" => format!("{host}:{port}"),
        database => format!("{host}:{port}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    use super::location;

    #[test]
    fn the_location_has_no_credentials() {
        let shown = location("mysql://stats:hunter2@db.internal:3307/app?ssl-mode=required");
        assert_eq!(shown, "db.internal:3307/app");
        assert_eq!(location("mysql://root@127.0.0.1"), "127.0.0.1:3306");
        assert_eq!(location("not a url"), "(invalid DATABASE_URL)");
    }
}

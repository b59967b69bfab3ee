//! Where the database is: `DATABASE_URL` and its one default, and what may be said about a
//! database URL in a log line or a message (where it points, never who connects or with what
//! password).

use crate::Env;

/// The server the tests, the dev stack and the `statsbot` command use when `DATABASE_URL` is
/// unset: written here once.
pub const DEFAULT_SERVER_URL: &str = "mysql://root@127.0.0.1:3306";
/// The database the dev stack and `statsbot migrate` create on that server; the stats API's
/// default database.
pub const DEV_DATABASE: &str = "statsbot_dev";

/// `DATABASE_URL` read through `env`, else [`DEFAULT_SERVER_URL`].
pub fn server_url<F: Fn(&str) -> Option<String>>(env: &Env<F>) -> String {
    env.optional("DATABASE_URL")
        .unwrap_or_else(|| DEFAULT_SERVER_URL.into())
}

/// The stats API's default: the dev stack's database on the default server.
pub fn default_database_url() -> String {
    format!("{DEFAULT_SERVER_URL}/{DEV_DATABASE}")
}

/// `host:port` to connect to (port 3306 unless given), `None` for a URL without a host.
pub fn address(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok().filter(|u| u.has_host())?;
    Some(format!(
        "{}:{}",
        parsed.host_str().unwrap_or_default(),
        parsed.port().unwrap_or(3306)
    ))
}

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
    use super::*;

    #[test]
    fn one_default_server_and_the_dev_database_on_it() {
        let unset = Env::new(|_: &str| None);
        assert_eq!(server_url(&unset), "mysql://root@127.0.0.1:3306");
        let set = Env::new(|_: &str| Some(" mysql://u@db:3307 ".to_string()));
        assert_eq!(server_url(&set), "mysql://u@db:3307");
        assert_eq!(
            default_database_url(),
            "mysql://root@127.0.0.1:3306/statsbot_dev"
        );
        assert_eq!(
            address(DEFAULT_SERVER_URL).as_deref(),
            Some("127.0.0.1:3306")
        );
        assert_eq!(address("mysql://u:p@db:3399/x").as_deref(), Some("db:3399"));
        assert_eq!(address("nonsense"), None);
    }

    #[test]
    fn the_location_has_no_credentials() {
        let shown = location("mysql://stats:hunter2@db.internal:3307/app?ssl-mode=required");
        assert_eq!(shown, "db.internal:3307/app");
        assert_eq!(location("mysql://root@127.0.0.1"), "127.0.0.1:3306");
        assert_eq!(location("not a url"), "(invalid DATABASE_URL)");
    }
}

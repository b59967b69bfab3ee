//! When no database answers and MariaDB is installed, `statsbot dev` runs a private server of
//! its own under `target/`, so a newcomer needs nothing running first.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use crate::error::{Error, Result};

pub const PORT: u16 = 3307;

/// A MariaDB server started by us. [`PrivateMariaDb::stop`] shuts it down cleanly; dropping it
/// without that kills it (and its next start runs crash recovery).
pub struct PrivateMariaDb {
    pub url: String,
    pub data_dir: PathBuf,
    server: Child,
}

/// How long a clean shutdown may take before the server is killed.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

impl PrivateMariaDb {
    /// SIGTERM, MariaDB's own clean shutdown, then waits for it to exit.
    pub async fn stop(mut self) -> Result<std::process::ExitStatus> {
        if let Some(pid) = self.server.id() {
            // `kill` rather than a signal crate: one process, once.
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()
                .await;
        }
        match tokio::time::timeout(SHUTDOWN_GRACE, self.server.wait()).await {
            Ok(status) => Ok(status?),
            Err(_) => {
                self.server.start_kill()?;
                Ok(self.server.wait().await?)
            }
        }
    }
}

/// `mariadbd`, where Debian and most distributions put it.
pub fn find_server() -> Option<PathBuf> {
    [
        "/usr/sbin/mariadbd",
        "/usr/bin/mariadbd",
        "/usr/local/bin/mariadbd",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// mariadbd refuses to run as root unless told `--user=root`.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    })
}

/// Where `statsbot dev` keeps its private server.
pub fn dev_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/dev-mariadb"))
}

/// Starts (first initialising, if needed) a server with its files under `base`, on `port`.
pub async fn start(server: &Path, base: &Path, port: u16) -> Result<PrivateMariaDb> {
    let data_dir = base.join("data");
    let user = if running_as_root() {
        "root".to_string()
    } else {
        std::env::var("USER").unwrap_or_default()
    };
    if !data_dir.join("mysql").exists() {
        std::fs::create_dir_all(&data_dir)?;
        let status = Command::new("mariadb-install-db")
            .args([
                "--no-defaults",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ])
            .arg(format!("--datadir={}", data_dir.display()))
            .arg(format!("--user={user}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await
            .map_err(|e| Error::Slash(format!("cannot run mariadb-install-db: {e}")))?;
        if !status.success() {
            return Err(Error::Slash(format!(
                "mariadb-install-db failed for {}; remove that folder and try again",
                data_dir.display()
            )));
        }
    }
    let mut command = Command::new(server);
    command
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data_dir.display()))
        .arg(format!("--socket={}", base.join("mariadb.sock").display()))
        .arg(format!("--pid-file={}", base.join("mariadb.pid").display()))
        .arg(format!("--log-error={}", base.join("error.log").display()))
        .arg(format!("--port={port}"))
        .arg("--bind-address=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group: Ctrl-C in the terminal reaches `statsbot dev` only, which
        // stops the stack first and then this server, cleanly.
        .process_group(0)
        .kill_on_drop(true);
    if running_as_root() {
        command.arg("--user=root");
    }
    let child = command
        .spawn()
        .map_err(|e| Error::Slash(format!("cannot start {}: {e}", server.display())))?;
    let url = format!("mysql://root@127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while sqlx::MySqlPool::connect(&url).await.is_err() {
        if Instant::now() > deadline {
            return Err(Error::Slash(format!(
                "the private MariaDB did not start; see {}",
                base.join("error.log").display()
            )));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(PrivateMariaDb {
        url,
        data_dir,
        server: child,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[tokio::test]
    async fn stopping_shuts_the_server_down_cleanly() {
        let server = find_server()
            .expect("these tests need mariadbd (Debian: apt-get install mariadb-server)");
        let base = std::env::temp_dir().join(format!("statsbot-private-{}", std::process::id()));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let private = start(&server, &base, port).await.unwrap();
        let status = private.stop().await.unwrap();
        let log = std::fs::read_to_string(base.join("error.log")).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&base);
        assert_eq!(status.signal(), None, "killed, not shut down: {status:?}");
        assert!(status.success(), "{status:?}");
        assert!(log.contains("Shutdown complete"), "{log}");
    }
}

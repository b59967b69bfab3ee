//! When no database answers and MariaDB is installed, `statsbot dev` and the tests run a
//! private server under `target/dev-mariadb` on port 3307, so a newcomer needs nothing running
//! first. One server for everyone: whoever comes first starts it under a lock file, the others
//! (threads, test binaries, the dev stack) find it answering and use it.
//!
//! The tests leave it running for the next run (no test binary knows it is the last); the dev
//! stack stops it on Ctrl-C when it was the one that started it. By hand:
//! `kill $(cat target/dev-mariadb/mariadb.pid)` shuts it down cleanly.

use std::fs::File;
use std::io::Read;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub const PORT: u16 = 3307;

/// How long a start may take, and a clean shutdown before the server is killed.
const START_WAIT: Duration = Duration::from_secs(60);
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// What went wrong starting or stopping the private server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot run {program}: {source}")]
    Run {
        program: String,
        source: std::io::Error,
    },
    #[error("mariadb-install-db failed: {0} says why")]
    Install(PathBuf),
    #[error("the private MariaDB did not answer within {} s; see {}", START_WAIT.as_secs(), .0.display())]
    NotStarted(PathBuf),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A private server that answers at `url`; `started` when this process started it.
pub struct PrivateMariaDb {
    pub url: String,
    pub base: PathBuf,
    pub started: Option<Child>,
}

impl PrivateMariaDb {
    /// Shuts down a server this process started (SIGTERM, MariaDB's clean shutdown), waiting
    /// for it to exit; one it found running is left alone. Blocks.
    pub fn stop(self) -> Result<Option<ExitStatus>, Error> {
        let Some(mut server) = self.started else {
            return Ok(None);
        };
        // `kill` rather than a signal crate: one process, once.
        let _ = Command::new("kill")
            .args(["-TERM", &server.id().to_string()])
            .status();
        let deadline = Instant::now() + SHUTDOWN_GRACE;
        loop {
            if let Some(status) = server.try_wait()? {
                return Ok(Some(status));
            }
            if Instant::now() > deadline {
                server.kill()?;
                return Ok(Some(server.wait()?));
            }
            std::thread::sleep(Duration::from_millis(100));
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

/// Where the dev stack and the tests keep their private server: the workspace's `target/`.
pub fn dev_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/dev-mariadb"
    ))
}

/// Whether a MySQL/MariaDB server greets at `address` (`host:port`) within a second or two.
pub fn answers(address: &str) -> bool {
    let Some(addr) = address.to_socket_addrs().ok().and_then(|mut a| a.next()) else {
        return false;
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    // The server speaks first: its handshake (or an error packet) means it is up.
    let mut first = [0u8; 5];
    stream.read_exact(&mut first).is_ok()
}

/// The server answering on `port`, started with its files under `base` if none does.
/// Safe to call from many threads and processes at once: the start is under a lock file, and
/// whoever waited for it finds the server answering.
pub fn ensure(server: &Path, base: &Path, port: u16) -> Result<PrivateMariaDb, Error> {
    let url = format!("mysql://root@127.0.0.1:{port}");
    let address = format!("127.0.0.1:{port}");
    let found = |started| PrivateMariaDb {
        url: url.clone(),
        base: base.to_path_buf(),
        started,
    };
    if answers(&address) {
        return Ok(found(None));
    }
    std::fs::create_dir_all(base)?;
    let lock = File::create(base.join("start.lock"))?;
    lock.lock()?;
    if answers(&address) {
        return Ok(found(None));
    }
    install(base)?;
    let mut command = Command::new(server);
    command
        .arg("--no-defaults")
        .arg(format!("--datadir={}", base.join("data").display()))
        .arg(format!("--socket={}", base.join("mariadb.sock").display()))
        .arg(format!("--pid-file={}", base.join("mariadb.pid").display()))
        .arg(format!("--log-error={}", base.join("error.log").display()))
        .arg(format!("--port={port}"))
        .arg("--bind-address=127.0.0.1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Its own process group: Ctrl-C in the terminal reaches `statsbot dev` (which stops the
    // stack, then this server, cleanly) and not the server; a test run's end leaves it up.
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    if running_as_root() {
        command.arg("--user=root");
    }
    let mut child = command.spawn().map_err(|source| Error::Run {
        program: server.display().to_string(),
        source,
    })?;
    let deadline = Instant::now() + START_WAIT;
    while !answers(&address) {
        if Instant::now() > deadline || child.try_wait()?.is_some() {
            let _ = child.kill();
            return Err(Error::NotStarted(base.join("error.log")));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(found(Some(child)))
}

/// Creates the data folder with `root` and no password, once.
fn install(base: &Path) -> Result<(), Error> {
    let data_dir = base.join("data");
    if data_dir.join("mysql").exists() {
        return Ok(());
    }
    std::fs::create_dir_all(&data_dir)?;
    let user = if running_as_root() {
        "root".to_string()
    } else {
        std::env::var("USER").unwrap_or_default()
    };
    let status = Command::new("mariadb-install-db")
        .args([
            "--no-defaults",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ])
        .arg(format!("--datadir={}", data_dir.display()))
        .arg(format!("--user={user}"))
        .stdout(Stdio::null())
        // Kept beside the data folder: what went wrong is there to read.
        .stderr(File::create(base.join("install.log"))?)
        .status()
        .map_err(|source| Error::Run {
            program: "mariadb-install-db".into(),
            source,
        })?;
    if status.success() {
        Ok(())
    } else {
        // A half-made data folder would be taken for a made one next time.
        let _ = std::fs::remove_dir_all(&data_dir);
        Err(Error::Install(base.join("install.log")))
    }
}

/// mariadbd refuses to run as root unless told `--user=root`.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    /// Two starts at once on a fresh folder: one server, which the second finds and leaves
    /// alone; stopping it shuts it down cleanly.
    #[test]
    fn one_server_however_many_ask_and_it_stops_cleanly() {
        let server = find_server()
            .expect("these tests need mariadbd (Debian: apt-get install mariadb-server)");
        let base = std::env::temp_dir().join(format!("statsbot-private-{}", std::process::id()));
        // A folder left by an earlier process with the same id is not this test's.
        let _ = std::fs::remove_dir_all(&base);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let (first, second) = std::thread::scope(|s| {
            let a = s.spawn(|| ensure(&server, &base, port).unwrap());
            let b = s.spawn(|| ensure(&server, &base, port).unwrap());
            (a.join().unwrap(), b.join().unwrap())
        });
        assert_eq!(first.url, second.url);
        let (starter, finder) = if first.started.is_some() {
            (first, second)
        } else {
            (second, first)
        };
        assert!(finder.started.is_none(), "exactly one of them started it");
        assert!(answers(&format!("127.0.0.1:{port}")));
        assert!(
            finder.stop().unwrap().is_none(),
            "one it found is left alone"
        );
        assert!(answers(&format!("127.0.0.1:{port}")));
        let status = starter.stop().unwrap().expect("it started the server");
        let log = std::fs::read_to_string(base.join("error.log")).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&base);
        assert_eq!(status.signal(), None, "killed, not shut down: {status:?}");
        assert!(status.success(), "{status:?}");
        assert!(log.contains("Shutdown complete"), "{log}");
        assert!(!answers(&format!("127.0.0.1:{port}")));
    }
}

//! The dev stack's live edits: the catalogue file is watched, and a saved edit that holds is
//! served within about a second by the stats API and the bot; one that does not is reported
//! and the last good catalogue keeps serving. Polls the file's size and modification time
//! (a few times a second, no platform watcher needed).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use stats_api::catalogue::Mistake;
use stats_api::state::AppState as StatsState;

/// How often the file is looked at.
pub const POLL: Duration = Duration::from_millis(250);

/// What one saved edit came to.
#[derive(Debug, Clone)]
pub enum Reload {
    /// Served now, with this many stats.
    Served { stats: usize },
    /// Refused: every problem; the last good catalogue keeps serving.
    Refused(Vec<Mistake>),
}

/// The file's identity for "has it changed": size and modification time.
fn stamp(path: &PathBuf) -> Option<(u64, SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// Watches `path` until the task is dropped; after each change, reloads the stats API, tells
/// the bot to fetch the catalogue again, and reports the outcome to `report`.
pub async fn watch(
    path: PathBuf,
    stats_api: Arc<StatsState>,
    bot: bot::state::AppState,
    report: impl Fn(Reload) + Send + 'static,
) {
    let mut last = stamp(&path);
    loop {
        tokio::time::sleep(POLL).await;
        let now = stamp(&path);
        if now == last {
            continue;
        }
        last = now;
        // An editor may save in several writes: let the file settle before reading it.
        tokio::time::sleep(Duration::from_millis(50)).await;
        last = stamp(&path).or(last);
        match stats_api.reload_file(&path).await {
            Ok(()) => {
                bot.command_cache().invalidate();
                report(Reload::Served {
                    stats: stats_api.served().stats.len(),
                });
            }
            Err(problems) => report(Reload::Refused(problems)),
        }
    }
}

/// What the dev terminal shows for a reload. Pure.
pub fn describe(path: &std::path::Path, reload: &Reload) -> String {
    match reload {
        Reload::Served { stats } => {
            format!("{}: saved edit served ({stats} stats).", path.display())
        }
        Reload::Refused(problems) => {
            let mut out = format!(
                "{}: the saved edit does not hold; the last good catalogue keeps serving:\n",
                path.display()
            );
            for problem in problems {
                out.push_str(&format!("  {problem}\n"));
            }
            out
        }
    }
}

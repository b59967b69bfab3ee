//! The scheduled-job runner: which occurrence of each entry a tick should run (the latest in
//! the grace window, not done yet), each run on a task of its own, one pass at a time, and
//! what this process has finished. Generic: a digest is one [`Job`], an alert another. What
//! a job does with an occurrence (look for its marker in the channel's history, post, update)
//! is the job's own; the Slack client (`slack::client`) reads history and posts for all of them.
//! A run is handed [`Services`] (the stats API, the Slack client, the clock), not the app.

use std::collections::HashMap;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::schedule::Zone;
use chrono::{DateTime, Utc};

use crate::schedule::Cron;
use crate::services::Services;

/// How far back a pass looks for an occurrence not yet run: a restart, a deploy or a late tick
/// within this window neither skips nor doubles a run.
pub const GRACE: Duration = Duration::from_secs(10 * 60);

/// One entry a job runs on its schedule (a digest, an alert).
pub trait Scheduled: Send + Sync + 'static {
    fn name(&self) -> &str;
    fn schedule(&self) -> &Cron;
    fn timezone(&self) -> &Zone;
}

/// A kind of scheduled work, holding what it keeps between runs (an alert's memory). Adding
/// one: its feature implements this, and registers a [`Runner`] of it (`crate::registry`).
pub trait Job: Send + Sync + 'static {
    /// The word in log lines and the tick's answer: `digest`, `alert`.
    const KIND: &'static str;
    type Entry: Scheduled;
    /// What became of one run, for the log and the tests.
    type Report: Debug + Send + 'static;

    /// Runs `entry`'s `occurrence`; the future owns what it uses (it runs on a task).
    fn run(
        &self,
        services: Services,
        entry: Arc<Self::Entry>,
        occurrence: DateTime<Utc>,
    ) -> impl Future<Output = Self::Report> + Send + 'static;

    /// Whether the occurrence is done with (posted, found posted, refused for good); otherwise
    /// the next ticks within the grace window try again.
    fn finished(report: &Self::Report) -> bool;
}

/// The runner for one job's entries. One per process.
pub struct Runner<J: Job> {
    job: J,
    entries: Vec<Arc<J::Entry>>,
    /// Per entry, the last occurrence finished.
    done: Mutex<HashMap<String, DateTime<Utc>>>,
    /// One pass at a time: a pass's check-then-post must not interleave with another's.
    pass: tokio::sync::Mutex<()>,
    grace: Duration,
}

impl<J: Job> Runner<J> {
    pub fn new(job: J, entries: impl IntoIterator<Item = J::Entry>) -> Self {
        Runner {
            job,
            entries: entries.into_iter().map(Arc::new).collect(),
            done: Mutex::default(),
            pass: tokio::sync::Mutex::new(()),
            grace: GRACE,
        }
    }

    pub fn job(&self) -> &J {
        &self.job
    }

    pub fn entries(&self) -> &[Arc<J::Entry>] {
        &self.entries
    }

    pub fn find(&self, name: &str) -> Option<Arc<J::Entry>> {
        self.entries.iter().find(|e| e.name() == name).cloned()
    }

    /// One pass: runs every entry due at `tick` (see [`due`]), side by side. `clock` is now.
    pub async fn run_due(
        &self,
        services: &Services,
        tick: DateTime<Utc>,
        clock: DateTime<Utc>,
    ) -> Vec<(String, J::Report)> {
        let _pass = self.pass.lock().await;
        let mut running = tokio::task::JoinSet::new();
        for entry in &self.entries {
            let done = self.done_for(entry.name());
            let Some(occurrence) = due(entry.as_ref(), tick, clock, self.grace, done) else {
                continue;
            };
            let name = entry.name().to_string();
            let run = self.job.run(services.clone(), entry.clone(), occurrence);
            running.spawn(async move {
                let report = run.await;
                (name, occurrence, report)
            });
        }
        let mut reports = Vec::new();
        while let Some(finished) = running.join_next().await {
            let Ok((name, occurrence, report)) = finished else {
                tracing::error!(job = J::KIND, "a scheduled run's task failed");
                continue;
            };
            if J::finished(&report) {
                self.done
                    .lock()
                    .expect("lock poisoned")
                    .insert(name.clone(), occurrence);
            }
            reports.push((name, report));
        }
        reports.sort_by(|a, b| a.0.cmp(&b.0));
        reports
    }

    fn done_for(&self, name: &str) -> Option<DateTime<Utc>> {
        self.done.lock().expect("lock poisoned").get(name).copied()
    }
}

/// A pass's reports, each entry's name and what became of it in words.
pub type Reports<'a> = Pin<Box<dyn Future<Output = Vec<(String, String)>> + Send + 'a>>;

/// A runner whatever its job, as the tick sees it.
pub trait Pass: Send + Sync {
    fn kind(&self) -> &'static str;
    /// Each entry's name and its next occurrence after `now`, for the start-up log.
    fn upcoming(&self, now: DateTime<Utc>) -> Vec<(String, Option<DateTime<Utc>>)>;
    /// [`Runner::run_due`], reports as words.
    fn run_due<'a>(
        &'a self,
        services: &'a Services,
        tick: DateTime<Utc>,
        clock: DateTime<Utc>,
    ) -> Reports<'a>;
}

impl<J: Job> Pass for Runner<J> {
    fn kind(&self) -> &'static str {
        J::KIND
    }

    fn upcoming(&self, now: DateTime<Utc>) -> Vec<(String, Option<DateTime<Utc>>)> {
        let next = |e: &J::Entry| e.schedule().next_after(now, e.timezone());
        let names = self.entries.iter().map(|e| (e.name().to_string(), next(e)));
        names.collect()
    }

    fn run_due<'a>(
        &'a self,
        services: &'a Services,
        tick: DateTime<Utc>,
        clock: DateTime<Utc>,
    ) -> Reports<'a> {
        Box::pin(async move {
            let reports = Runner::run_due(self, services, tick, clock).await;
            let words = reports.into_iter().map(|(n, r)| (n, format!("{r:?}")));
            words.collect()
        })
    }
}

/// The occurrence a pass should run for `entry`, if any: the latest in
/// `(clock − grace, min(tick, clock)]` that is later than `done` (the last occurrence this
/// process finished). Older missed occurrences in the window are superseded by it: one run
/// with today's numbers, not several. `tick` is when the pass was scheduled (the scheduler's
/// time on Lambda; the clock locally). Pure.
pub fn due(
    entry: &impl Scheduled,
    tick: DateTime<Utc>,
    clock: DateTime<Utc>,
    grace: Duration,
    done: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let grace = chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::MAX);
    let from = clock - grace;
    let to = tick.min(clock);
    let latest = entry
        .schedule()
        .latest_between(from, to, entry.timezone())?;
    match done {
        Some(done) if done >= latest => None,
        _ => Some(latest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Entry(Cron, Zone);

    impl Scheduled for Entry {
        fn name(&self) -> &str {
            "d"
        }
        fn schedule(&self) -> &Cron {
            &self.0
        }
        fn timezone(&self) -> &Zone {
            &self.1
        }
    }

    fn digest(schedule: &str, tz: &str) -> Entry {
        Entry(
            Cron::parse(schedule).unwrap(),
            crate::schedule::zone(tz).unwrap(),
        )
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_pass_posts_the_latest_occurrence_in_the_grace_window_once() {
        let weekly = digest("0 9 * * MON", "Europe/Berlin");
        let nine = utc("2026-03-09T08:00:00Z");
        // On the minute, and a deploy or late tick up to ten minutes after.
        assert_eq!(due(&weekly, nine, nine, GRACE, None), Some(nine));
        let later = utc("2026-03-09T08:09:30Z");
        assert_eq!(due(&weekly, later, later, GRACE, None), Some(nine));
        let too_late = utc("2026-03-09T08:10:30Z");
        assert_eq!(due(&weekly, too_late, too_late, GRACE, None), None);
        // Once done, not again; not before its time.
        assert_eq!(due(&weekly, later, later, GRACE, Some(nine)), None);
        let before = utc("2026-03-09T07:59:59Z");
        assert_eq!(due(&weekly, before, before, GRACE, None), None);
    }

    #[test]
    fn a_tick_delivered_late_counts_from_its_scheduled_time_but_never_past_the_clock() {
        let minutely = digest("* * * * *", "UTC");
        let tick = utc("2026-03-09T08:00:00Z");
        let clock = utc("2026-03-09T08:00:40Z");
        assert_eq!(due(&minutely, tick, clock, GRACE, None), Some(tick));
        // A tick stamped ahead of the clock posts nothing from the future.
        let ahead = utc("2026-03-09T08:05:00Z");
        assert_eq!(due(&minutely, ahead, clock, GRACE, None), Some(tick));
        // Missed minutes are superseded by the latest: one post.
        assert_eq!(
            due(
                &minutely,
                clock,
                clock,
                GRACE,
                Some(utc("2026-03-09T07:52:00Z"))
            ),
            Some(tick)
        );
    }

    /// A second kind of job, as alerts are: it runs through the same runner, once per
    /// occurrence, again while it is not finished.
    struct Counting(Seen);

    /// What the runs saw: entry and occurrence; a run "fails" while the flag is up.
    type Seen = Arc<Mutex<(Vec<(String, DateTime<Utc>)>, bool)>>;

    impl Job for Counting {
        const KIND: &'static str = "counting";
        type Entry = Entry;
        type Report = bool;

        fn run(
            &self,
            _: Services,
            entry: Arc<Entry>,
            occurrence: DateTime<Utc>,
        ) -> impl Future<Output = bool> + Send + 'static {
            let seen = self.0.clone();
            async move {
                let mut seen = seen.lock().unwrap();
                seen.0.push((entry.name().to_string(), occurrence));
                !seen.1
            }
        }

        fn finished(report: &bool) -> bool {
            *report
        }
    }

    #[tokio::test]
    async fn any_job_runs_once_per_occurrence_and_again_until_it_is_finished() {
        let seen: Seen = Arc::new(Mutex::new((Vec::new(), true)));
        let runner = Runner::new(Counting(seen.clone()), [digest("0 9 * * *", "UTC")]);
        let services = Services::unreachable();
        let nine = utc("2026-03-09T09:00:00Z");
        let runs = |seen: &Seen| seen.lock().unwrap().0.len();

        let reports = runner.run_due(&services, nine, nine).await;
        assert_eq!(reports, [("d".to_string(), false)], "not finished");
        let later = utc("2026-03-09T09:01:00Z");
        runner.run_due(&services, later, later).await;
        assert_eq!(runs(&seen), 2, "tried again within the grace window");

        seen.lock().unwrap().1 = false;
        let reports = Pass::run_due(&runner, &services, later, later).await;
        assert_eq!(reports, [("d".to_string(), "true".to_string())]);
        runner.run_due(&services, later, later).await;
        assert_eq!(runs(&seen), 3, "finished: not again");
        assert!(seen.lock().unwrap().0.iter().all(|(_, at)| *at == nine));
    }
}

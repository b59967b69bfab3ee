//! A digest as a scheduled job (`flows::jobs` says when it is due): each stat rendered by the
//! same code as its `/stats` answer (`flows::run`, which has no deadline), and the post, once
//! per occurrence.
//!
//! Once per occurrence, three ways:
//! - a pass posts only an occurrence later than the last one this process finished (memory);
//! - before posting, it looks for the occurrence's marker (message metadata) on the bot's own
//!   messages in the channel's history since the occurrence (paged; another's copy of the
//!   marker is ignored), so another Lambda environment, or this process before a restart, is not
//!   doubled; on Lambda `ReservedConcurrentExecutions: 1` runs one pass at a time, so the check
//!   and the post cannot race;
//! - a retry after an answer that left it unclear whether Slack took the post (a timeout, a 5xx)
//!   first looks for the marker again.
//!
//! If the history cannot be read (the bot is not in the channel, a scope is missing), the
//! digest is posted anyway and that is logged: a digest missed for good is worse than the rare
//! double that needs a restart in the same minute as well.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};

use super::Digest;
use super::marker::Marker;
use super::message::{self, RenderedStat};
use crate::error::Result;
use crate::explanation::Outcome;
use crate::flows;
use crate::flows::jobs::{Job, Runner};
use crate::services::Services;
use crate::slack::client::SlackClient;
use crate::slack::history_page::ts_of;
use crate::slack::message::Message;
use crate::slack::retry::{self, GiveUp};
use crate::slack::slash_command::COMMAND;

/// How long posting one digest may take, retries included (the Lambda function's timeout is
/// 90 s; several digests due together are posted side by side).
pub const POST_BUDGET: Duration = Duration::from_secs(60);
/// Reading the channel's history for the marker, retries included.
const HISTORY_BUDGET: Duration = Duration::from_secs(15);

/// What became of one digest in a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    Posted {
        calls: u32,
    },
    /// Its marker was already in the channel.
    AlreadyPosted,
    NotPosted {
        gave_up: GiveUp,
    },
    /// The bot could not render it (its own mistake, logged); Slack was not asked.
    NotRendered,
}

/// Digests as a scheduled job: each occurrence posted once (see the module's notes).
pub struct DigestJob;

/// The digests, and which occurrences this process has finished.
pub type DigestRunner = Runner<DigestJob>;

impl Job for DigestJob {
    const KIND: &'static str = "digest";
    type Entry = Digest;
    type Report = Report;

    // Not an `async fn`: that would borrow `self`, and the run outlives it on a task.
    #[allow(clippy::manual_async_fn)]
    fn run(
        &self,
        services: Services,
        digest: Arc<Digest>,
        occurrence: DateTime<Utc>,
    ) -> impl Future<Output = Report> + Send + 'static {
        async move { deliver(&services, &digest, occurrence).await }
    }

    fn finished(report: &Report) -> bool {
        match report {
            // A rendering mistake repeats at every tick: once in the log is enough.
            Report::Posted { .. } | Report::AlreadyPosted | Report::NotRendered => true,
            // Refused for good: the next ticks would only repeat the same log line.
            Report::NotPosted { gave_up } => gave_up.is_final(),
        }
    }
}

/// A digest rendered, ready to post.
pub struct Composed {
    /// `text` and `blocks`.
    pub message: Message,
    /// The stats that could not be shown (said in the message too).
    pub not_shown: Vec<String>,
}

/// The occurrence as the marker writes it: `2026-03-09T08:00:00Z`.
pub fn occurrence_id(occurrence: DateTime<Utc>) -> String {
    occurrence.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Renders `digest` now: each stat through `flows::run`, as `/stats` would answer it, checked
/// against the live catalogue; a stat that is gone or fails is named in the message and the log.
pub async fn compose(
    services: &Services,
    digest: &Digest,
    generated: DateTime<Utc>,
) -> Result<Composed> {
    let mut rendered = Vec::with_capacity(digest.stats.len());
    let mut not_shown = Vec::new();
    for (typed, invocation) in digest.stats.iter().zip(digest.invocations()) {
        let answered = flows::run(services.commands.clone(), COMMAND.into(), invocation).await;
        let shown = answered.outcome == Outcome::Ok;
        if !shown {
            let gone = matches!(
                answered.outcome,
                Outcome::UnknownCommand | Outcome::UnknownStat
            );
            tracing::warn!(
                digest = %digest.name,
                stat = %typed,
                outcome = answered.outcome.as_str(),
                gone,
                "a digest's stat is not shown; the rest still are"
            );
            not_shown.push(typed.clone());
        }
        rendered.push(RenderedStat::from_reply(typed, &answered.reply, shown));
    }
    let message = message::compose(
        COMMAND,
        digest.heading(),
        digest.intro.as_deref(),
        &rendered,
        generated,
    )?;
    Ok(Composed { message, not_shown })
}

/// Posts one occurrence of `digest` unless its marker is in the channel already.
pub async fn deliver(services: &Services, digest: &Digest, occurrence: DateTime<Utc>) -> Report {
    let name = digest.name.as_str();
    let channel = digest.channel.as_str();
    let marker = Marker {
        digest: name.to_string(),
        occurrence: occurrence_id(occurrence),
    };
    // The bot's own messages from a minute before the occurrence on (a post for it cannot be
    // older), page by page until the marker is found.
    let oldest = ts_of(occurrence.timestamp() - 60);
    let history = services
        .slack
        .own_history(channel, &oldest, HISTORY_BUDGET, |m| marker.on(m));
    match history.await {
        Ok(messages) if marker.found_in(&messages) => {
            tracing::info!(digest = name, occurrence = %marker.occurrence, "digest already posted");
            return Report::AlreadyPosted;
        }
        Ok(_) => {}
        Err(GiveUp::NoToken) => {
            tracing::error!(
                digest = name,
                "digest not posted: SLACK_BOT_TOKEN is not set"
            );
            return Report::NotPosted {
                gave_up: GiveUp::NoToken,
            };
        }
        Err(gave_up) => {
            let code = gave_up.as_str();
            tracing::warn!(
                digest = name,
                channel,
                error = %code,
                "cannot read the channel's history to check for an earlier post of this digest; \
                 posting anyway ({})",
                retry::advice(code)
            );
        }
    }
    let composed = match compose(services, digest, services.now()).await {
        Ok(composed) => composed,
        Err(error) => {
            tracing::error!(digest = name, %error, "digest not posted: it could not be rendered");
            return Report::NotRendered;
        }
    };
    post(&services.slack, digest, &composed, &marker).await
}

/// Posts the digest with its marker; the client retries as its policy says, and looks for the
/// marker before retrying a post that may have gone through.
pub async fn post(
    slack: &SlackClient,
    digest: &Digest,
    composed: &Composed,
    marker: &Marker,
) -> Report {
    let name = digest.name.as_str();
    let channel = digest.channel.as_str();
    let started = Instant::now();
    let mut message = composed.message.clone();
    match message.parts() {
        Ok(parts) => parts.metadata = Some(marker.metadata()),
        Err(error) => {
            tracing::error!(digest = name, %error, "digest not posted: it could not be rendered");
            return Report::NotRendered;
        }
    }
    let sent = slack.post_message(channel, &message, POST_BUDGET).await;
    let calls = sent.calls;
    match sent.result {
        Ok(_) => {
            tracing::info!(
                digest = name,
                occurrence = %marker.occurrence,
                channel,
                calls,
                not_shown = composed.not_shown.len(),
                latency_ms = started.elapsed().as_millis() as u64,
                "digest posted"
            );
            Report::Posted { calls }
        }
        Err(gave_up) => {
            match &gave_up {
                GiveUp::Slack(code) => tracing::error!(
                    digest = name,
                    channel,
                    error = %code,
                    "digest {name} not posted: Slack said {code}; {}",
                    retry::advice(code)
                ),
                other => tracing::error!(
                    digest = name,
                    channel,
                    gave_up = other.as_str(),
                    last = %sent.last,
                    calls,
                    "digest {name} not posted: Slack's Web API did not take it; the next \
                     ticks within the grace window try again"
                ),
            }
            Report::NotPosted { gave_up }
        }
    }
}

//! A tick and its jobs: what starts a pass over every scheduled job the features registered
//! (`flows::jobs` runs them): a timer on a local server, EventBridge Scheduler's tick on Lambda.
//!
//! On Lambda one function binary takes two kinds of event: HTTP requests (Slack's, through a
//! Function URL) and the scheduler's tick, `{"statsbot": "digest-tick", "scheduled_time": …}`
//! (infra/template.yaml, one schedule firing every minute; the name is older than the second
//! job). [`lambda_handler`] tells them apart: a tick runs every job's entries that are due,
//! anything else goes through lambda_http's request conversion to the Router.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use chrono::{DateTime, Utc};
use lambda_http::request::LambdaRequest;
use lambda_http::tower::{Service, ServiceExt, service_fn};
use lambda_http::{LambdaEvent, lambda_runtime};
use serde_json::{Value, json};

use crate::state::AppState;

/// The `statsbot` field of the scheduler's input.
pub const TICK: &str = "digest-tick";

/// A tick's scheduled time, if `event` is a tick: `Some(None)` when the time is unreadable (the
/// clock is used then). Pure.
pub fn scheduler_tick(event: &Value) -> Option<Option<DateTime<Utc>>> {
    if event.get("statsbot").and_then(Value::as_str) != Some(TICK) {
        return None;
    }
    Some(
        event
            .get("scheduled_time")
            .and_then(Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc)),
    )
}

/// One pass of every job at `tick` (the clock when `None`), with a line saying what it did.
pub async fn tick(state: &AppState, tick: Option<DateTime<Utc>>) -> Value {
    let clock = Utc::now();
    let tick = tick.unwrap_or(clock);
    let mut answer = serde_json::Map::new();
    for pass in state.scheduled() {
        let reports = pass.run_due(state.services(), tick, clock).await;
        if !reports.is_empty() {
            tracing::info!(
                tick = %tick.to_rfc3339(),
                job = pass.kind(),
                runs = reports.len(),
                "scheduled pass"
            );
        }
        let reports = reports
            .iter()
            .map(|(name, report)| json!({ pass.kind(): name, "report": report }));
        answer.insert(format!("{}s", pass.kind()), reports.collect());
    }
    Value::Object(answer)
}

/// The Lambda handler: ticks to [`tick`], every other event to the Router through lambda_http.
pub fn lambda_handler(
    state: AppState,
    router: Router,
) -> impl Service<LambdaEvent<Value>, Response = Value, Error = lambda_runtime::Error> + Clone {
    let http = lambda_http::Adapter::from(router);
    service_fn(move |event: LambdaEvent<Value>| {
        let (state, http) = (state.clone(), http.clone());
        async move {
            let LambdaEvent { payload, context } = event;
            if let Some(at) = scheduler_tick(&payload) {
                return Ok(tick(&state, at).await);
            }
            let request: LambdaRequest = serde_json::from_value(payload)?;
            let response = http.oneshot(LambdaEvent::new(request, context)).await?;
            Ok(serde_json::to_value(response)?)
        }
    })
}

/// Locally: a pass a second after every minute starts, until `stop` completes. Returns at once
/// when no job has an entry.
pub async fn run_local(state: AppState, stop: impl Future<Output = ()>) {
    let mut any = false;
    for pass in state.scheduled() {
        for (name, next) in pass.upcoming(Utc::now()) {
            any = true;
            tracing::info!(job = pass.kind(), name = %name, next = ?next.map(|n| n.to_rfc3339()), "scheduled");
        }
    }
    if !any {
        return;
    }
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(until_next_minute(Utc::now())) => {}
        }
        // Not cancelled by `stop` midway: a post started is finished.
        tick(&state, None).await;
    }
}

/// From `now` to a second past the next whole minute. Pure.
pub fn until_next_minute(now: DateTime<Utc>) -> Duration {
    let into_minute = now.timestamp().rem_euclid(60) as u64 * 1000
        + u64::from(now.timestamp_subsec_millis().min(999));
    Duration::from_millis(60_000 - into_minute + 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tick_is_told_from_an_http_event() {
        let tick = json!({"statsbot": "digest-tick", "scheduled_time": "2026-03-09T08:00:00Z"});
        assert_eq!(
            scheduler_tick(&tick),
            Some(Some("2026-03-09T08:00:00Z".parse().unwrap()))
        );
        assert_eq!(
            scheduler_tick(
                &json!({"statsbot": "digest-tick", "scheduled_time": "<aws.scheduler.scheduled-time>"})
            ),
            Some(None)
        );
        let http = json!({"version": "2.0", "rawPath": "/slack/commands", "requestContext": {}});
        assert_eq!(scheduler_tick(&http), None);
        assert_eq!(scheduler_tick(&json!({"statsbot": "other"})), None);
    }

    #[test]
    fn the_timer_wakes_just_after_each_minute() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            until_next_minute(at("2026-03-09T08:00:00Z")),
            Duration::from_secs(61)
        );
        assert_eq!(
            until_next_minute(at("2026-03-09T08:00:59.500Z")),
            Duration::from_millis(1500)
        );
    }
}

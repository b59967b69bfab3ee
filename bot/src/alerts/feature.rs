//! The alerts as the bot holds them: what this process knows of each (`book`), the scheduled
//! job's runner, `/stats alerts` and the alerts' buttons, registered together. Tools and tests
//! reach an alert's check through here.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::Alert;
use super::book::Book;
use super::buttons::AlertButtons;
use super::command::AlertsCommand;
use super::runner::{self, AlertJob, AlertRunner, Preview, Report};
use crate::flows::jobs::Runner;
use crate::registry::Registry;
use crate::services::Services;
use crate::slack::client::SlackClient;

pub struct Alerts {
    book: Arc<Book>,
    runner: Arc<AlertRunner>,
}

impl Alerts {
    /// The `BOT_ALERTS` file's alerts, registered: their job, `/stats alerts`, their buttons.
    /// `slack` is the one Slack client (`/stats alerts` reads the channels with it).
    pub fn register(alerts: &[Alert], slack: &SlackClient, registry: &mut Registry) -> Alerts {
        let book = Arc::new(Book::new(alerts));
        let job = AlertJob { book: book.clone() };
        let runner = Arc::new(Runner::new(job, alerts.iter().cloned()));
        registry.job(runner.clone());
        registry.command(Arc::new(AlertsCommand::new(book.clone(), slack.clone())));
        registry.buttons(Arc::new(AlertButtons { book: book.clone() }));
        Alerts { book, runner }
    }

    /// What this process knows of each alert.
    pub fn book(&self) -> &Book {
        &self.book
    }

    /// The job's runner: which occurrences this process has checked.
    pub fn runner(&self) -> &AlertRunner {
        &self.runner
    }

    pub fn find(&self, name: &str) -> Option<Arc<Alert>> {
        self.book.find(name)
    }

    /// Checks `alert` as of `now` and does what the check asks (`cargo run -- alert --post`).
    pub async fn check(&self, services: &Services, alert: &Alert, now: DateTime<Utc>) -> Report {
        runner::check(&self.book, services, alert, now, false).await
    }

    /// What a check now would do, nothing sent (`cargo run -- alert`).
    pub async fn preview(&self, services: &Services, alert: &Alert) -> Option<Preview> {
        runner::preview(&self.book, services, alert).await
    }
}

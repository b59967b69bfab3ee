//! An alert's buttons (`templates/alerts/incident.json`): Silence 1 h, Silence 24 h, Check now.
//! Their `value` is the alert's name, read back as user input. A press silences the alert or
//! checks it now; its message is updated in place by the runner, and the presser gets a private
//! note saying what was done.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::book::Book;
use super::runner::{self, Report};
use super::wording;
use crate::explanation::{Explanation, Outcome};
use crate::registry::{Buttons, Pressed, Work};
use crate::render::Context;
use crate::services::Services;
use crate::slack::interaction::{Action, BlockActions};
use crate::slack::message::Message;
use crate::slack::slash_command::COMMAND;

pub const SILENCE_1H: &str = "alert_silence_1h";
pub const SILENCE_24H: &str = "alert_silence_24h";
pub const CHECK: &str = "alert_check";

/// What a press of one of them asks for. Pure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertPress {
    Silence {
        alert: String,
        hours: u32,
    },
    Check(String),
    /// A value no alert's name could be.
    Stale,
}

/// Reads `action` (one of this module's `action_id`s). Pure.
pub fn read(action: &Action) -> AlertPress {
    let value = action.value.as_str();
    // An alert's name: letters, digits, - and _ (as its file allows).
    let fine = !value.is_empty()
        && value.len() <= 40
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let alert = value.to_string();
    match action.action_id.as_str() {
        _ if !fine => AlertPress::Stale,
        SILENCE_1H => AlertPress::Silence { alert, hours: 1 },
        SILENCE_24H => AlertPress::Silence { alert, hours: 24 },
        CHECK => AlertPress::Check(alert),
        _ => AlertPress::Stale,
    }
}

/// The alerts' buttons, registered with the feature.
pub struct AlertButtons {
    pub book: Arc<Book>,
}

impl Buttons for AlertButtons {
    fn owns(&self, action_id: &str) -> bool {
        [SILENCE_1H, SILENCE_24H, CHECK].contains(&action_id)
    }

    fn press<'a>(
        &'a self,
        services: &'a Services,
        pressed: &'a BlockActions,
        action: &'a Action,
    ) -> Work<'a, Pressed> {
        Box::pin(async move {
            let (mut note, outcome) = match read(action) {
                AlertPress::Stale => {
                    let stale = Explanation::StaleButton;
                    let ctx = Context { command: COMMAND };
                    (stale.reply(&ctx), stale.outcome())
                }
                AlertPress::Silence { alert, hours } => {
                    let until = services.now() + TimeDelta::hours(i64::from(hours));
                    let by = Some((until, pressed.user.as_str()));
                    let words = self.act(services, &alert, &pressed.channel_id, by).await;
                    (Message::plain(&words), Outcome::Ok)
                }
                AlertPress::Check(alert) => {
                    let words = self.act(services, &alert, &pressed.channel_id, None).await;
                    (Message::plain(&words), Outcome::Ok)
                }
            };
            // Beside the alert's message, never in its place.
            note.replace_original(false);
            Pressed {
                replies: vec![note],
                outcome,
            }
        })
    }
}

impl AlertButtons {
    /// Silences `name` until `until` by the user (`silence`), or checks it now (`None`); what
    /// was done, in words for the presser. A button acts only in the alert's own `channel` (its
    /// value names an alert, and anyone could copy it into a message elsewhere).
    async fn act(
        &self,
        services: &Services,
        name: &str,
        channel: &str,
        silence: Option<(DateTime<Utc>, &str)>,
    ) -> String {
        let Some(alert) = self.book.find(name) else {
            return format!("There is no alert `{name}` any more.");
        };
        if alert.channel != channel {
            tracing::info!(
                alert = %name,
                pressed_in = %channel,
                "an alert's button pressed outside the alert's channel; nothing done"
            );
            return format!(
                "This button belongs to the alert `{name}` in <#{}>: press it there. Nothing was changed.",
                alert.channel
            );
        }
        let book = &self.book;
        let report = match silence {
            Some((until, by)) => {
                let report = runner::silence(book, services, &alert, by, until).await;
                if matches!(report, Report::Checked { .. }) {
                    let until = wording::date(until);
                    return format!(
                        "Alert `{name}` is silenced until {until}: no new messages for it till then."
                    );
                }
                report
            }
            None => {
                let report = runner::check(book, services, &alert, services.now(), false).await;
                if let Report::Checked { status, .. } = &report {
                    return format!("Alert `{name}` checked: {}.", status.as_str());
                }
                report
            }
        };
        tracing::warn!(
            alert = %name,
            ?report,
            "an alert's button could not do its work"
        );
        format!("Alert `{name}`: Slack did not take the change; try again in a moment.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(id: &str, value: &str) -> Action {
        Action {
            action_id: id.into(),
            block_id: "b".into(),
            value: value.into(),
        }
    }

    #[test]
    fn a_press_names_an_alert_or_is_stale() {
        assert_eq!(
            read(&action(SILENCE_24H, "quiet_week")),
            AlertPress::Silence {
                alert: "quiet_week".into(),
                hours: 24
            }
        );
        assert_eq!(
            read(&action(CHECK, "head-count_1")),
            AlertPress::Check("head-count_1".into())
        );
        assert_eq!(read(&action(SILENCE_1H, "<!channel>")), AlertPress::Stale);
        assert_eq!(read(&action(CHECK, "")), AlertPress::Stale);
        assert_eq!(read(&action(CHECK, &"a".repeat(41))), AlertPress::Stale);
    }
}

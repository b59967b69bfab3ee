//! What a feature adds to the bot, one call each: a command (`/stats <name>`), a scheduled job,
//! buttons, an Events API handler. `features` puts every feature together and registers it;
//! `AppState` holds what was registered without knowing whose it is, and the flows run it: a
//! command through `flows::run`, a job on each tick (`flows::scheduled`), a press of one of a
//! feature's buttons through `flows::press`, an event (mentions, DMs, shared links, the Home
//! tab) through `flows::event`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::commands::Command;
use crate::explanation::Outcome;
use crate::flows::jobs::Pass;
use crate::services::Services;
use crate::slack::events::{Callback, Delivery, Event};
use crate::slack::interaction::{Action, BlockActions};
use crate::slack::message::Message;

/// A hook's work, owned by the hook for as long as it runs.
pub type Work<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Everything the features registered.
#[derive(Default)]
pub struct Registry {
    commands: Vec<Arc<dyn Command>>,
    jobs: Vec<Arc<dyn Pass>>,
    buttons: Vec<Arc<dyn Buttons>>,
    events: Vec<Arc<dyn EventHandler>>,
}

impl Registry {
    /// A command of the feature's own, listed with the catalogue's stats.
    pub fn command(&mut self, command: Arc<dyn Command>) {
        self.commands.push(command);
    }

    /// A scheduled job's runner (`flows::jobs::Runner`), run on every tick.
    pub fn job(&mut self, runner: Arc<dyn Pass>) {
        self.jobs.push(runner);
    }

    /// The feature's buttons.
    pub fn buttons(&mut self, buttons: Arc<dyn Buttons>) {
        self.buttons.push(buttons);
    }

    /// The feature's Events API handler.
    pub fn events(&mut self, handler: Arc<dyn EventHandler>) {
        self.events.push(handler);
    }

    /// What was registered, for the app's shared state.
    pub fn into_parts(self) -> Registered {
        Registered {
            commands: self.commands,
            jobs: self.jobs,
            buttons: self.buttons,
            events: self.events,
        }
    }
}

/// [`Registry`]'s lists, taken apart.
pub struct Registered {
    pub commands: Vec<Arc<dyn Command>>,
    pub jobs: Vec<Arc<dyn Pass>>,
    pub buttons: Vec<Arc<dyn Buttons>>,
    pub events: Vec<Arc<dyn EventHandler>>,
}

/// A feature that acts on Events API events. The event was signed by Slack, from a workspace
/// allowed, acknowledged with its 200, and is this process's to work on (not a redelivery it
/// has in hand); the work runs on the deferred path.
pub trait EventHandler: Send + Sync {
    /// For the log line.
    fn name(&self) -> &'static str;

    /// Whether it acts on `event`. Pure and quick: the acknowledgement waits for it.
    fn wants(&self, event: &Event) -> bool;

    /// The work. `delivery` says whether Slack is sending it again (`retry_num`).
    fn handle<'a>(
        &'a self,
        services: &'a Services,
        callback: &'a Callback,
        delivery: &'a Delivery,
    ) -> Work<'a, ()>;
}

/// A feature's buttons: which `action_id`s are its (their blocks are in its templates), and
/// what a press of one does. The press was signed by Slack and has had its empty 200; what
/// this returns is posted to the action's `response_url`, in order.
pub trait Buttons: Send + Sync {
    /// Whether `action_id` is one of this feature's buttons.
    fn owns(&self, action_id: &str) -> bool;

    /// The press's replies and its outcome for the log. `pressed` is who pressed, where;
    /// `action` the button (its `value` is user input).
    fn press<'a>(
        &'a self,
        services: &'a Services,
        pressed: &'a BlockActions,
        action: &'a Action,
    ) -> Work<'a, Pressed>;
}

/// What a press of a feature's button did.
pub struct Pressed {
    /// Posted to `response_url` in order (a private note beside the message pressed, usually).
    pub replies: Vec<Message>,
    pub outcome: Outcome,
}

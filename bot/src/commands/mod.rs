//! What `/stats <subcommand>` can do.
//!
//! Every subcommand is a [`Command`]. Most are stats declared in the stats API's catalogue
//! ([`stat::StatCommand`]); a few are written here by hand. To add one: write a file in this
//! folder that implements `Command` (with its template in `templates/commands/`), then add one
//! line to [`builtin_commands`]. A feature's own command (`/stats digests`, `/stats alerts`)
//! lives in the feature's folder and is registered with the feature (`crate::registry`).

mod help;
mod help_page;
mod members;
mod stat;

pub use help::Help;
pub use help_page::{HELP_PAGE_SIZE, HelpEntry, help, help_page};
pub use members::Members;
pub use stat::{StatCommand, bind_args};

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::Result;
use crate::explanation::ArgIssue;
use crate::render::Context;
use crate::slack::message::Message;
use crate::slack::slash_command::Args;
use stats_contract::{Display, ResponseType, StatInfo, StatResult};

/// A subcommand. Both steps are pure: the caller fetches the data in between.
pub trait Command: Send + Sync {
    /// The subcommand, lower-case: `/stats <name>`.
    fn name(&self) -> &str;

    /// One line for `/stats help`.
    fn description(&self) -> &str;

    /// What follows `/stats`, e.g. `signups [months=12]`.
    fn usage(&self) -> String {
        self.name().to_string()
    }

    /// Checks the arguments and says which stat to fetch, if any. By default a command takes
    /// no arguments and answers from what the bot knows ([`Plan::Local`]).
    fn plan(&self, args: &Args) -> Result<Plan, ArgIssue> {
        if !args.is_empty() {
            return Err(ArgIssue::TooMany { max: 0 });
        }
        Ok(Plan::Local)
    }

    /// The reply, given the stat fetched for [`Plan::Fetch`] (`None` for [`Plan::Local`]).
    fn render(&self, ctx: &Context<'_>, data: Option<&StatResult>) -> Result<Message>;

    /// What must be done before a [`Plan::Local`] render, if anything: e.g. `/stats alerts`
    /// reads the alerts' states back from their channels first.
    fn prepare(&self) -> Option<Preparing<'_>> {
        None
    }

    /// How the stat's answer is laid out, when the command is a stat's.
    fn display(&self) -> Option<Display> {
        None
    }

    /// Who sees its answers. A private (`ephemeral`) answer gets a "Share in channel" button.
    fn response_type(&self) -> ResponseType {
        ResponseType::InChannel
    }

    /// How long the stats API reuses its answer (a catalogue stat's `cache_seconds`).
    fn cache_seconds(&self) -> Option<u64> {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// `GET /v1/stats/{stat}?{params}`, then render.
    Fetch {
        stat: String,
        params: Vec<(String, String)>,
    },
    /// Render without asking the stats API (after [`Command::prepare`]).
    Local,
}

/// A command's work before it renders ([`Command::prepare`]).
pub type Preparing<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Commands written by hand. They take precedence over stats of the same name.
fn builtin_commands(catalogue: &[StatInfo]) -> Vec<Arc<dyn Command>> {
    vec![Arc::new(Members::new(catalogue))]
}

/// Every command available right now: the built-ins, one per declared stat, and `help`.
pub struct Commands {
    commands: Vec<Arc<dyn Command>>,
    help: Arc<Help>,
}

impl Commands {
    pub fn new(catalogue: &[StatInfo]) -> Self {
        Self::with(catalogue, &[])
    }

    /// The commands, with the features' `added` ones (before the catalogue's stats).
    pub fn with(catalogue: &[StatInfo], added: &[Arc<dyn Command>]) -> Self {
        let mut commands = builtin_commands(catalogue);
        commands.extend(added.iter().cloned());
        for stat in catalogue {
            let name = stat.name.to_lowercase();
            if name.is_empty()
                || name == help::NAME
                || name.contains(char::is_whitespace)
                || commands.iter().any(|c| c.name() == name)
            {
                continue;
            }
            commands.push(Arc::new(StatCommand::new(stat.clone())));
        }
        commands.sort_by(|a, b| a.name().cmp(b.name()));
        let entries = std::iter::once(help::entry())
            .chain(commands.iter().map(|c| {
                HelpEntry {
                    usage: c.usage(),
                    description: c.description().to_string(),
                    // Help's button runs a command with its defaults: only if it has them all.
                    run: c
                        .plan(&Args::default())
                        .is_ok()
                        .then(|| c.name().to_string()),
                }
            }))
            .collect();
        let help = Arc::new(Help::new(entries));
        commands.insert(0, help.clone());
        Commands { commands, help }
    }

    /// A page of `/stats help` (from 1), for its page buttons.
    pub fn help_page(&self, ctx: &Context<'_>, page: usize) -> Result<Message> {
        self.help.page(ctx, page)
    }

    /// The command for a (lower-cased) subcommand; empty text means help.
    pub fn find(&self, subcommand: &str) -> Option<&dyn Command> {
        let name = if subcommand.is_empty() {
            help::NAME
        } else {
            subcommand
        };
        self.commands
            .iter()
            .find(|c| c.name() == name)
            .map(|c| c.as_ref())
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.commands.iter().map(|c| c.name())
    }

    /// The command a typo most likely meant, if any is close enough.
    pub fn suggest(&self, given: &str) -> Option<&str> {
        suggest(given, self.names())
    }
}

/// Closest name by Jaro-Winkler similarity, which favours a shared beginning (`mem` →
/// `members`) and forgives transpositions (`memebrs`); unrelated words get no suggestion.
pub fn suggest<'a>(given: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    const THRESHOLD: f64 = 0.75;
    if given.is_empty() {
        return None;
    }
    names
        .into_iter()
        .map(|name| (strsim::jaro_winkler(given, name), name))
        .filter(|(score, _)| *score >= THRESHOLD)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 5] = ["help", "members", "mentors", "signups", "top_posters"];

    #[test]
    fn typos_and_prefixes_get_the_closest_command() {
        assert_eq!(suggest("memebrs", NAMES), Some("members"));
        assert_eq!(suggest("member", NAMES), Some("members"));
        assert_eq!(suggest("signup", NAMES), Some("signups"));
        assert_eq!(suggest("sigunps", NAMES), Some("signups"));
        assert_eq!(suggest("mentor", NAMES), Some("mentors"));
        assert_eq!(suggest("hlep", NAMES), Some("help"));
        assert_eq!(suggest("top", NAMES), Some("top_posters"));
    }

    #[test]
    fn unrelated_words_get_no_suggestion() {
        assert_eq!(suggest("weather", NAMES), None);
        assert_eq!(suggest("xyz", NAMES), None);
        assert_eq!(suggest("", NAMES), None);
    }
}

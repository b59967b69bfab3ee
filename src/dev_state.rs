//! What `statsbot slash`, `digest`, `alert` and `ask` need to reach a running dev stack: its URLs,
//! credentials and the digests and alerts files it reads, written under `target/` (mode 0600)
//! while it runs.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use service_kit::Env;

use crate::error::{Error, Result};

/// What `slash` needs to talk to a running dev stack; written to `target/` while it runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevState {
    pub bot_url: String,
    pub api_url: String,
    pub signing_secret: String,
    pub api_token: String,
    /// The Slack Web API the bot posts to (the stack's stand-in), and its token.
    #[serde(default)]
    pub slack_api_url: Option<String>,
    #[serde(default)]
    pub slack_bot_token: Option<String>,
    /// The digests and alerts files the stack's bot reads (`BOT_DIGESTS`, `BOT_ALERTS`), so
    /// that `statsbot digest` and `statsbot alert` check the same ones.
    #[serde(default)]
    pub digests_file: Option<String>,
    #[serde(default)]
    pub alerts_file: Option<String>,
    /// The Home tab's file the stack's bot reads (`BOT_HOME`).
    #[serde(default)]
    pub home_file: Option<String>,
}

impl DevState {
    pub fn path() -> PathBuf {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/target/statsbot-dev.json"
        ))
    }

    pub fn load() -> Option<DevState> {
        serde_json::from_slice(&std::fs::read(Self::path()).ok()?).ok()
    }

    /// Which file `digest` or `alert` reads: the one named in its own environment, else the
    /// running stack's, else the shipped example.
    pub fn file(set: Option<String>, stack: Option<&String>, example: &str) -> String {
        set.or_else(|| stack.cloned())
            .unwrap_or_else(|| example.to_string())
    }

    /// The running stack, or an error that says how to start it.
    pub fn running() -> Result<DevState> {
        DevState::load().ok_or_else(|| {
            Error::Settings("the dev stack is not running: start it with `cargo run -- dev`".into())
        })
    }

    /// The bot as this stack runs it, reading `file_var`'s file (this environment's, else the
    /// stack's `stack_file`, else `example`), for `digest` and `alert`; and that file's path.
    /// Slack's Web API and token are this environment's when set, else the stack's stand-in.
    pub fn bot(
        &self,
        file_var: &'static str,
        stack_file: Option<&String>,
        example: &str,
    ) -> Result<(bot::startup::Bot, String)> {
        let process = Env::process();
        let env = |name: &str| process.optional(name);
        let file = DevState::file(env(file_var), stack_file, example);
        let mut vars: HashMap<&str, String> = HashMap::from([
            ("SLACK_SIGNING_SECRET", self.signing_secret.clone()),
            ("STATS_API_URL", self.api_url.clone()),
            ("STATS_API_TOKEN", self.api_token.clone()),
            (file_var, file.clone()),
        ]);
        for (name, dev) in [
            ("SLACK_API_URL", self.slack_api_url.clone()),
            ("SLACK_BOT_TOKEN", self.slack_bot_token.clone()),
        ] {
            if let Some(value) = env(name).or(dev) {
                vars.insert(name, value);
            }
        }
        let config = bot::Config::from_lookup(|name| vars.get(name).cloned())?;
        Ok((bot::startup::build(config)?, file))
    }

    pub(crate) fn save(&self) -> Result<()> {
        let path = Self::path();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, serde_json::to_vec_pretty(self).expect("plain data"))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_set_here_wins_then_the_running_stacks_then_the_example() {
        let stack = "/tmp/mine.toml".to_string();
        let example = "/repo/bot/alerts.example.toml";
        assert_eq!(
            DevState::file(Some("other.toml".into()), Some(&stack), example),
            "other.toml"
        );
        assert_eq!(DevState::file(None, Some(&stack), example), stack);
        assert_eq!(DevState::file(None, None, example), example);
    }
}

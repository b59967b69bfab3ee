//! What `statsbot slash` and `statsbot digest` need to reach a running dev stack: its URLs and
//! credentials, written under `target/` (mode 0600) while it runs.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// What `slash` needs to talk to a running dev stack; written to `target/` while it runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevState {
    pub bot_url: String,
    pub api_url: String,
    pub signing_secret: String,
    pub api_token: String,
    /// The Slack Web API the bot posts digests to (the stack's stand-in), and its token.
    #[serde(default)]
    pub slack_api_url: Option<String>,
    #[serde(default)]
    pub slack_bot_token: Option<String>,
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

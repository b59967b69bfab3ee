//! The digests as the bot holds them: the scheduled job's runner (which occurrences this
//! process has posted) and `/stats digests`, registered together. Tools and tests reach a
//! digest through here.

use std::sync::Arc;

use super::Digest;
use super::command::DigestsCommand;
use super::runner::{DigestJob, DigestRunner};
use crate::flows::jobs::Runner;
use crate::registry::Registry;

pub struct Digests {
    runner: Arc<DigestRunner>,
}

impl Digests {
    /// The `BOT_DIGESTS` file's digests, registered: their job and `/stats digests`.
    pub fn register(digests: &Arc<Vec<Digest>>, registry: &mut Registry) -> Digests {
        let runner = Arc::new(Runner::new(DigestJob, digests.iter().cloned()));
        registry.job(runner.clone());
        registry.command(Arc::new(DigestsCommand::new(digests.clone())));
        Digests { runner }
    }

    /// The job's runner: which occurrences this process has posted.
    pub fn runner(&self) -> &DigestRunner {
        &self.runner
    }

    pub fn find(&self, name: &str) -> Option<Arc<Digest>> {
        self.runner.find(name)
    }

    pub fn all(&self) -> &[Arc<Digest>] {
        self.runner.entries()
    }
}

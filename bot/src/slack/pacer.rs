//! At most about one message a second per channel, whoever posts (a digest, an alert, its
//! update): Slack asks for no more, and throttles with 429s past it. Each post reserves the
//! channel's next free slot, so posts queue in the order they asked, without holding a lock
//! while they wait.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Slack's pace for one channel.
pub const PER_CHANNEL: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub struct Pacer {
    /// Per channel, when its next message may go.
    next: Mutex<HashMap<String, Instant>>,
}

impl Pacer {
    /// Waits for `channel`'s turn.
    pub async fn wait_turn(&self, channel: &str) {
        let now = Instant::now();
        let slot = self.reserve(channel, now);
        // Only a real wait goes through the timer: a sleep until now still waits for the
        // timer's next millisecond tick, which every post to a free channel would pay.
        if slot > now {
            tokio::time::sleep_until(slot).await;
        }
    }

    /// The slot for a message to `channel` asked for at `now`, reserved. Channels long idle
    /// are forgotten so the map stays small.
    fn reserve(&self, channel: &str, now: Instant) -> Instant {
        let mut next = self.next.lock().expect("lock poisoned");
        if next.len() > 1000 {
            next.retain(|_, at| *at > now);
        }
        let slot = next
            .get(channel)
            .copied()
            .filter(|at| *at > now)
            .unwrap_or(now);
        next.insert(channel.to_string(), slot + PER_CHANNEL);
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_to_one_channel_are_a_second_apart_and_other_channels_do_not_wait() {
        let pacer = Pacer::default();
        let now = Instant::now();
        assert_eq!(pacer.reserve("C0123456789", now), now);
        assert_eq!(pacer.reserve("C0123456789", now), now + PER_CHANNEL);
        assert_eq!(pacer.reserve("C0123456789", now), now + 2 * PER_CHANNEL);
        assert_eq!(pacer.reserve("C0987654321", now), now, "another channel");
        let later = now + 10 * PER_CHANNEL;
        assert_eq!(pacer.reserve("C0123456789", later), later, "idle since");
    }
}

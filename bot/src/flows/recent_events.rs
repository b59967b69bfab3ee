//! The event ids this process took lately, each in progress or done: a redelivery of one of
//! them (Slack sends an event again when it missed the acknowledgement, often within seconds)
//! is dropped before any work, even while the first delivery is still being answered. Bounded:
//! the oldest are forgotten first. Other processes' events are the features' to find in Slack.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// How many event ids are remembered: Slack's redeliveries come within about 5 minutes, and a
/// busy workspace sends this app a few events a second at most.
pub const RECENT: usize = 2048;

/// What this process knows of a recent event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    InProgress,
    Done,
}

impl Seen {
    pub fn as_str(self) -> &'static str {
        match self {
            Seen::InProgress => "in_progress",
            Seen::Done => "done",
        }
    }
}

/// The last `capacity` event ids this process took, oldest forgotten first.
pub struct Recent {
    capacity: usize,
    inner: Mutex<RecentInner>,
}

#[derive(Default)]
struct RecentInner {
    seen: HashMap<String, Seen>,
    order: VecDeque<String>,
}

impl Recent {
    pub fn new(capacity: usize) -> Self {
        Recent {
            capacity: capacity.max(1),
            inner: Mutex::default(),
        }
    }

    /// Takes `event_id` as in progress; `Some` (what it was) when it was taken before.
    pub fn claim(&self, event_id: &str) -> Option<Seen> {
        let mut inner = self.inner.lock().expect("lock poisoned");
        if let Some(seen) = inner.seen.get(event_id) {
            return Some(*seen);
        }
        if inner.order.len() >= self.capacity
            && let Some(oldest) = inner.order.pop_front()
        {
            inner.seen.remove(&oldest);
        }
        inner.order.push_back(event_id.to_string());
        inner.seen.insert(event_id.to_string(), Seen::InProgress);
        None
    }

    /// Marks `event_id`'s work done.
    pub fn finish(&self, event_id: &str) {
        let mut inner = self.inner.lock().expect("lock poisoned");
        if let Some(seen) = inner.seen.get_mut(event_id) {
            *seen = Seen::Done;
        }
    }

    pub fn len(&self) -> usize {
        self.inner.lock().expect("lock poisoned").order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_taken_once_and_remembered_while_in_progress_and_after() {
        let recent = Recent::new(10);
        assert_eq!(recent.claim("Ev1"), None);
        assert_eq!(recent.claim("Ev1"), Some(Seen::InProgress));
        recent.finish("Ev1");
        assert_eq!(recent.claim("Ev1"), Some(Seen::Done));
        assert_eq!(recent.claim("Ev2"), None);
        assert_eq!(recent.len(), 2);
    }

    #[test]
    fn the_set_is_bounded_and_forgets_the_oldest() {
        let recent = Recent::new(3);
        for id in ["Ev1", "Ev2", "Ev3", "Ev4"] {
            assert_eq!(recent.claim(id), None);
        }
        assert_eq!(recent.len(), 3);
        assert_eq!(recent.claim("Ev4"), Some(Seen::InProgress));
        assert_eq!(recent.claim("Ev1"), None, "forgotten, taken again");
        assert_eq!(recent.len(), 3);
    }
}

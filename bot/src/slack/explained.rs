//! Slack's refusals (`ok:false`) explained once per process: the first `not_in_channel` for a
//! method and channel is a warning with what to do; the same refusal again, on every later tick,
//! is a debug line, so the log keeps the explanation without drowning in it.

use std::collections::HashSet;
use std::sync::Mutex;

/// More distinct refusals than this and the book starts again: explaining one twice beats
/// growing without end (channels and Slack's error words are few in practice).
const MAX_REMEMBERED: usize = 1024;

/// Which (method, channel, error) refusals have been explained.
#[derive(Debug, Default)]
pub struct Explained {
    seen: Mutex<HashSet<(String, String, String)>>,
}

impl Explained {
    /// True the first time this refusal is seen: explain it. Later: false.
    pub fn first(&self, method: &str, channel: &str, error: &str) -> bool {
        let mut seen = self.seen.lock().expect("lock poisoned");
        let key = (method.to_string(), channel.to_string(), error.to_string());
        if seen.contains(&key) {
            return false;
        }
        if seen.len() >= MAX_REMEMBERED {
            seen.clear();
        }
        seen.insert(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_is_explained_once() {
        let explained = Explained::default();
        assert!(explained.first("chat.postMessage", "C0123456789", "not_in_channel"));
        assert!(!explained.first("chat.postMessage", "C0123456789", "not_in_channel"));
        // Another channel, another method or another error is news.
        assert!(explained.first("chat.postMessage", "C0987654321", "not_in_channel"));
        assert!(explained.first("chat.update", "C0123456789", "not_in_channel"));
        assert!(explained.first("chat.postMessage", "C0123456789", "is_archived"));
        assert!(!explained.first("chat.update", "C0123456789", "not_in_channel"));
    }

    #[test]
    fn a_full_book_starts_again_rather_than_growing() {
        let explained = Explained::default();
        for i in 0..MAX_REMEMBERED {
            assert!(explained.first("chat.postMessage", &format!("C{i:010}"), "x"));
        }
        assert!(explained.first("chat.postMessage", "C0123456789", "x"));
        assert_eq!(explained.seen.lock().unwrap().len(), 1);
    }
}

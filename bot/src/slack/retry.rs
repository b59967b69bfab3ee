//! The wait between tries that both outbound clients use (`response_url`, Slack's Web API).

use std::time::Duration;

/// `first`, doubling after each further failure: the wait after the `failed`-th failed try
/// (1-based). Pure.
pub fn doubling(first: Duration, failed: u32) -> Duration {
    first.saturating_mul(1 << failed.clamp(1, 16).saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_the_first() {
        let first = Duration::from_millis(500);
        let waits: Vec<u128> = (0..=5).map(|n| doubling(first, n).as_millis()).collect();
        assert_eq!(waits, [500, 500, 1000, 2000, 4000, 8000]);
    }
}

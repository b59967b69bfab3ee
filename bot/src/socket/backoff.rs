//! How long to wait before opening a connection again: doubling from `first` up to `cap`, each
//! wait drawn between half and all of it (jitter), so that many bots cut off at once do not
//! come back at once. Pure: the random draw is passed in.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub cap: Duration,
}

impl Backoff {
    pub const DEFAULT: Backoff = Backoff {
        first: Duration::from_secs(1),
        cap: Duration::from_secs(30),
    };

    /// The wait before attempt `failures + 1`, after `failures` attempts in a row came to
    /// nothing; `draw` in [0, 1) picks where in the upper half of the step it falls.
    pub fn wait(self, failures: u32, draw: f64) -> Duration {
        let step = self
            .first
            .saturating_mul(1u32 << failures.min(16))
            .min(self.cap);
        step.mul_f64(0.5 + 0.5 * draw.clamp(0.0, 1.0))
    }
}

/// A number in [0, 1), different each call: std's per-hasher random keys, no dependency.
pub fn draw() -> f64 {
    let bits = RandomState::new().build_hasher().finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_within_their_upper_half() {
        let backoff = Backoff::DEFAULT;
        assert_eq!(backoff.wait(0, 0.0), Duration::from_millis(500));
        assert_eq!(backoff.wait(0, 1.0), Duration::from_secs(1));
        assert_eq!(backoff.wait(3, 0.0), Duration::from_secs(4));
        assert_eq!(
            backoff.wait(3, 0.999),
            Duration::from_secs(8).mul_f64(0.9995)
        );
        assert_eq!(backoff.wait(10, 1.0), Duration::from_secs(30));
        assert_eq!(backoff.wait(u32::MAX, 0.0), Duration::from_secs(15));
    }

    #[test]
    fn draws_spread_over_the_unit_interval() {
        let draws: Vec<f64> = (0..200).map(|_| draw()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        assert!(draws.iter().any(|d| *d < 0.25) && draws.iter().any(|d| *d > 0.75));
    }
}

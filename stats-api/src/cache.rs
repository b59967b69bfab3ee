//! An in-process cache of rendered stat answers, one entry per stat and parameters, each kept
//! for its stat's TTL. Concurrent misses for one key share a single query.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use tokio::sync::OnceCell;

/// Above this many entries, expired ones are swept out on the next insert.
const SWEEP_AT: usize = 1024;

#[derive(Default)]
pub struct Cache {
    slots: Mutex<HashMap<String, Arc<Slot>>>,
}

#[derive(Default)]
struct Slot {
    value: OnceCell<Entry>,
}

#[derive(Clone)]
struct Entry {
    body: Bytes,
    expires: Instant,
}

impl Slot {
    fn expired(&self, now: Instant) -> bool {
        self.value.get().is_some_and(|e| e.expires <= now)
    }
}

/// A cached body and how much longer it may be used.
pub struct Hit {
    pub body: Bytes,
    pub remaining: Duration,
}

impl Cache {
    /// Returns the fresh entry for `key`, or runs `load` once for everyone waiting on it.
    /// A failed load is not cached: the next caller tries again.
    pub async fn get_or_load<F, Fut, E>(&self, key: &str, ttl: Duration, load: F) -> Result<Hit, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Bytes, E>>,
    {
        let slot = {
            let now = Instant::now();
            let mut slots = self.slots.lock().expect("cache lock poisoned");
            match slots.get(key) {
                Some(slot) if !slot.expired(now) => slot.clone(),
                _ => {
                    if slots.len() >= SWEEP_AT {
                        slots.retain(|_, s| !s.expired(now));
                    }
                    let slot = Arc::new(Slot::default());
                    slots.insert(key.to_string(), slot.clone());
                    slot
                }
            }
        };
        let entry = slot
            .value
            .get_or_try_init(|| async {
                let body = load().await?;
                Ok(Entry {
                    body,
                    expires: Instant::now() + ttl,
                })
            })
            .await?;
        Ok(Hit {
            body: entry.body.clone(),
            remaining: entry.expires.saturating_duration_since(Instant::now()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn concurrent_misses_run_one_load_and_share_its_answer() {
        let cache = Arc::new(Cache::default());
        let loads = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (cache, loads) = (cache.clone(), loads.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_load("members?", Duration::from_secs(60), || async {
                        loads.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok::<_, ()>(Bytes::from_static(b"answer"))
                    })
                    .await
                    .map(|hit| hit.body)
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap(), "answer");
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn entries_expire_and_failures_are_not_kept() {
        let cache = Cache::default();
        let ttl = Duration::from_millis(30);
        let err = cache
            .get_or_load("k", ttl, || async { Err::<Bytes, _>("down") })
            .await;
        assert!(err.is_err());
        let first = cache
            .get_or_load("k", ttl, || async {
                Ok::<_, ()>(Bytes::from_static(b"one"))
            })
            .await
            .unwrap();
        assert_eq!(first.body, "one");
        assert!(first.remaining <= ttl);
        let again = cache
            .get_or_load("k", ttl, || async {
                Ok::<_, ()>(Bytes::from_static(b"two"))
            })
            .await
            .unwrap();
        assert_eq!(again.body, "one", "still fresh");
        tokio::time::sleep(ttl).await;
        let later = cache
            .get_or_load("k", ttl, || async {
                Ok::<_, ()>(Bytes::from_static(b"two"))
            })
            .await
            .unwrap();
        assert_eq!(later.body, "two", "expired entry reloaded");
    }
}

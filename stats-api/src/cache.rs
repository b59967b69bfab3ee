//! An in-process cache of stat answers (the rows, not a rendered body): one entry per stat and
//! parameters, whatever the format or chart size asked, each kept for its stat's TTL.
//! Concurrent misses for one key share a single query. Its size is bounded in bytes
//! (`STATS_API_CACHE_BYTES`): past the bound, the least recently used answers go.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lru::LruCache;
use serde_json::{Map, Value};
use stats_contract::StatResult;
use tokio::sync::OnceCell;

/// The default bound: room for thousands of ordinary answers, a small share of a 512 MB Lambda.
pub const DEFAULT_BYTES: usize = 64 * 1024 * 1024;

/// Roughly how many bytes a value holds in memory, its heap included. What the bound counts.
pub trait Weight {
    fn weight(&self) -> usize;
}

pub struct Cache<V = Arc<StatResult>> {
    bound: usize,
    inner: Mutex<Inner<V>>,
}

struct Inner<V> {
    /// Most recently used first; pending loads too (they weigh nothing until loaded).
    slots: LruCache<String, Arc<Slot<V>>>,
    /// The sum of the loaded slots' weights.
    bytes: usize,
}

struct Slot<V> {
    value: OnceCell<Entry<V>>,
    /// Counted in `bytes` (0 until loaded and accounted).
    weight: AtomicUsize,
}

#[derive(Clone)]
struct Entry<V> {
    value: V,
    expires: Instant,
}

impl<V> Slot<V> {
    fn expired(&self, now: Instant) -> bool {
        self.value.get().is_some_and(|e| e.expires <= now)
    }
}

/// A cached value and how much longer it may be used.
pub struct Hit<V> {
    pub value: V,
    pub remaining: Duration,
}

impl<V: Clone + Weight> Cache<V> {
    /// A cache that holds at most `bound` bytes of values (as [`Weight`] counts them).
    pub fn new(bound: usize) -> Cache<V> {
        Cache {
            bound,
            inner: Mutex::new(Inner {
                slots: LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    /// The bytes its entries hold now, as the bound counts them.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    pub fn len(&self) -> usize {
        self.lock().slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<V>> {
        self.inner.lock().expect("cache lock poisoned")
    }

    /// Returns the fresh entry for `key`, or runs `load` once for everyone waiting on it.
    /// A failed load is not cached: the next caller tries again.
    pub async fn get_or_load<F, Fut, E>(
        &self,
        key: &str,
        ttl: Duration,
        load: F,
    ) -> Result<Hit<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let slot = {
            let now = Instant::now();
            let mut inner = self.lock();
            match inner.slots.get(key) {
                Some(slot) if !slot.expired(now) => slot.clone(),
                _ => {
                    let slot = Arc::new(Slot {
                        value: OnceCell::new(),
                        weight: AtomicUsize::new(0),
                    });
                    if let Some(old) = inner.slots.put(key.to_string(), slot.clone()) {
                        inner.bytes -= old.weight.load(Ordering::Relaxed);
                    }
                    slot
                }
            }
        };
        let mut loaded_here = false;
        let entry = slot
            .value
            .get_or_try_init(|| async {
                let value = load().await?;
                loaded_here = true;
                Ok(Entry {
                    value,
                    expires: Instant::now() + ttl,
                })
            })
            .await?;
        let hit = Hit {
            value: entry.value.clone(),
            remaining: entry.expires.saturating_duration_since(Instant::now()),
        };
        if loaded_here {
            self.account(key, &slot, entry.value.weight());
        }
        Ok(hit)
    }

    /// Counts a loaded entry (if it is still the one under `key`), then drops the least
    /// recently used entries until the cache is within its bound, this one too if it alone
    /// is over it.
    fn account(&self, key: &str, slot: &Arc<Slot<V>>, weight: usize) {
        let mut inner = self.lock();
        let current = inner.slots.peek(key).is_some_and(|s| Arc::ptr_eq(s, slot));
        if !current {
            return;
        }
        // The key itself is held twice (the map, the entry in the list).
        let weight = weight + 2 * key.len();
        slot.weight.store(weight, Ordering::Relaxed);
        inner.bytes += weight;
        while inner.bytes > self.bound {
            let Some((_, old)) = inner.slots.pop_lru() else {
                break;
            };
            inner.bytes -= old.weight.load(Ordering::Relaxed);
        }
    }
}

impl Default for Cache {
    fn default() -> Cache {
        Cache::new(DEFAULT_BYTES)
    }
}

impl<T: Weight> Weight for Arc<T> {
    fn weight(&self) -> usize {
        T::weight(self)
    }
}

impl Weight for StatResult {
    fn weight(&self) -> usize {
        std::mem::size_of::<StatResult>()
            + self.name.capacity()
            + self.title.capacity()
            + map_weight(&self.params)
            + self
                .columns
                .iter()
                .map(|c| std::mem::size_of_val(c) + c.name.capacity())
                .sum::<usize>()
            + self
                .rows
                .iter()
                .map(|r| std::mem::size_of_val(r) + map_weight(r))
                .sum::<usize>()
            + self.generated_at.as_ref().map_or(0, String::capacity)
            + self.chart_url.as_ref().map_or(0, String::capacity)
    }
}

/// A JSON object: each entry's key and value, and its slot in the ordered map's index.
fn map_weight(map: &Map<String, Value>) -> usize {
    const INDEX: usize = 2 * std::mem::size_of::<usize>();
    map.iter()
        .map(|(k, v)| std::mem::size_of::<String>() + k.capacity() + value_weight(v) + INDEX)
        .sum()
}

fn value_weight(value: &Value) -> usize {
    std::mem::size_of::<Value>()
        + match value {
            Value::String(s) => s.capacity(),
            Value::Array(items) => items.iter().map(value_weight).sum(),
            Value::Object(map) => map_weight(map),
            _ => 0,
        }
}

#[cfg(test)]
mod tests;

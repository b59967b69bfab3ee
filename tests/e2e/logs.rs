//! Log lines a test captures: the bot's readable layer, each thread's lines to its own test.

use std::sync::{Arc, Mutex};

use tracing_subscriber::prelude::*;

/// Logs written during a test, as readable lines.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

thread_local! {
    /// Where this thread's log lines go, while a test captures them.
    static CAPTURING: std::cell::RefCell<Option<Logs>> = const { std::cell::RefCell::new(None) };
}

/// Writes to the capturing test's buffer, if this thread has one.
struct ThreadWriter;

impl std::io::Write for ThreadWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURING.with(|c| {
            if let Some(logs) = c.borrow().as_ref() {
                logs.0.lock().unwrap().extend_from_slice(buf);
            }
        });
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct Capture;

impl Drop for Capture {
    fn drop(&mut self) {
        CAPTURING.with(|c| c.borrow_mut().take());
    }
}

impl Logs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Captures every log line of this thread (these tests run on one thread) until dropped.
    /// One global subscriber, the bot's readable layer, writes each thread's lines to its own
    /// test: a scoped subscriber per test would race with the others over which log sites are
    /// enabled.
    pub fn capture(&self) -> Capture {
        static INIT: std::sync::Once = std::sync::Once::new();
        INIT.call_once(|| {
            let _ = tracing_subscriber::registry()
                .with(tracing_subscriber::filter::LevelFilter::DEBUG)
                .with(service_kit::telemetry::text_layer(|| ThreadWriter, false))
                .try_init();
        });
        CAPTURING.with(|c| *c.borrow_mut() = Some(self.clone()));
        Capture
    }
}

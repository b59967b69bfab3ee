//! Work that goes on after the HTTP response (a slow answer on its way to `response_url`), and the
//! Lambda runtime layer that keeps an invocation alive until that work is done.
//!
//! On a local server a spawned task simply runs. On Lambda the execution environment is frozen
//! as soon as the runtime asks for the next event, so a task spawned by the handler would stall
//! until some later invocation thawed it. [`FinishDeferredLayer`] wraps the runtime's service:
//! the inner service posts the HTTP response to the Runtime API (Slack has its answer), then the
//! layer awaits every deferred task before returning, and only then does the runtime poll
//! `/next`.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};

use lambda_http::tower::{Layer, Service};
use tokio::task::JoinHandle;

/// The deferred tasks of this process. Cheap to clone; clones share the list.
#[derive(Clone, Default)]
pub struct Deferred {
    pending: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Deferred {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts `work` now, on its own task, and remembers it until [`finish`](Self::finish).
    pub fn spawn(&self, work: impl Future<Output = ()> + Send + 'static) {
        let handle = tokio::spawn(work);
        let mut pending = self.pending.lock().expect("lock poisoned");
        // A long-running local server would otherwise keep every handle it ever made.
        pending.retain(|task| !task.is_finished());
        pending.push(handle);
    }

    /// Tasks started and not yet finished.
    pub fn pending(&self) -> usize {
        let pending = self.pending.lock().expect("lock poisoned");
        pending.iter().filter(|task| !task.is_finished()).count()
    }

    /// Waits for every task spawned so far, including any spawned while waiting.
    pub async fn finish(&self) {
        loop {
            let batch = std::mem::take(&mut *self.pending.lock().expect("lock poisoned"));
            if batch.is_empty() {
                return;
            }
            for task in batch {
                if let Err(error) = task.await {
                    tracing::error!(%error, "a deferred answer's task failed");
                }
            }
        }
    }
}

impl std::fmt::Debug for Deferred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deferred")
            .field("pending", &self.pending())
            .finish()
    }
}

/// A tower layer for `lambda_runtime::Runtime::layer`: the invocation ends only once the
/// deferred work it started is done.
#[derive(Clone, Debug)]
pub struct FinishDeferredLayer {
    deferred: Deferred,
}

impl FinishDeferredLayer {
    pub fn new(deferred: Deferred) -> Self {
        FinishDeferredLayer { deferred }
    }
}

impl<S> Layer<S> for FinishDeferredLayer {
    type Service = FinishDeferred<S>;

    fn layer(&self, inner: S) -> Self::Service {
        FinishDeferred {
            inner,
            deferred: self.deferred.clone(),
        }
    }
}

/// The service [`FinishDeferredLayer`] makes. Generic over the request so it can be tested
/// without a Lambda runtime; on Lambda the request is a `LambdaInvocation`.
#[derive(Clone, Debug)]
pub struct FinishDeferred<S> {
    inner: S,
    deferred: Deferred,
}

impl<S, Request> Service<Request> for FinishDeferred<S>
where
    S: Service<Request, Response = ()>,
{
    type Response = ();
    type Error = S::Error;
    type Future = FinishDeferredFuture<S::Future, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        FinishDeferredFuture {
            respond: Box::pin(self.inner.call(request)),
            responded: None,
            deferred: self.deferred.clone(),
            finishing: None,
        }
    }
}

type Finishing = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Polls the inner service's future (which posts the response) to the end, then the deferred
/// work. Written out rather than boxed as `async` so the inner future needs no `'static`.
pub struct FinishDeferredFuture<F, E> {
    respond: Pin<Box<F>>,
    responded: Option<Result<(), E>>,
    deferred: Deferred,
    finishing: Option<Finishing>,
}

impl<F, E> Future for FinishDeferredFuture<F, E>
where
    F: Future<Output = Result<(), E>>,
{
    type Output = Result<(), E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if this.responded.is_none() {
            let result = ready!(this.respond.as_mut().poll(cx));
            this.responded = Some(result);
            // Even when posting the response failed: the work was started and should end.
            let deferred = this.deferred.clone();
            this.finishing = Some(Box::pin(async move { deferred.finish().await }));
        }
        if let Some(finishing) = this.finishing.as_mut() {
            ready!(finishing.as_mut().poll(cx));
            this.finishing = None;
        }
        Poll::Ready(this.responded.take().expect("polled after completion"))
    }
}

// The inner future is boxed and nothing else is ever pinned, so moving this future is fine.
impl<F, E> Unpin for FinishDeferredFuture<F, E> {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;
    use tower::ServiceExt;

    /// Stands for the runtime's inner service: "posts the response", which the layer must let
    /// happen before waiting, and registers deferred work as the bot's handler would.
    fn handler(
        deferred: Deferred,
        responded: Arc<AtomicBool>,
        work_done: Arc<AtomicBool>,
    ) -> impl Service<(), Response = (), Error = std::convert::Infallible> {
        tower::service_fn(move |()| {
            let (deferred, responded, work_done) =
                (deferred.clone(), responded.clone(), work_done.clone());
            async move {
                deferred.spawn(async move {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    work_done.store(true, Ordering::SeqCst);
                });
                responded.store(true, Ordering::SeqCst);
                Ok(())
            }
        })
    }

    #[tokio::test]
    async fn the_invocation_ends_only_after_the_deferred_work() {
        let deferred = Deferred::new();
        let (responded, work_done) = (Arc::default(), Arc::<AtomicBool>::default());
        let service = FinishDeferredLayer::new(deferred.clone()).layer(handler(
            deferred.clone(),
            Arc::clone(&responded),
            Arc::clone(&work_done),
        ));

        let mut invocation = Box::pin(service.oneshot(()));
        // The response goes out first; the invocation is still open while the work runs.
        let early = tokio::time::timeout(Duration::from_millis(50), invocation.as_mut()).await;
        assert!(
            early.is_err(),
            "the invocation ended before its deferred work"
        );
        assert!(
            responded.load(Ordering::SeqCst),
            "the response waits for nothing"
        );
        assert!(!work_done.load(Ordering::SeqCst));

        invocation.await.unwrap();
        assert!(
            work_done.load(Ordering::SeqCst),
            "returned before the work was done"
        );
        assert_eq!(deferred.pending(), 0);
    }

    #[tokio::test]
    async fn work_spawned_while_finishing_is_waited_for_too() {
        let deferred = Deferred::new();
        let done = Arc::new(AtomicBool::new(false));
        let (outer, flag) = (deferred.clone(), done.clone());
        deferred.spawn(async move {
            outer.spawn(async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                flag.store(true, Ordering::SeqCst);
            });
        });
        deferred.finish().await;
        assert!(done.load(Ordering::SeqCst));
    }
}

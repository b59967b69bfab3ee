//! One Socket Mode connection as Slack serves it: the ticket checked (once), `hello`, the
//! envelopes due again, then frames both ways — each ack recorded by its `envelope_id`.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_websockets::{Message, ServerBuilder};

use super::shared::{APP_ID, Command, Link, Shared, again, record_ack};

pub(super) async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(serve(stream, shared.clone()));
    }
}

/// One connection: the ticket checked (once), hello, envelopes due again, then frames both ways.
async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let Ok((request, mut socket)) = ServerBuilder::new().accept(stream).await else {
        return;
    };
    let ticket = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("ticket="))
        .unwrap_or_default()
        .to_string();
    let fresh = shared
        .tickets
        .lock()
        .expect("lock poisoned")
        .remove(&ticket);
    if request.uri().path() != "/link/" || !fresh {
        let _ = socket.send(Message::close(None, "invalid ticket")).await;
        return;
    }
    let id = shared.opened.fetch_add(1, Ordering::SeqCst) + 1;
    let (commands, mut inbox) = mpsc::unbounded_channel();
    let num_connections = {
        let mut links = shared.links.lock().expect("lock poisoned");
        links.push(Link {
            id,
            commands,
            leaving: false,
        });
        shared.peak.fetch_max(links.len() as u64, Ordering::SeqCst);
        links.len()
    };
    let hello = json!({
        "type": "hello",
        "num_connections": num_connections,
        "debug_info": {
            "host": "applink-stand-in",
            "build_number": 1,
            "approximate_connection_time": 18060,
        },
        "connection_info": { "app_id": APP_ID },
    });
    if socket.send(Message::text(hello.to_string())).await.is_ok() {
        shared.hellos.fetch_add(1, Ordering::SeqCst);
        shared.changed();
        let due: Vec<String> =
            std::mem::take(&mut *shared.redeliver.lock().expect("lock poisoned"));
        for frame in due.iter().filter_map(|id| again(&shared, id)) {
            let _ = socket.send(Message::text(frame)).await;
        }
        loop {
            tokio::select! {
                frame = socket.next() => match frame {
                    Some(Ok(message)) => {
                        if let Some(text) = message.as_text() {
                            record_ack(&shared, id, text);
                        } else if message.is_close() {
                            break;
                        }
                    }
                    _ => break,
                },
                command = inbox.recv() => match command {
                    Some(Command::Send(text)) => {
                        if socket.send(Message::text(text)).await.is_err() {
                            break;
                        }
                    }
                    Some(Command::SendThenDrop(text)) => {
                        let _ = socket.send(Message::text(text)).await;
                        // Long enough for the bot to read it on loopback.
                        tokio::time::sleep(Duration::from_millis(150)).await;
                        break;
                    }
                    Some(Command::Close) => {
                        let _ = socket.close().await;
                        break;
                    }
                    Some(Command::Silent) => {
                        // Holds the socket, reads nothing, until told to drop it.
                        while let Some(command) = inbox.recv().await {
                            if matches!(command, Command::Drop | Command::Close) {
                                break;
                            }
                        }
                        break;
                    }
                    Some(Command::Drop) | None => break,
                },
            }
        }
    }
    shared
        .links
        .lock()
        .expect("lock poisoned")
        .retain(|l| l.id != id);
    shared.changed();
}

//! The accept loop: HTTP/1.1 connections served by hyper with the limits axum's `serve` does
//! not set, and a shutdown that lets requests in flight finish, within a bound.
//!
//! - A connection must send a request's headers within `header_read_timeout` of starting to
//!   wait for them (also between requests on a kept-alive connection), or hyper closes it: a
//!   client that trickles a request line byte by byte, or opens connections and sends nothing,
//!   cannot hold them.
//! - When `stop` completes the listener is closed (new connections are refused), each open
//!   connection finishes the request it is serving and then closes (idle ones at once), and
//!   the loop returns when all have, or after `shutdown_grace` whichever comes first.
//! - TCP_NODELAY on every accepted connection: Nagle's algorithm would hold back the second
//!   write of a response (a file's contents after its headers) until the client ACKs the
//!   first, which clients delay by up to 40 ms.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

use crate::config::Limits;

/// Serves `router` on `listener` until `stop` completes, then shuts down as the module
/// documentation says. Returns whether every connection finished within the grace period.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: impl Future<Output = ()> + Send + 'static,
) -> bool {
    // `true` once the server is stopping; each connection task holds a receiver.
    let (stopping, stopping_rx) = watch::channel(false);
    // Each connection task holds a clone of `open`; `opened.closed()` completes when all are gone.
    let (opened, open) = watch::channel(());
    tokio::pin!(stop);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // the listener itself is fine, so wait a moment and go on.
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("setting TCP_NODELAY on an accepted connection: {e}");
        }
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(remote));
            router.clone().oneshot(request)
        });
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout);
        let mut stopping = stopping_rx.clone();
        let open = open.clone();
        tokio::spawn(async move {
            let connection = builder.serve_connection(TokioIo::new(tcp), service);
            tokio::pin!(connection);
            let mut told = false;
            loop {
                tokio::select! {
                    served = connection.as_mut() => {
                        if let Err(e) = served {
                            tracing::debug!("connection from {remote}: {e}");
                        }
                        break;
                    }
                    _ = stopping.wait_for(|stopping| *stopping), if !told => {
                        told = true;
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(open);
        });
    }
    drop(listener);
    drop(open);
    let _ = stopping.send(true);
    let in_flight = opened.receiver_count();
    if in_flight > 0 {
        tracing::info!(
            "stopping: waiting up to {:?} for {in_flight} connection(s) to finish",
            limits.shutdown_grace
        );
    }
    match tokio::time::timeout(limits.shutdown_grace, opened.closed()).await {
        Ok(()) => true,
        Err(_) => {
            tracing::warn!(
                "stopping: {} connection(s) still open after {:?}; closing them",
                opened.receiver_count(),
                limits.shutdown_grace
            );
            false
        }
    }
}

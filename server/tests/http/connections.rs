//! How the server treats the connections it accepts.

use std::io::{Read, Write};

use super::*;

/// Without TCP_NODELAY on the socket the server accepted, a response it writes in two parts
/// (the headers, then a file's contents read off the blocking pool) waits for the client's
/// delayed ACK of the first part: about 40 ms per response on a kept-alive connection. How
/// often a response is written in two parts depends on timing, so the test reads the option
/// on the server's end of a connection (the server runs in this process) instead of timing it.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_server_sends_small_writes_at_once_on_the_connections_it_accepts() {
    let app = spawn_empty().await;
    let port: u16 = app
        .base
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("the server's port");
    let mut client =
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("a connection to the server");
    let request = format!(
        "GET /pkg/debrief.css HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: keep-alive\r\n\r\n"
    );
    client
        .write_all(request.as_bytes())
        .expect("the request is sent");
    let mut status = [0u8; 12];
    client
        .read_exact(&mut status)
        .expect("the server answers on the connection");
    assert_eq!(&status, b"HTTP/1.1 200");
    let client_port = client.local_addr().expect("the client's address").port();
    let accepted = server_end_of(port, client_port).expect("the server's end of the connection");
    assert!(
        accepted.nodelay().expect("the socket's TCP_NODELAY"),
        "the server's socket waits to fill a segment before it sends (TCP_NODELAY is off)"
    );
}

/// This process's socket bound to `server_port` and connected to `client_port`, duplicated.
#[cfg(target_os = "linux")]
fn server_end_of(server_port: u16, client_port: u16) -> Option<std::net::TcpStream> {
    use std::os::fd::{BorrowedFd, RawFd};
    let fds = std::fs::read_dir("/proc/self/fd").ok()?;
    for entry in fds.flatten() {
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<RawFd>().ok())
        else {
            continue;
        };
        // SAFETY: the descriptor is only duplicated, never used or closed through the borrow;
        // if another thread closed it since it was listed, duplicating it fails and it is skipped.
        #[allow(unsafe_code)] // The one unsafe block in Debrief; see SAFETY above.
        let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
        let Ok(owned) = borrowed.try_clone_to_owned() else {
            continue;
        };
        let stream = std::net::TcpStream::from(owned);
        let ports = stream
            .local_addr()
            .and_then(|local| Ok((local.port(), stream.peer_addr()?.port())));
        if ports.ok() == Some((server_port, client_port)) {
            return Some(stream);
        }
    }
    None
}

//! SIGTERM to the real binary: requests in flight finish, and it exits 0 within its grace
//! period.

use super::*;

/// The real binary, serving a fresh SQLite database on a free port; its stderr lines are
/// collected as they come.
struct Process {
    child: std::process::Child,
    port: u16,
    stderr: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

fn start_binary(grace_secs: u64) -> Process {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.path().join("d.db").display()),
        )
        .env("DEBRIEF_ADDR", "127.0.0.1:0")
        .env("LEPTOS_SITE_ROOT", site_root())
        .env("DEBRIEF_LOG_FORMAT", "json")
        .env("RUST_LOG", "info,sqlx=warn,sea_orm=warn")
        .env("DEBRIEF_SHUTDOWN_GRACE_SECS", grace_secs.to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    let pipe = child.stderr.take().unwrap();
    let lines = stderr.clone();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let _ = port_tx.send(port.parse::<u16>().unwrap());
            }
            lines.lock().unwrap().push(line);
        }
    });
    let port = port_rx
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| {
            panic!(
                "the server did not say where it listens: {:?}",
                stderr.lock().unwrap()
            )
        });
    Process {
        child,
        port,
        stderr,
        _dir: dir,
    }
}

/// Opens a request whose body is only partly sent: the server has accepted it and waits for
/// the rest.
async fn half_sent_post(port: u16) -> tokio::net::TcpStream {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let body_start = "form%5Bemail%5D=nobody%40example.com";
    let head = format!(
        "POST /api/account/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body_start}",
        body_start.len() + "&form%5Bpassword%5D=x".len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

#[tokio::test]
async fn sigterm_lets_requests_in_flight_finish_and_exits_0_within_the_grace_period() {
    let mut server = start_binary(3);
    let base = format!("http://127.0.0.1:{}", server.port);
    let client = reqwest::Client::new();
    let (status, _, _) = get_with_id(&client, &format!("{base}/readyz")).await;
    assert_eq!(status, 200);

    // A load running through the signal.
    let running = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let mut load = Vec::new();
    for _ in 0..4 {
        let client = client.clone();
        let url = format!("{base}/healthz");
        let running = running.clone();
        load.push(tokio::spawn(async move {
            let (mut answered, mut refused, mut other) = (0u64, 0u64, Vec::new());
            while running.load(std::sync::atomic::Ordering::Relaxed) {
                match client.get(&url).send().await {
                    Ok(response) => {
                        assert_eq!(response.status(), 200, "no request fails while stopping");
                        response.text().await.expect("a whole body");
                        answered += 1;
                    }
                    Err(e) if e.is_connect() => {
                        refused += 1;
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    Err(e) => {
                        other.push(e.to_string());
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }
            (answered, refused, other)
        }));
    }
    // One request that will be finished after the signal, one that never will.
    let mut finishing = half_sent_post(server.port).await;
    let _stalled = half_sent_post(server.port).await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let signalled = Instant::now();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    finishing.write_all(b"&form%5Bpassword%5D=x").await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(
        Duration::from_secs(5),
        finishing.read_to_string(&mut answer),
    )
    .await
    .expect("the request in flight is answered")
    .expect("a whole answer");
    assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
    assert!(!answer.starts_with("HTTP/1.1 5"), "{answer}");

    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM with a 3 s grace period"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let took = signalled.elapsed();
    running.store(false, std::sync::atomic::Ordering::Relaxed);
    assert!(
        exit.success(),
        "{exit:?}: {:?}",
        server.stderr.lock().unwrap()
    );
    assert!(
        took >= Duration::from_millis(2500),
        "it waited for the stalled request, up to the grace period: {took:?}"
    );

    let (mut answered, mut other) = (0, Vec::new());
    for task in load {
        let (a, _refused, o) = task.await.unwrap();
        answered += a;
        other.extend(o);
    }
    assert!(answered > 0);
    // Every request the server accepted has its line; a request it logged but the client did
    // not get whole would make more lines than answers.
    std::thread::sleep(Duration::from_millis(200));
    let stderr = server.stderr.lock().unwrap().clone();
    let logged = stderr
        .iter()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["route"] == "/healthz" && line["status"] == 200)
        .count() as u64;
    assert_eq!(
        logged, answered,
        "requests the server answered but the load lost (errors: {other:?})"
    );
    assert!(
        stderr
            .iter()
            .all(|line| serde_json::from_str::<Value>(line).is_ok()),
        "every line is JSON: {stderr:?}"
    );
}

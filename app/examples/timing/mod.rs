//! What the read benchmarks share: their arguments (the seeded database's path, how many
//! runs), and timing a read over the runs, after one to warm up.

use std::future::Future;
use std::time::Instant;

/// Runs `run` once to warm up, then `runs` times, and prints the mean time of one run.
pub async fn time<T, F: Future<Output = T>>(name: &str, runs: u32, mut run: impl FnMut() -> F) {
    run().await;
    let started = Instant::now();
    for _ in 0..runs {
        run().await;
    }
    let each = started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    println!("{name:<40} {each:>8.2} ms");
}

/// The seeded SQLite file's path (the first argument) and how many runs (the second; 20 when
/// not given).
pub fn args() -> (String, u32) {
    let path = std::env::args().nth(1).expect("the seeded database's path");
    let runs = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    (path, runs)
}

//! What the read benchmarks share: timing a read over a number of runs, after one to warm up.

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

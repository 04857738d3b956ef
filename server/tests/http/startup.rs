//! Starting applications in a process where another one already serves, as every test process
//! does.

use super::*;

/// Every `Application::build` lists the app's routes. Listing them renders the app under
/// Leptos' process-wide `SuppressResourceLoad`, and a resource created on any thread meanwhile
/// never loads: when each build listed them afresh, a page that another application of the
/// same process was rendering at that moment never finished (the test servers' occasional
/// stalled page). Listing them over and over while pages render makes that moment last.
#[tokio::test]
async fn pages_keep_loading_while_the_routes_are_listed_again() {
    let app = spawn().await;
    let page = app.load_example().await;
    let listing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let lister = {
        let listing = listing.clone();
        common::on_server(async move {
            tokio::task::spawn_blocking(move || {
                while listing.load(std::sync::atomic::Ordering::Relaxed) {
                    server::startup::route_list();
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
            })
            .await
        })
    };
    let lister = tokio::spawn(lister);
    let mut readers = Vec::new();
    for _ in 0..4 {
        let client = app.client.clone();
        let url = app.url(&page);
        readers.push(tokio::spawn(async move {
            for read in 0..5 {
                let response = client
                    .get(&url)
                    .header("accept", "text/html")
                    .timeout(std::time::Duration::from_secs(10))
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status);
                match response {
                    Ok(response) => {
                        response.text().await.expect("the page's HTML");
                    }
                    Err(e) => return Err(format!("read {read} of {url}: {e:?}")),
                }
            }
            Ok(())
        }));
    }
    let mut outcomes = Vec::new();
    for reader in readers {
        outcomes.push(reader.await.expect("the reader finishes"));
    }
    listing.store(false, std::sync::atomic::Ordering::Relaxed);
    lister
        .await
        .expect("the lister finishes")
        .expect("the listing thread finishes");
    for outcome in outcomes {
        assert!(outcome.is_ok(), "a page never finished: {outcome:?}");
    }
}

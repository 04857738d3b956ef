//! What a page costs to send: the worked example's postmortem page carries what it shows and
//! the few islands' props, not lists it never shows nor the same data twice.

use super::*;

/// The page's body as sent for `accept_encoding` (reqwest here decodes nothing). Pages go out
/// gzipped or as they are (see `startup`).
async fn sent(app: &common::TestApp, path: &str, accept_encoding: &str) -> Vec<u8> {
    let response = app
        .client
        .get(app.url(path))
        .header("accept", "text/html")
        .header("accept-encoding", accept_encoding)
        .send()
        .await
        .expect("the page answers");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.bytes().await.expect("a whole body").to_vec()
}

#[tokio::test]
async fn the_worked_examples_postmortem_page_weighs_at_most_40_kb_and_12_kb_compressed() {
    let app = spawn().await;
    let page = app.load_example().await;
    let raw = sent(&app, &page, "identity").await;
    let gzip = sent(&app, &page, "gzip").await;
    if let Ok(dump) = std::env::var("DEBRIEF_DUMP_PAGE") {
        std::fs::write(dump, &raw).expect("the page written out");
    }
    eprintln!(
        "postmortem page: {} B raw, {} B gzip",
        raw.len(),
        gzip.len()
    );
    let html = String::from_utf8(raw.clone()).expect("an HTML page");
    assert!(
        text_of(&html).contains("Customer logins failed across all products"),
        "the page shows the worked example"
    );
    assert!(raw.len() <= 40 * 1024, "{} bytes raw", raw.len());
    assert!(gzip.len() < raw.len(), "the page is sent compressed");
    assert!(gzip.len() <= 12 * 1024, "{} bytes gzipped", gzip.len());
}

#[tokio::test]
async fn the_time_zone_list_is_not_sent_with_every_page() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (_, html) = app.page(&page).await;
    assert!(
        !html.contains("Pacific/Chatham"),
        "a page outside the zone picker names every time zone"
    );
}

/// Pages are not hydrated as a whole (islands mode): no script carries the page's data again.
#[tokio::test]
async fn no_script_on_a_page_carries_its_data_again() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (_, html) = app.page(&page).await;
    let scripts: Vec<&str> = html
        .split("<script")
        .skip(1)
        .filter_map(|s| s.split("</script>").next())
        .collect();
    assert!(!scripts.is_empty(), "the page loads its islands");
    for script in scripts {
        for shown in [
            "Customer logins failed",
            "concurrency",
            "Restart of all Java",
        ] {
            assert!(
                !script.contains(shown),
                "a script carries {shown:?}: {script}"
            );
        }
    }
}

#[tokio::test]
async fn rendered_markdown_is_sent_once_not_again_in_the_hydration_data() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (_, html) = app.page(&page).await;
    let sentence = "broke metrics collection for the Java applications";
    assert_eq!(
        html.matches(sentence).count(),
        1,
        "a timeline entry's text is in the page once"
    );
}

//! How wrong passwords are limited: counted before they are checked (so concurrent guesses stay
//! within the limit), per account and address (so a stranger cannot lock the owner out),
//! the client address behind a trusted proxy (`DEBRIEF_TRUSTED_PROXIES`) and nowhere else, the
//! same limit on changing one's password, and pages that keep answering while passwords hash.

use app::api::account::{ChangePassword, LogIn};
use app::domain::account::Role;
use leptos::server_fn::ServerFn;

use super::support::{bare_client, who_am_i};
use super::table::NEW_PASSWORD;
use crate::common::{ADMIN_EMAIL, PASSWORD, TestApp, on_server, spawn, spawn_empty_configured};

const WRONG: &str = "not the password at all";

/// A running Debrief behind a reverse proxy on 127.0.0.1 (the test client plays the proxy), with
/// the admin logged in.
async fn spawn_behind_proxy() -> TestApp {
    let app = spawn_empty_configured(|config| {
        config.trusted_proxies =
            app::server::proxies::TrustedProxies::parse("127.0.0.1").expect("an address");
    })
    .await;
    app.add_user(ADMIN_EMAIL, "Ada Admin", Role::Admin).await;
    let (status, _) = app.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the admin logs in");
    app
}

/// Logs in as a program would with `X-Forwarded-For: forwarded_for`; status and body.
async fn log_in_from(
    app: &TestApp,
    email: &str,
    password: &str,
    forwarded_for: &str,
) -> (u16, String) {
    let response = bare_client()
        .post(app.url(LogIn::PATH))
        .header("x-forwarded-for", forwarded_for)
        .form(&[("form[email]", email), ("form[password]", password)])
        .send()
        .await
        .expect("the login answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

#[tokio::test]
async fn of_sixteen_wrong_passwords_sent_at_once_only_five_are_checked() {
    let app = spawn().await;
    let email = "target@example.com";
    app.add_user(email, "Tara Target", Role::Author).await;
    let mut guesses = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let browser = app.anonymous();
        guesses.spawn(async move {
            browser
                .call(
                    LogIn::PATH,
                    &[("form[email]", email), ("form[password]", WRONG)],
                )
                .await
        });
    }
    let (mut checked, mut refused) = (0, 0);
    while let Some(answer) = guesses.join_next().await {
        let (status, body) = answer.expect("the guess finishes");
        match status {
            422 => checked += 1,
            429 => {
                assert!(body.contains("Too many failed logins"), "{body}");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(
        (checked, refused),
        (5, 11),
        "five passwords checked, the rest refused unchecked"
    );
}

#[tokio::test]
async fn a_stranger_failing_elsewhere_cannot_lock_the_owner_out() {
    let app = spawn_behind_proxy().await;
    let email = "owner@example.com";
    app.add_user(email, "Owen Owner", Role::Author).await;
    let stranger = "203.0.113.7";
    for attempt in 1..=5 {
        let (status, body) = log_in_from(&app, email, WRONG, stranger).await;
        assert_eq!(status, 422, "attempt {attempt}: {body}");
    }
    for (what, forwarded_for) in [
        ("the stranger's address", stranger),
        ("a forged left-most entry", "198.51.100.2, 203.0.113.7"),
    ] {
        let (status, body) = log_in_from(&app, email, PASSWORD, forwarded_for).await;
        assert_eq!(
            status, 429,
            "{what} is stopped, even with the password: {body}"
        );
        assert!(body.contains("Too many failed logins"), "{body}");
    }

    let owner = "198.51.100.2";
    let (status, body) = log_in_from(&app, email, PASSWORD, owner).await;
    assert_eq!(
        status, 200,
        "the owner logs in from their own address: {body}"
    );

    // Strangers in many places push the account past its slowdown: new addresses must wait,
    // the owner's address, where they logged in before, does not.
    let db = app.db.clone();
    let account_key = format!("account:{email}");
    on_server(async move {
        let keys = vec![account_key; 10];
        app::server::repo::accounts::record_attempt(&db, &keys, chrono::Utc::now())
            .await
            .expect("failures recorded");
    })
    .await;
    let (status, body) = log_in_from(&app, email, PASSWORD, "192.0.2.44").await;
    assert_eq!(status, 429, "a new address waits: {body}");
    assert!(body.contains("from elsewhere"), "{body}");
    let (status, body) = log_in_from(&app, email, PASSWORD, owner).await;
    assert_eq!(status, 200, "the owner's address does not: {body}");
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_addresses_are_ignored() {
    let app = spawn().await;
    let email = "shifty@example.com";
    app.add_user(email, "Sam Shifty", Role::Author).await;
    for attempt in 1..=5 {
        let forged = format!("203.0.113.{attempt}");
        let (status, body) = log_in_from(&app, email, WRONG, &forged).await;
        assert_eq!(status, 422, "attempt {attempt}: {body}");
    }
    let (status, body) = log_in_from(&app, email, PASSWORD, "198.51.100.2").await;
    assert_eq!(
        status, 429,
        "every attempt came from the same peer, whatever the header said: {body}"
    );
}

#[tokio::test]
async fn changing_ones_password_is_limited_like_logging_in() {
    let app = spawn().await;
    let email = "changer@example.com";
    app.add_user(email, "Cass Changer", Role::Author).await;
    let browser = app.anonymous();
    let (status, _) = browser.log_in(email, PASSWORD).await;
    assert_eq!(status, 302);
    let change = |current: &'static str| {
        let browser = browser.clone();
        async move {
            browser
                .call(
                    ChangePassword::PATH,
                    &[
                        ("form[current_password]", current),
                        ("form[new_password]", NEW_PASSWORD),
                        ("form[confirm_password]", NEW_PASSWORD),
                    ],
                )
                .await
        }
    };
    for attempt in 1..=5 {
        let (status, body) = change(WRONG).await;
        assert_eq!(status, 422, "attempt {attempt}: {body}");
    }
    let (status, body) = change(PASSWORD).await;
    assert_eq!(status, 429, "stopped even with the right one: {body}");
    assert!(body.contains("Too many"), "{body}");
    assert!(
        who_am_i(&browser).await.is_some(),
        "still logged in: the session was not ended"
    );
    let (status, _) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", email), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "the password is unchanged");
}

/// Passwords hash on blocking threads (see `password::verify_off_thread` and its unit test),
/// so a burst of logins leaves the async workers free to serve pages.
#[tokio::test]
async fn a_page_answers_while_eight_logins_are_hashing() {
    let app = spawn().await;
    let mut logins = tokio::task::JoinSet::new();
    for n in 0..8 {
        let email = format!("burst-{n}@example.com");
        app.add_user(&email, &format!("Burst {n}"), Role::Viewer)
            .await;
        let browser = app.anonymous();
        logins.spawn(async move { browser.log_in(&email, PASSWORD).await.0 });
    }
    let page = bare_client()
        .get(app.url("/login"))
        .header("accept", "text/html")
        .timeout(std::time::Duration::from_secs(10))
        .send()
        .await
        .expect("the page answers within 10 s while the logins hash");
    assert_eq!(page.status().as_u16(), 200);
    while let Some(status) = logins.join_next().await {
        assert_eq!(
            status.expect("the login finishes"),
            302,
            "each login succeeds"
        );
    }
}

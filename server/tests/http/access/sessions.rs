//! The session cookie, how sessions start and end, and the limits on logging in.

use app::api::account::{ChangePassword, LogIn, LogOut, WhoAmI};
use app::api::incidents::ListIncidents;
use app::api::users::{ListUsers, UpdateUser};
use app::domain::account::{Role, User};
use leptos::server_fn::ServerFn;

use super::support::{bare_client, open_page, who_am_i};
use super::table::NEW_PASSWORD;
use crate::common::{ADMIN_EMAIL, PASSWORD, TestApp, on_server, spawn};

/// Logs in as a program would, sending `cookie` (a session token) if given and `headers`.
async fn log_in_by_hand(
    app: &TestApp,
    email: &str,
    password: &str,
    cookie: Option<&str>,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = bare_client()
        .post(app.url(LogIn::PATH))
        .form(&[("form[email]", email), ("form[password]", password)]);
    if let Some(token) = cookie {
        request = request.header("cookie", format!("debrief_session={token}"));
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("the login answers")
}

/// The `Set-Cookie` header that sets `debrief_session`.
fn session_set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("debrief_session="))
        .map(str::to_owned)
}

/// The session token a response sets.
fn session_token(response: &reqwest::Response) -> String {
    let cookie = session_set_cookie(response).expect("a session cookie is set");
    cookie["debrief_session=".len()..]
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Who a session token belongs to now, asked of `account/me`.
async fn user_of(app: &TestApp, token: &str) -> Option<User> {
    let response = bare_client()
        .post(app.url(WhoAmI::PATH))
        .header("cookie", format!("debrief_session={token}"))
        .send()
        .await
        .expect("account/me answers");
    assert_eq!(response.status().as_u16(), 200);
    serde_json::from_str(&response.text().await.expect("a body")).expect("a user or null")
}

/// Whether a page asked for with this token is sent to the login page.
async fn sent_to_login(app: &TestApp, token: &str) -> bool {
    let (status, location) = open_page(app, "/follow-ups", Some(token)).await;
    status == 303 && location.is_some_and(|l| l.starts_with("/login?next="))
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_lax_and_secure_only_over_https() {
    let app = spawn().await;

    let response = log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, None, &[]).await;
    assert!(response.status().is_success(), "{}", response.status());
    let cookie = session_set_cookie(&response).expect("a session cookie");
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert!(attributes.contains(&"HttpOnly"), "{cookie}");
    assert!(attributes.contains(&"SameSite=Lax"), "{cookie}");
    assert!(attributes.contains(&"Path=/"), "{cookie}");
    assert!(
        !attributes.contains(&"Secure"),
        "not Secure over plain http, or the browser would never send it back: {cookie}"
    );
    assert!(session_token(&response).len() >= 32, "a long random token");

    let response = log_in_by_hand(
        &app,
        ADMIN_EMAIL,
        PASSWORD,
        None,
        &[("x-forwarded-proto", "https")],
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
    let cookie = session_set_cookie(&response).expect("a session cookie");
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert!(
        attributes.contains(&"Secure")
            && attributes.contains(&"HttpOnly")
            && attributes.contains(&"SameSite=Lax"),
        "behind an HTTPS proxy the cookie is Secure too: {cookie}"
    );
}

#[tokio::test]
async fn each_login_starts_a_new_session_and_ends_the_one_the_browser_had() {
    let app = spawn().await;
    let first = session_token(&log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, None, &[]).await);
    assert_eq!(
        user_of(&app, &first).await.map(|u| u.email).as_deref(),
        Some(ADMIN_EMAIL)
    );

    // The same browser logs in again, sending the session it has.
    let second =
        session_token(&log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, Some(&first), &[]).await);
    assert_ne!(first, second, "a new session id on each login");
    assert_eq!(
        user_of(&app, &first).await,
        None,
        "the old token no longer works"
    );
    assert!(sent_to_login(&app, &first).await);
    assert_eq!(
        user_of(&app, &second).await.map(|u| u.email).as_deref(),
        Some(ADMIN_EMAIL)
    );

    // A token planted before login (session fixation) is never the one the session gets.
    let planted = "0000000000000000000000000000000000000000000000000000000000000000";
    let third =
        session_token(&log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, Some(planted), &[]).await);
    assert_ne!(third, planted);
    assert_eq!(user_of(&app, planted).await, None);
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = spawn().await;
    let token = session_token(&log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, None, &[]).await);
    assert!(user_of(&app, &token).await.is_some());

    let response = bare_client()
        .post(app.url(LogOut::PATH))
        .header("cookie", format!("debrief_session={token}"))
        .send()
        .await
        .expect("logout answers");
    assert!(response.status().is_success(), "{}", response.status());
    let cleared = session_set_cookie(&response).expect("the cookie is cleared");
    assert!(
        cleared.starts_with("debrief_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );

    assert_eq!(user_of(&app, &token).await, None);
    assert!(
        sent_to_login(&app, &token).await,
        "pages send the old cookie to the login page"
    );
    let response = bare_client()
        .post(app.url(ListIncidents::PATH))
        .header("cookie", format!("debrief_session={token}"))
        .form(&[("status", ""), ("severity", "")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        response.status().as_u16(),
        401,
        "server functions refuse the old cookie"
    );
}

#[tokio::test]
async fn changing_ones_password_ends_ones_other_sessions() {
    let app = spawn().await;
    let email = "changer@example.com";
    app.add_user(email, "Chris Changer", Role::Author).await;
    let here = session_token(&log_in_by_hand(&app, email, PASSWORD, None, &[]).await);
    let elsewhere = session_token(&log_in_by_hand(&app, email, PASSWORD, None, &[]).await);
    let bystander = session_token(&log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, None, &[]).await);

    let response = bare_client()
        .post(app.url(ChangePassword::PATH))
        .header("cookie", format!("debrief_session={here}"))
        .form(&[
            ("form[current_password]", PASSWORD),
            ("form[new_password]", NEW_PASSWORD),
            ("form[confirm_password]", NEW_PASSWORD),
        ])
        .send()
        .await
        .expect("an answer");
    assert!(response.status().is_success(), "{}", response.status());
    let renewed = session_token(&response);

    assert_eq!(
        user_of(&app, &elsewhere).await,
        None,
        "the other session ended"
    );
    assert!(sent_to_login(&app, &elsewhere).await);
    assert_eq!(user_of(&app, &here).await, None, "this session starts anew");
    assert_eq!(
        user_of(&app, &renewed).await.map(|u| u.email).as_deref(),
        Some(email),
        "the browser that changed it stays logged in"
    );
    assert!(
        user_of(&app, &bystander).await.is_some(),
        "other people's sessions go on"
    );

    let (status, _) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", email), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 422, "the old password no longer works");
    let (status, _) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", email), ("form[password]", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "the new one does");
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing() {
    let app = spawn().await;
    let (status, body) = app
        .call(
            ChangePassword::PATH,
            &[
                ("form[current_password]", "not my password at all"),
                ("form[new_password]", NEW_PASSWORD),
                ("form[confirm_password]", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("current_password"), "{body}");
    let (status, _) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", ADMIN_EMAIL), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "the password is unchanged");
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions() {
    let app = spawn().await;
    let email = "leaver@example.com";
    let id = app.add_user(email, "Lee Leaver", Role::Author).await;
    let token = session_token(&log_in_by_hand(&app, email, PASSWORD, None, &[]).await);
    assert!(user_of(&app, &token).await.is_some());

    let (status, body) = app
        .call(
            UpdateUser::PATH,
            &[("id", &id.to_string()), ("role", "author")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(user_of(&app, &token).await, None, "their session ended");
    assert!(sent_to_login(&app, &token).await);

    let (status, body) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", email), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 403, "a deactivated account cannot log in: {body}");

    let (status, body) = app
        .call(
            UpdateUser::PATH,
            &[
                ("id", &id.to_string()),
                ("role", "author"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let response = log_in_by_hand(&app, email, PASSWORD, None, &[]).await;
    assert!(
        response.status().is_success(),
        "reactivated, they can log in again"
    );
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_or_deactivated() {
    let app = spawn().await;
    let admin = who_am_i(&app).await.expect("the admin is logged in").id;
    let admin = admin.to_string();
    for (what, fields) in [
        (
            "demoted",
            vec![("id", admin.as_str()), ("role", "author"), ("active", "on")],
        ),
        (
            "deactivated",
            vec![("id", admin.as_str()), ("role", "admin")],
        ),
    ] {
        let (status, body) = app.call(UpdateUser::PATH, &fields).await;
        assert_eq!(status, 422, "the last admin cannot be {what}: {body}");
        assert!(body.contains("last active admin"), "{body}");
    }
    assert_eq!(
        who_am_i(&app).await.map(|u| (u.role, u.active)),
        Some((Role::Admin, true)),
        "still an active admin"
    );

    // With a second admin, the first may step down, and loses the admin's functions at once.
    app.add_user("second-admin@example.com", "Sam Second", Role::Admin)
        .await;
    let (status, body) = app
        .call(
            UpdateUser::PATH,
            &[("id", admin.as_str()), ("role", "author"), ("active", "on")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app.call(ListUsers::PATH, &[]).await;
    assert_eq!(status, 403, "no longer an admin");
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = spawn().await;
    let mut survivor = (
        app.browser.clone(),
        who_am_i(&app).await.expect("the admin is logged in").id,
    );
    // The race is narrow: several rounds, each with a fresh second admin.
    for round in 1..=5 {
        let email = format!("rival-{round}@example.com");
        let rival_id = app.add_user(&email, "Riley Rival", Role::Admin).await;
        let rival = app.anonymous();
        let (status, _) = rival.log_in(&email, PASSWORD).await;
        assert_eq!(status, 302, "round {round}: the rival logs in");
        let demote = |browser: crate::common::Browser, id: i64| async move {
            let id = id.to_string();
            browser
                .call(
                    UpdateUser::PATH,
                    &[("id", id.as_str()), ("role", "author"), ("active", "on")],
                )
                .await
        };
        let (by_survivor, by_rival) = tokio::join!(
            demote(survivor.0.clone(), rival_id),
            demote(rival.clone(), survivor.1)
        );
        let db = app.db.clone();
        let admins = on_server(async move {
            app::server::repo::accounts::active_admins(&db)
                .await
                .expect("the admins are counted")
        })
        .await;
        assert_eq!(
            admins, 1,
            "round {round}: one admin remains ({by_survivor:?}, {by_rival:?})"
        );
        match (by_survivor.0, by_rival.0) {
            (200, _) => {}
            (_, 200) => survivor = (rival, rival_id),
            _ => {
                panic!("round {round}: neither demotion went through: {by_survivor:?} {by_rival:?}")
            }
        }
    }
}

#[tokio::test]
async fn a_wrong_password_is_a_422_and_five_failures_lock_the_account_for_a_while() {
    let app = spawn().await;
    let email = "forgetful@example.com";
    app.add_user(email, "Fran Forgetful", Role::Viewer).await;
    let browser = app.anonymous();
    for attempt in 1..=5 {
        let (status, body) = browser
            .call(
                LogIn::PATH,
                &[("form[email]", email), ("form[password]", "wrong password")],
            )
            .await;
        assert_eq!(status, 422, "attempt {attempt}: {body}");
        assert!(body.contains("do not match"), "{body}");
    }
    let (status, body) = browser
        .call(
            LogIn::PATH,
            &[("form[email]", email), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 429, "locked even with the right password: {body}");
    assert!(body.contains("Too many failed logins"), "{body}");
    assert_eq!(who_am_i(&browser).await, None, "not logged in");

    // The limit is per account: someone else logs in from the same address.
    let (status, body) = browser
        .call(
            LogIn::PATH,
            &[("form[email]", ADMIN_EMAIL), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_page_without_a_session_redirects_to_login_and_back() {
    let app = spawn().await;
    for (page, next) in [
        ("/", "/"),
        ("/follow-ups", "/follow-ups"),
        (
            "/incidents/3?edit=timeline-1",
            "/incidents/3%3Fedit%3Dtimeline-1",
        ),
    ] {
        let (status, location) = open_page(&app, page, None).await;
        assert_eq!(status, 303, "{page}");
        assert_eq!(
            location.as_deref(),
            Some(format!("/login?next={next}").as_str()),
            "{page}"
        );
    }
    let (status, location) = open_page(&app, "/", Some("not-a-session")).await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/login?next=/")),
        "an unknown token is no session"
    );
    let (status, _) = app.anonymous().page("/login").await;
    assert_eq!(status, 200, "the login page itself is open");
    let (status, _) = app
        .anonymous()
        .call(ListIncidents::PATH, &[("status", ""), ("severity", "")])
        .await;
    assert_eq!(
        status, 401,
        "server functions answer 401 instead of redirecting"
    );
}

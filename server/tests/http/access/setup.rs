//! Before the first account: pages go to setup, which makes the first admin, and the
//! command line that makes an admin.

use app::api::account::CreateFirstAdmin;
use app::api::users::ListUsers;
use app::domain::account::{Role, User};
use leptos::server_fn::ServerFn;

use super::support::{Args, args, fields, json, open_page, who_am_i};
use crate::common::{PASSWORD, on_server, spawn_empty};

#[tokio::test]
async fn before_the_first_account_pages_redirect_to_setup() {
    let app = spawn_empty().await;
    for page in ["/", "/follow-ups", "/login?next=/x"] {
        let (status, location) = open_page(&app, page, None).await;
        if page.starts_with("/login") {
            assert_eq!(status, 200, "the login page is open");
            continue;
        }
        assert_eq!(
            (status, location.as_deref()),
            (303, Some("/setup")),
            "{page}"
        );
    }
    let (status, _) = app.anonymous().page("/setup").await;
    assert_eq!(status, 200);
}

fn first_admin_fields(token: &str, email: &str) -> Args {
    args![
        "token" => token,
        "form[email]" => email,
        "form[display_name]" => "Frida First",
        "form[password]" => PASSWORD,
        "form[time_zone]" => "Europe/Amsterdam",
    ]
}

#[tokio::test]
async fn setup_creates_the_first_admin_only_with_the_token_and_only_once() {
    let app = spawn_empty().await;

    let wrong = first_admin_fields("not-the-token", "first@example.com");
    let (status, body) = app
        .anonymous()
        .call(CreateFirstAdmin::PATH, &fields(&wrong))
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, location) = open_page(&app, "/", None).await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/setup")),
        "still nobody: pages still go to setup"
    );

    let browser = app.anonymous();
    let right = first_admin_fields(&app.setup_token, "first@example.com");
    let (status, location) = browser
        .submit(CreateFirstAdmin::PATH, "/setup", &fields(&right))
        .await;
    assert_eq!(status, 302);
    assert_eq!(location.as_deref(), Some("/"));
    let me = who_am_i(&browser)
        .await
        .expect("logged in as the new admin");
    assert_eq!(
        (me.email.as_str(), me.role, me.time_zone.as_str()),
        ("first@example.com", Role::Admin, "Europe/Amsterdam")
    );
    let (status, _) = browser.page("/").await;
    assert_eq!(status, 200, "the new admin is in");

    // Once an account exists, the token creates nothing more.
    let again = first_admin_fields(&app.setup_token, "intruder@example.com");
    let (status, body) = app
        .anonymous()
        .call(CreateFirstAdmin::PATH, &fields(&again))
        .await;
    assert_eq!(status, 403, "{body}");
    let users: Vec<User> = json(&browser, ListUsers::PATH, &args![], "the users").await;
    assert_eq!(users.len(), 1, "{users:?}");
}

#[tokio::test]
async fn the_create_admin_command_makes_an_admin_who_can_log_in() {
    use server::cli::CreateAdmin;
    let app = spawn_empty().await;
    let args: Vec<String> = ["--email", "Ops@Example.com", "--name", "Ops"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let request = CreateAdmin::parse(&args).expect("valid arguments");
    let db = app.db.clone();
    let weak = on_server(async move {
        let weak = request.run(&db, "short").await;
        let made = request.run(&db, PASSWORD).await;
        let again = request.run(&db, PASSWORD).await;
        (weak, made, again)
    })
    .await;
    assert!(
        weak.0.unwrap_err().contains("at least 10"),
        "no weak password"
    );
    assert_eq!(weak.1.unwrap(), "Created the admin Ops <ops@example.com>.");
    assert!(weak.2.unwrap_err().contains("already exists"));
    let (status, _) = app.log_in("ops@example.com", PASSWORD).await;
    assert_eq!(status, 302, "the new admin logs in");
    let (status, _) = app.call(ListUsers::PATH, &[]).await;
    assert_eq!(status, 200, "as an admin");
}

#[tokio::test]
async fn of_eight_setups_posted_at_once_exactly_one_creates_an_admin() {
    let app = spawn_empty().await;
    let mut setups = tokio::task::JoinSet::new();
    for n in 0..8 {
        let browser = app.anonymous();
        let form = first_admin_fields(&app.setup_token, &format!("first-{n}@example.com"));
        setups.spawn(async move { browser.call(CreateFirstAdmin::PATH, &fields(&form)).await });
    }
    let mut statuses = Vec::new();
    while let Some(answer) = setups.join_next().await {
        let (status, body) = answer.expect("the setup finishes");
        assert!(status == 200 || status == 403, "{status}: {body}");
        statuses.push(status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "exactly one setup succeeds: {statuses:?}"
    );
    let db = app.db.clone();
    let users = on_server(async move { app::server::repo::accounts::list(&db).await })
        .await
        .expect("the users are read");
    assert_eq!(users.len(), 1, "{users:?}");
    assert_eq!(users[0].role, Role::Admin);
}

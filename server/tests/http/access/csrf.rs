//! Forms posted from other sites.

use app::api::account::{ChangePassword, LogIn};
use app::api::incidents::{DeleteIncident, GetPostmortem};
use app::api::users::{AddUser, ListUsers, UpdateUser};
use app::domain::account::{Role, User};
use app::dto::postmortem::PostmortemView;
use leptos::server_fn::ServerFn;

use super::support::{args, id_from, json};
use super::table::NEW_PASSWORD;
use crate::common::{ADMIN_EMAIL, PASSWORD, spawn};

#[tokio::test]
async fn a_cross_site_form_post_is_refused_and_changes_nothing() {
    let app = spawn().await;
    let incident = id_from(&app.load_example().await);
    let person = app
        .add_user("person@example.com", "Pat Person", Role::Author)
        .await;
    let before: PostmortemView = json(
        &app,
        GetPostmortem::PATH,
        &args!["id" => incident],
        "the postmortem",
    )
    .await;
    let entry = before.timeline.first().expect("a timeline entry").id;

    let attacks: [(&str, &str); 3] = [
        ("origin", "http://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
    ];
    let incident_id = incident.to_string();
    let entry_id = entry.to_string();
    let person_id = person.to_string();
    let posts: [(&str, Vec<(&str, &str)>); 5] = [
        (DeleteIncident::PATH, vec![("id", incident_id.as_str())]),
        ("/api/timeline/delete", vec![("id", entry_id.as_str())]),
        (
            UpdateUser::PATH,
            vec![
                ("id", person_id.as_str()),
                ("role", "admin"),
                ("active", "on"),
            ],
        ),
        (
            AddUser::PATH,
            vec![
                ("form[email]", "mallory@example.com"),
                ("form[display_name]", "Mallory"),
                ("form[password]", PASSWORD),
                ("form[role]", "admin"),
            ],
        ),
        (
            ChangePassword::PATH,
            vec![
                ("form[current_password]", PASSWORD),
                ("form[new_password]", NEW_PASSWORD),
                ("form[confirm_password]", NEW_PASSWORD),
            ],
        ),
    ];
    for (header, value) in attacks {
        for (path, fields) in &posts {
            for accept in ["text/html", "*/*"] {
                let response = app
                    .client
                    .post(app.url(path))
                    .header("accept", accept)
                    .header(header, value)
                    .form(fields)
                    .send()
                    .await
                    .expect("an answer");
                assert_eq!(
                    response.status().as_u16(),
                    403,
                    "{path} with {header}: {value} (accept {accept})"
                );
            }
        }
    }

    let after: PostmortemView = json(
        &app,
        GetPostmortem::PATH,
        &args!["id" => incident],
        "the postmortem, still there",
    )
    .await;
    assert_eq!(after, before, "the incident and its timeline are untouched");
    let users: Vec<User> = json(&app, ListUsers::PATH, &args![], "the users").await;
    assert!(
        !users.iter().any(|u| u.email == "mallory@example.com"),
        "no account was added"
    );
    assert_eq!(
        users.iter().find(|u| u.id == person).map(|u| u.role),
        Some(Role::Author),
        "no one was made an admin"
    );
    let (status, _) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", ADMIN_EMAIL), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "the password is unchanged");

    // The same post from Debrief's own pages goes through.
    let response = app
        .client
        .post(app.url(DeleteIncident::PATH))
        .header("origin", app.base.as_str())
        .header("sec-fetch-site", "same-origin")
        .form(&[("id", incident_id.as_str())])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    let (status, _) = app.call(GetPostmortem::PATH, &[("id", &incident_id)]).await;
    assert_eq!(status, 404, "now it is gone");
}

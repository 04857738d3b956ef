//! Helpers the modules share: the form arguments and the `args!` macro, calling server
//! functions for their JSON answer, and asking who is logged in or what a page answers.

use app::api::account::WhoAmI;
use app::domain::account::User;
use app::domain::incident::IncidentStatus;
use leptos::server_fn::ServerFn;
use leptos::server_fn::serde::de::DeserializeOwned;

use crate::common::{Browser, TestApp, on_server};

/// Form fields to post: names as the HTML forms send them, values as text.
pub(crate) type Args = Vec<(&'static str, String)>;

/// `args!["id" => f.incident, "form[title]" => "x"]`
macro_rules! args {
    ($($name:literal => $value:expr),* $(,)?) => {
        vec![$(($name, $value.to_string())),*]
    };
}
pub(crate) use args;

/// `Args` as the `&str` pairs `Browser::call` takes.
pub(crate) fn fields<'a>(args: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    args.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Calls a server function that must succeed and reads its JSON answer.
pub(crate) async fn json<T: DeserializeOwned>(
    browser: &Browser,
    path: &str,
    args: &Args,
    what: &str,
) -> T {
    let (status, body) = browser.call(path, &fields(args)).await;
    assert_eq!(status, 200, "{what} ({path}): {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what} ({path}): {e}: {body}"))
}

/// Who the browser is logged in as.
pub(crate) async fn who_am_i(browser: &Browser) -> Option<User> {
    json(browser, WhoAmI::PATH, &args![], "who is logged in").await
}

/// The incident id in `/incidents/<id>…`.
pub(crate) fn id_from(location: &str) -> i64 {
    location
        .trim_start_matches("/incidents/")
        .split(['/', '#', '?'])
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no incident id in {location}"))
}

pub(crate) fn shortened(body: &str) -> String {
    let body = body.trim();
    match body.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &body[..at]),
        None => body.to_owned(),
    }
}

/// Sets an incident's review status directly in the database.
pub(crate) async fn set_status(app: &TestApp, id: i64, status: IncidentStatus) {
    use app::server::entities::incidents;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let db = app.db.clone();
    on_server(async move {
        let row = incidents::Entity::find_by_id(id)
            .one(&db)
            .await
            .expect("the incident is read")
            .expect("the incident exists");
        let mut row: incidents::ActiveModel = row.into();
        row.status = Set(status.as_str().to_owned());
        row.update(&db).await.expect("the status is set");
    })
    .await;
}

/// A client without a cookie jar, for reading and sending the session cookie by hand.
pub(crate) fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// Requests a page with a session token (or none); returns the status and Location.
pub(crate) async fn open_page(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
) -> (u16, Option<String>) {
    let mut request = bare_client()
        .get(app.url(path))
        .header("accept", "text/html");
    if let Some(token) = token {
        request = request.header("cookie", format!("debrief_session={token}"));
    }
    let response = request.send().await.expect("the page answers");
    (response.status().as_u16(), location(&response))
}

fn location(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

//! Starting the real application on 127.0.0.1:0 with its own temporary database.

#![allow(dead_code)]

pub mod chromium;
pub mod sinks;

use std::path::PathBuf;

use app::domain::account::{NewAccount, Role};
use server::config::Config;
use server::startup::Application;

/// The password every test account has.
pub const PASSWORD: &str = "correct horse battery staple";
/// The admin `spawn` creates and logs in.
pub const ADMIN_EMAIL: &str = "admin@example.com";
/// The name of the admin `spawn` logs in.
#[allow(dead_code)]
pub const ADMIN_NAME: &str = "Ada Admin";

/// A running Debrief, and (through `Deref`) a browser without JavaScript logged in as its admin.
pub struct TestApp {
    pub browser: Browser,
    pub db: sea_orm::DatabaseConnection,
    /// The connection the server's writers of postmortems share (SQLite), besides `db`.
    pub writer: Option<sea_orm::DatabaseConnection>,
    pub setup_token: String,
    /// The SQL statements the server's database pool has run (see `StatementCount`).
    pub statements: app::server::db::StatementCount,
    /// Dropping it (when the test ends) stops the server and closes its database pool.
    _stop: tokio::sync::oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for TestApp {
    type Target = Browser;
    fn deref(&self) -> &Browser {
        &self.browser
    }
}

/// A client that behaves like a browser without JavaScript: it keeps cookies and does not
/// follow redirects, so tests can see them. A clone shares the cookies.
#[derive(Clone)]
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

/// The built site (wasm, JS, CSS) that `cargo leptos build` leaves in the workspace.
pub fn site_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site")
}

/// The database a test runs on: a fresh SQLite file, or, when `DEBRIEF_TEST_POSTGRES` names a
/// Postgres server (`postgres://user:password@host:port`), a fresh database created on it.
async fn fresh_database(dir: &std::path::Path) -> String {
    let Ok(server) = std::env::var("DEBRIEF_TEST_POSTGRES") else {
        return format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
    };
    fresh_postgres(&server, "").await
}

/// A new database on the Postgres `server` (`postgres://user:password@host:port`), named
/// `debrief_test_<prefix><process>_<nanoseconds>` (so `scripts/postgres.sh` drops it later);
/// returns its URL.
pub async fn fresh_postgres(server: &str, prefix: &str) -> String {
    use sea_orm::{ConnectionTrait, Database};
    let server = server.trim_end_matches('/');
    let admin = Database::connect(format!("{server}/postgres"))
        .await
        .expect("the Postgres server answers");
    let name = format!(
        "debrief_test_{prefix}{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("a test database");
    let _ = admin.close().await;
    format!("{server}/{name}")
}

/// Every test server runs on this one runtime, which lives as long as the test process.
/// Each `#[tokio::test]` has a runtime of its own that stops when the test ends; Leptos spawns
/// rendering work through a process-wide executor, and work that lands on a stopped runtime
/// never finishes, so servers on test runtimes can hang other tests at random. It has several
/// workers even on two cores: with very few, Leptos' SSR can leave a resource's future parked
/// (leptos issue #4647), the same reason `main` asks for at least four.
fn server_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .expect("a runtime for the test servers")
    })
}

/// Runs `work` on the runtime the test servers run on, where their database pools live: for
/// tests that read or set up data in `TestApp::db` directly.
pub async fn on_server<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    server_runtime()
        .spawn(work)
        .await
        .expect("the task on the server runtime finishes")
}

/// A running Debrief with one account, an admin, logged in (`ADMIN_EMAIL`, `PASSWORD`).
pub async fn spawn() -> TestApp {
    let app = spawn_empty().await;
    app.add_user(ADMIN_EMAIL, ADMIN_NAME, Role::Admin).await;
    let (status, _) = app.browser.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the admin logs in");
    app
}

/// A running Debrief with no account yet, and a browser that is not logged in.
pub async fn spawn_empty() -> TestApp {
    spawn_empty_configured(|_| {}).await
}

/// Like [`spawn_empty`], with the configuration changed by `configure` before the app starts.
pub async fn spawn_empty_configured(
    configure: impl FnOnce(&mut Config) + Send + 'static,
) -> TestApp {
    spawn_with_routes(configure, axum::Router::new()).await
}

/// Like [`spawn_empty_configured`], with `extra_routes` (a handler that panics, a slow one)
/// served inside the app's layers (see `Application::build_with_routes`).
pub async fn spawn_with_routes(
    configure: impl FnOnce(&mut Config) + Send + 'static,
    extra_routes: axum::Router,
) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().to_path_buf();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (base, (db, writer), setup_token, statements) = server_runtime()
        .spawn(async move {
            let mut config = Config {
                addr: "127.0.0.1:0".parse().expect("valid address"),
                data_dir: path.clone(),
                database_url: fresh_database(&path).await,
                site_root: site_root().display().to_string(),
                trusted_proxies: Default::default(),
                ops_token: None,
                limits: Default::default(),
                db_max_connections: None,
                // The delivery worker looks rarely unless a test asks (its queries would count
                // in the statement counts of tests that measure them).
                notify: server::delivery::config::NotifyConfig {
                    poll: std::time::Duration::from_secs(3600),
                    ..Default::default()
                },
                // Tests write reminders by calling the tick with the time they need.
                reminder_interval: std::time::Duration::from_secs(86_400),
            };
            configure(&mut config);
            let statements = app::server::db::StatementCount::of(&config.database_url);
            let app = Application::build_with_routes(&config, extra_routes)
                .await
                .expect("the application starts");
            let base = format!("http://127.0.0.1:{}", app.port());
            let db = app.state().db.clone();
            let writer = app.state().writes.connection().cloned();
            let token = app.state().setup_token.to_string();
            tokio::spawn(app.run_until(async {
                let _ = stopped.await;
            }));
            (base, (db, writer), token, statements)
        })
        .await
        .expect("the test server starts");
    TestApp {
        browser: Browser::new(&base),
        db,
        writer,
        setup_token,
        statements,
        _stop: stop,
        _dir: dir,
    }
}

impl TestApp {
    /// Every pool the server holds on its database: the pool, and the writers' connection.
    pub fn pools(&self) -> Vec<sea_orm::DatabaseConnection> {
        std::iter::once(self.db.clone())
            .chain(self.writer.clone())
            .collect()
    }

    /// Takes an incident through its review to published, as the team would: the admin (who
    /// loaded or wrote it) submits it, a new reviewer who wrote none of it approves it with the
    /// checklist, and the admin publishes it.
    pub async fn publish(&self, incident: i64) {
        use app::api::review::{ApprovePostmortem, PublishPostmortem, SubmitForReview};
        use leptos::server_fn::ServerFn;
        let id = incident.to_string();
        let (status, body) = self.call(SubmitForReview::PATH, &[("id", &id)]).await;
        assert_eq!(status, 200, "submitted: {body}");
        let reviewer = self.browser_as(Role::Reviewer).await;
        let approval = approval_fields(&id);
        let (status, body) = reviewer.call(ApprovePostmortem::PATH, &approval).await;
        assert_eq!(status, 200, "approved: {body}");
        let (status, body) = self.call(PublishPostmortem::PATH, &[("id", &id)]).await;
        assert_eq!(status, 200, "published: {body}");
    }

    /// Creates an account with `PASSWORD`; returns its id.
    pub async fn add_user(&self, email: &str, name: &str, role: Role) -> i64 {
        let db = self.db.clone();
        let account = NewAccount {
            email: email.to_owned(),
            display_name: name.to_owned(),
            password: PASSWORD.to_owned(),
            role,
            time_zone: "UTC".to_owned(),
        };
        server_runtime()
            .spawn(async move {
                // Off the runtime's workers, as the server hashes: they serve every test's pages.
                let hash = app::server::password::hash_off_thread(PASSWORD)
                    .await
                    .expect("hashed");
                app::server::repo::accounts::create(&db, &account, &hash)
                    .await
                    .expect("the account is created")
            })
            .await
            .expect("the account task finishes")
    }

    /// A new browser logged in as a new account with `role` (named after it).
    pub async fn browser_as(&self, role: Role) -> Browser {
        let email = format!("{}-{}@example.com", role.as_str(), unique());
        self.add_user(&email, &format!("{} person", role.label()), role)
            .await;
        let browser = Browser::new(&self.base);
        let (status, _) = browser.log_in(&email, PASSWORD).await;
        assert_eq!(status, 302, "{email} logs in");
        browser
    }

    /// A new browser nobody is logged in to.
    pub fn anonymous(&self) -> Browser {
        Browser::new(&self.base)
    }
}

/// The approval of incident `id` with every checklist item ticked.
#[allow(dead_code)]
pub fn approval_fields(id: &str) -> Vec<(&'static str, &str)> {
    let mut fields = vec![("id", id)];
    for item in app::domain::review::ChecklistItem::ALL {
        fields.push((checklist_field(item), "on"));
    }
    fields
}

/// The approval form's field for a checklist item: `form[timeline_complete]`.
fn checklist_field(item: app::domain::review::ChecklistItem) -> &'static str {
    use app::domain::review::ChecklistItem::*;
    match item {
        TimelineComplete => "form[timeline_complete]",
        ImpactQuantified => "form[impact_quantified]",
        TriggerIdentified => "form[trigger_identified]",
        FollowUpsAddressTrigger => "form[follow_ups_address_trigger]",
        Blameless => "form[blameless]",
    }
}

fn unique() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Browser {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()
                .expect("a client"),
        }
    }

    /// Logs in through the plain login form; returns the status and where it sent us.
    pub async fn log_in(&self, email: &str, password: &str) -> (u16, Option<String>) {
        use leptos::server_fn::ServerFn;
        self.submit(
            app::api::account::LogIn::PATH,
            "/login",
            &[("form[email]", email), ("form[password]", password)],
        )
        .await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GETs a page and returns its status and HTML.
    ///
    /// A page that has not answered in 30 s (hundreds of times what any page takes, even on a
    /// busy machine) is a hang, and fails the test naming it.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(self.url(path))
            .header("accept", "text/html")
            .timeout(std::time::Duration::from_secs(30))
            .send()
            .await
            .unwrap_or_else(|e| panic!("the page {path} does not answer: {e:?}"));
        let status = response.status().as_u16();
        let body = response
            .text()
            .await
            .unwrap_or_else(|e| panic!("the page {path} sent no whole body: {e:?}"));
        (status, body)
    }

    /// GETs a file: its status, content type and text.
    #[allow(dead_code)]
    pub async fn download(&self, path: &str) -> (u16, String, String) {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("the download answers");
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (status, kind, response.text().await.expect("a body"))
    }

    /// Posts form fields to a server function as a plain HTML form would (no JavaScript),
    /// from the page `from`. Returns the status and the Location header.
    pub async fn submit(
        &self,
        action: &str,
        from: &str,
        fields: &[(&str, &str)],
    ) -> (u16, Option<String>) {
        let response = self
            .client
            .post(self.url(action))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", self.url(from))
            .form(fields)
            .send()
            .await
            .expect("the server function answers");
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (response.status().as_u16(), location)
    }

    /// Calls a server function as a program would (no `text/html`): status and body.
    pub async fn call(&self, action: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let response = self
            .client
            .post(self.url(action))
            .form(fields)
            .send()
            .await
            .expect("the server function answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    /// Calls a server function as a program would and reads its 200 answer as JSON.
    pub async fn json<T: serde::de::DeserializeOwned>(
        &self,
        action: &str,
        fields: &[(&str, &str)],
    ) -> T {
        let (status, body) = self.call(action, fields).await;
        assert_eq!(status, 200, "{action}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{action} answered {body}: {e}"))
    }

    /// The version an edit form opens at, as its hidden `version` field carries it: `for_edit`
    /// is the part's `…ForEdit::PATH`.
    #[allow(dead_code)]
    pub async fn version(&self, for_edit: &str, id: &str) -> String {
        let editing: serde_json::Value = self.json(for_edit, &[("id", id)]).await;
        editing["version"]
            .as_i64()
            .map(|v| v.to_string())
            .unwrap_or_else(|| panic!("{for_edit} answered without a version: {editing}"))
    }

    /// Loads the worked example and returns its incident page path.
    pub async fn load_example(&self) -> String {
        use leptos::server_fn::ServerFn;
        let (status, location) = self
            .submit(app::api::incidents::LoadWorkedExample::PATH, "/", &[])
            .await;
        assert_eq!(status, 302, "loading the example redirects to it");
        location.expect("a location")
    }
}

/// The incident id in a location such as "/incidents/7" (where loading the example sends us).
#[allow(dead_code)]
pub fn incident_of(location: &str) -> i64 {
    location
        .trim_start_matches("/incidents/")
        .parse()
        .expect("an incident id")
}

/// The text of a page with tags removed and whitespace folded, for "the page says" checks.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Takes `incident` out of its review group (the worked example loads its two incidents in
/// one), for tests that group incidents themselves.
#[allow(dead_code)]
pub async fn ungroup(app: &TestApp, incident: i64) {
    let db = app.db.clone();
    on_server(async move {
        use app::server::repo::review_groups;
        if let Some((group, _)) = review_groups::group_of(&db, incident)
            .await
            .expect("the group is read")
        {
            review_groups::remove(&db, group, incident, "the tests")
                .await
                .expect("taken out of its group");
        }
    })
    .await;
}

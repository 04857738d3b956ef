//! `server migrate-to <postgres-url>`: a team moves its Debrief from SQLite to an empty
//! Postgres database with everything in it, people stay logged in, new records get fresh ids,
//! and a target that holds data, or a copy that fails part-way or differs from its source,
//! leaves the target as it was.
//!
//! Each test needs a Postgres server (`DEBRIEF_TEST_POSTGRES`, as the CI's Postgres leg sets);
//! without one it says so and passes.

use app::api::incidents::CreateIncident;
use app::domain::account::Role;
use app::domain::comment::{Anchor, Section};
use app::domain::follow_up::FollowUpState;
use app::domain::history::Part;
use app::domain::library::{LessonKind, NewReadingList};
use app::domain::participant::NewParticipant;
use app::server::repo::{
    comments, follow_ups, integrations, library, metrics, participants, shares,
};
use leptos::server_fn::ServerFn;
use sea_orm::{ConnectionTrait, Database};

use super::{Ran, column, serve, server_command, sqlite_url};
use crate::common::{
    ADMIN_EMAIL, ADMIN_NAME, Browser, PASSWORD, TestApp, fresh_postgres, incident_of, on_server,
    spawn_empty_configured, text_of,
};

/// Every table `migrate-to` copies (the test's own list: the command's must not drift from it).
const TABLES: [&str; 32] = [
    "users",
    "sessions",
    "form_flashes",
    "login_failures",
    "login_successes",
    "integration_tokens",
    "due_date_policies",
    "incidents",
    "milestones",
    "timeline_entries",
    "impact_figures",
    "changes",
    "change_parameters",
    "follow_ups",
    "incident_participants",
    "reviews",
    "comments",
    "history",
    "published_postmortems",
    "published_lessons",
    "lesson_tags",
    "metric_exclusions",
    "share_links",
    "recorded_changes",
    "reading_lists",
    "reading_list_items",
    "incident_relations",
    "outbox",
    "webhook_destinations",
    "email_opt_outs",
    "notice_policies",
    "scheduled_notices",
];

/// The worked example's title.
const EXAMPLE_TITLE: &str = "Customer logins failed across all products for about a minute";

/// The Postgres server to move to, or `None` (and a note) when the tests run without one.
fn postgres(test: &str) -> Option<String> {
    match std::env::var("DEBRIEF_TEST_POSTGRES") {
        Ok(server) if !server.trim().is_empty() => Some(server.trim().to_owned()),
        _ => {
            eprintln!("{test}: skipped, DEBRIEF_TEST_POSTGRES names no Postgres server");
            None
        }
    }
}

async fn migrate_to(source: &str, target: &str) -> Ran {
    server_command(source, &["migrate-to", target]).await
}

async fn count(url: &str, table: &str) -> i64 {
    column(url, &format!("SELECT COUNT(*) FROM {table}")).await[0]
        .parse()
        .expect("a count")
}

/// An SQLite Debrief serving the worked example, published, and at least one row of every
/// kind of record besides; returns it and the example's id.
async fn source_with_everything(url: &str) -> (TestApp, i64) {
    let app = serve(url, true).await;
    let mut people = Vec::new();
    for (role, email, name) in [
        (Role::Viewer, "vera@example.com", "Vera Viewer"),
        (Role::Author, "arlo@example.com", "Arlo Author"),
        (Role::Reviewer, "remy@example.com", "Remy Reviewer"),
    ] {
        people.push(app.add_user(email, name, role).await);
    }
    let (status, _) = app
        .anonymous()
        .log_in(ADMIN_EMAIL, "not the password at all")
        .await;
    assert_ne!(status, 302, "a wrong password is a failed attempt");
    let example = incident_of(&app.load_example().await);
    app.publish(example).await;

    let db = app.db.clone();
    on_server(async move {
        let worked = app::domain::example::worked_example().expect("the worked example");
        let admin: i64 = 1;
        let follow_up = &worked.follow_ups[0].follow_up;
        for state in FollowUpState::ALL {
            follow_ups::add(&db, example, follow_up, state)
                .await
                .unwrap();
        }
        // Written past the application's edits, so indexed here as they would have been.
        app::server::repo::search::reindex(&db, example)
            .await
            .unwrap();
        let entry: i64 = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT MIN(id) AS id FROM timeline_entries",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "id")
            .unwrap();
        shares::set_internal(&db, Part::TimelineEntry, entry, true)
            .await
            .unwrap();
        shares::create(&db, example, "a-share-link-digest", (admin, ADMIN_NAME))
            .await
            .unwrap();
        integrations::create_token(&db, "deploys", "a-token-digest", ADMIN_NAME)
            .await
            .unwrap();
        integrations::record(
            &db,
            &app::domain::change::RecordedChange {
                change: worked.change.clone(),
                parameters: worked.parameters.clone(),
            },
            "deploys",
        )
        .await
        .unwrap();
        let list = library::create_list(
            &db,
            &NewReadingList {
                title: "Start here".to_owned(),
                note_md: "Read these *first*.".to_owned(),
            },
            (admin, ADMIN_NAME),
        )
        .await
        .unwrap();
        library::add_item(&db, list, example, LessonKind::WentWrong, "Why it spread")
            .await
            .unwrap();
        library::tag(&db, example, LessonKind::Lucky, "timing")
            .await
            .unwrap();
        comments::add(
            &db,
            example,
            Anchor::Section(Section::Summary),
            (admin, ADMIN_NAME),
            "Could we say which region?",
        )
        .await
        .unwrap();
        metrics::exclude(&db, example, "A drill, not an outage", ADMIN_NAME)
            .await
            .unwrap();
        participants::add(
            &db,
            example,
            &NewParticipant {
                user_id: people[1],
                part: "Incident commander".to_owned(),
            },
        )
        .await
        .unwrap();
        let session: String = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT id FROM sessions LIMIT 1",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "id")
            .unwrap();
        app::server::flash::store_secret(&db, &session, "shown once")
            .await
            .unwrap();
        // A webhook destination, and a notice queued for the admin and for it.
        let hook = app::domain::webhook::NewWebhook {
            name: "#incidents".to_owned(),
            url: "https://chat.example.com/hook".to_owned(),
            kind: app::domain::webhook::WebhookKind::Json,
            events: vec![app::domain::notify::Event::Published],
            writers_only: false,
        };
        app::server::repo::webhooks::create(
            &db,
            &hook,
            Some("a-secret"),
            ADMIN_NAME,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let notice = app::domain::notify::Notice {
            event: app::domain::notify::Event::Published,
            key: format!("published:incident:{example}"),
            subject: "Published".to_owned(),
            body: "It is published.".to_owned(),
            link: format!("/incidents/{example}"),
            data: serde_json::json!({ "incident": example }),
            readable_by_viewers: true,
        };
        app::server::notify::emit(&db, &notice, &[admin], chrono::Utc::now())
            .await
            .unwrap();
        let now = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
        let choices = app::domain::notify::choices::EmailChoices {
            off: vec![app::domain::notify::Event::FollowUpsDue],
        };
        app::server::repo::notices::set_email_choices(&db, people[1], &choices)
            .await
            .unwrap();
        let policy = app::domain::notify::choices::NoticePolicy::default();
        app::server::repo::notices::set_policy(&db, &policy, now)
            .await
            .unwrap();
        app::server::repo::notices::claim(&db, "follow_ups_due:user:1:2026-12-01", now)
            .await
            .unwrap();
    })
    .await;
    for table in TABLES {
        assert!(
            count(url, table).await > 0,
            "the source has a row in {table}"
        );
    }
    (app, example)
}

#[tokio::test]
async fn every_kind_of_record_moves_to_postgres_and_people_stay_logged_in() {
    let Some(server) = postgres("every_kind_of_record_moves_to_postgres") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source_url = sqlite_url(&dir.path().join("debrief.db"));
    let (source, example) = source_with_everything(&source_url).await;
    let target_url = fresh_postgres(&server, "mig_").await;

    // While the source keeps serving.
    let ran = migrate_to(&source_url, &target_url).await;
    assert!(ran.ok, "{}\n{}", ran.stderr, ran.stdout);
    assert!(
        // The worked example and its earlier attempt.
        ran.stdout.contains("2 postmortem exports identical"),
        "{}",
        ran.stdout
    );
    assert!(!ran.stdout.contains("DIFFERENT"), "{}", ran.stdout);
    assert!(!ran.stdout.contains("debrief-tests"), "no password shown");
    for table in TABLES.iter().chain(&["read_generations", "search_index"]) {
        let rows = count(&source_url, table).await;
        let line = ran
            .stdout
            .lines()
            .find(|l| l.split("  ").next() == Some(table))
            .unwrap_or_else(|| panic!("{table} is in the report:\n{}", ran.stdout));
        let fields: Vec<&str> = line[table.len()..].split_whitespace().collect();
        assert_eq!(
            fields,
            [rows.to_string().as_str(), rows.to_string().as_str(), "ok"],
            "{line}"
        );
        assert_eq!(
            count(&target_url, table).await,
            rows,
            "{table} on the target"
        );
    }
    assert_eq!(
        column(
            &target_url,
            "SELECT COUNT(*) FROM timeline_entries WHERE internal"
        )
        .await,
        ["1"],
        "a column the entities do not name is copied too"
    );

    // Served from Postgres, the admin's browser is still logged in with the copied cookie.
    let target_for_config = target_url.clone();
    let moved: TestApp =
        spawn_empty_configured(move |config| config.database_url = target_for_config).await;
    let same_browser = Browser {
        base: moved.base.clone(),
        client: source.browser.client.clone(),
    };
    let (status, html) = same_browser.page(&format!("/incidents/{example}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        text_of(&html).contains(ADMIN_NAME),
        "logged in as the admin"
    );
    let (status, _) = moved
        .anonymous()
        .page(&format!("/incidents/{example}"))
        .await;
    assert_ne!(status, 200, "a browser without the cookie is not let in");

    for export in ["export.json", "export.md"] {
        let path = format!("/incidents/{example}/{export}");
        let (status, _, before) = source.download(&path).await;
        assert_eq!(status, 200, "{before}");
        let (status, _, after) = same_browser.download(&path).await;
        assert_eq!(status, 200, "{after}");
        assert_eq!(after, before, "{export} reads the same after the move");
    }
    let (status, html) = same_browser.page("/search?q=logins").await;
    assert_eq!(status, 200);
    assert!(
        text_of(&html).contains(EXAMPLE_TITLE),
        "the search index answers on Postgres: {html}"
    );
}

#[tokio::test]
async fn a_target_that_holds_data_is_refused_and_left_untouched() {
    let Some(server) = postgres("a_target_that_holds_data_is_refused") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source_url = sqlite_url(&dir.path().join("debrief.db"));
    let source = serve(&source_url, true).await;
    source.load_example().await;

    // A Debrief that already has postmortems: a second move would mix two teams' data.
    let target_url = fresh_postgres(&server, "mig_").await;
    let ran = migrate_to(&source_url, &target_url).await;
    assert!(ran.ok, "{}", ran.stderr);
    let before: Vec<Vec<String>> = row_counts(&target_url).await;
    let generation = column(
        &target_url,
        "SELECT value FROM read_generations ORDER BY name",
    )
    .await;
    let ran = migrate_to(&source_url, &target_url).await;
    assert!(!ran.ok);
    assert!(
        ran.stderr.contains("already holds data") && ran.stderr.contains("incidents"),
        "{}",
        ran.stderr
    );
    assert_eq!(ran.stderr.trim().lines().count(), 1, "{}", ran.stderr);
    assert_eq!(row_counts(&target_url).await, before);
    assert_eq!(
        column(
            &target_url,
            "SELECT value FROM read_generations ORDER BY name"
        )
        .await,
        generation
    );

    // Any other application's database: not even migrated.
    let other_url = fresh_postgres(&server, "mig_").await;
    let other = Database::connect(&other_url).await.unwrap();
    other
        .execute_unprepared("CREATE TABLE notes (id INT PRIMARY KEY); INSERT INTO notes VALUES (1)")
        .await
        .unwrap();
    let _ = other.close().await;
    let ran = migrate_to(&source_url, &other_url).await;
    assert!(!ran.ok);
    assert!(ran.stderr.contains("notes"), "{}", ran.stderr);
    assert_eq!(
        column(
            &other_url,
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() ORDER BY 1"
        )
        .await,
        ["notes"],
        "nothing was written"
    );
}

/// Every copied table's row count on `url`.
async fn row_counts(url: &str) -> Vec<Vec<String>> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(column(url, &format!("SELECT COUNT(*) FROM {table}")).await);
    }
    counts
}

/// A target whose schema makes the copy fail at `follow_ups`, after the users, incidents and
/// timelines were already written in the copy's transaction; or whose trigger changes what it
/// is given, which only the verification sees.
async fn migrated_target(server: &str, sql: &str) -> String {
    let url = fresh_postgres(server, "mig_").await;
    let db = app::server::db::connect(&url).await.unwrap();
    db.execute_unprepared(sql).await.unwrap();
    let _ = db.close().await;
    url
}

async fn nothing_copied(target_url: &str) {
    for table in TABLES {
        let expected = if table == "due_date_policies" { 2 } else { 0 };
        assert_eq!(
            count(target_url, table).await,
            expected,
            "{table} is as the migrations left it"
        );
    }
    assert_eq!(count(target_url, "search_index").await, 0);
    assert_eq!(
        column(
            target_url,
            "SELECT value FROM read_generations ORDER BY name"
        )
        .await,
        ["0", "0"],
        "the views' and the pages' counters"
    );
}

#[tokio::test]
async fn a_copy_that_fails_part_way_or_differs_leaves_the_target_empty() {
    let Some(server) = postgres("a_copy_that_fails_part_way") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source_url = sqlite_url(&dir.path().join("debrief.db"));
    let source = serve(&source_url, true).await;
    source.load_example().await;

    let refusing = migrated_target(
        &server,
        "ALTER TABLE follow_ups ADD CONSTRAINT no_committed CHECK (state <> 'committed')",
    )
    .await;
    let ran = migrate_to(&source_url, &refusing).await;
    assert!(!ran.ok, "{}", ran.stdout);
    assert!(
        ran.stderr.contains("copying follow_ups") && ran.stderr.contains("nothing was committed"),
        "{}",
        ran.stderr
    );
    assert_eq!(ran.stderr.trim().lines().count(), 1, "{}", ran.stderr);
    nothing_copied(&refusing).await;

    let altering = migrated_target(
        &server,
        "CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN NEW.title := upper(NEW.title); RETURN NEW; END $$; \
         CREATE TRIGGER shouting BEFORE INSERT ON incidents FOR EACH ROW EXECUTE FUNCTION shout()",
    )
    .await;
    let ran = migrate_to(&source_url, &altering).await;
    assert!(!ran.ok, "{}", ran.stdout);
    assert!(
        ran.stderr.contains("the export of incident 1 differs")
            && ran.stderr.contains("nothing was committed"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stdout.contains("0 postmortem exports identical"),
        "{}",
        ran.stdout
    );
    nothing_copied(&altering).await;

    // Fixed, the same target takes the whole copy.
    let db = Database::connect(&refusing).await.unwrap();
    db.execute_unprepared("ALTER TABLE follow_ups DROP CONSTRAINT no_committed")
        .await
        .unwrap();
    let _ = db.close().await;
    let ran = migrate_to(&source_url, &refusing).await;
    assert!(ran.ok, "{}", ran.stderr);
    // The worked example and its earlier attempt.
    assert_eq!(count(&refusing, "incidents").await, 2);
}

#[tokio::test]
async fn records_created_after_the_move_get_fresh_ids() {
    let Some(server) = postgres("records_created_after_the_move") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source_url = sqlite_url(&dir.path().join("debrief.db"));
    let source = serve(&source_url, true).await;
    let example = incident_of(&source.load_example().await);
    let second = incident_of(&source.load_example().await);
    assert!(second > example);
    let target_url = fresh_postgres(&server, "mig_").await;
    let ran = migrate_to(&source_url, &target_url).await;
    assert!(ran.ok, "{}", ran.stderr);
    let timeline_before = count(&target_url, "timeline_entries").await;

    let target_for_config = target_url.clone();
    let moved: TestApp =
        spawn_empty_configured(move |config| config.database_url = target_for_config).await;
    // The copied password logs in too.
    let (status, _) = moved.browser.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the admin logs in on Postgres");
    let (status, location) = moved
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &[
                ("form[title]", "Queue backed up after the move"),
                ("form[summary]", "Written on Postgres."),
                ("form[severity]", "sev3"),
                ("form[services]", "Queue"),
                ("form[impact_started_at]", "2026-11-30T10:00"),
                ("form[impact_started_precision]", "minute"),
                ("form[detected_at]", "2026-11-30T10:05"),
                ("form[detected_precision]", "minute"),
            ],
        )
        .await;
    assert_eq!(status, 302, "the incident is created");
    assert_eq!(incident_of(&location.unwrap()), second + 1, "a fresh id");
    let copied = incident_of(&moved.load_example().await);
    // After its earlier attempt, written first.
    assert_eq!(copied, second + 3);
    assert!(count(&target_url, "timeline_entries").await > timeline_before);
    let (status, html) = moved.page(&format!("/incidents/{example}")).await;
    assert_eq!(status, 200);
    assert!(text_of(&html).contains(EXAMPLE_TITLE), "{html}");
}

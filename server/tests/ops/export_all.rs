//! `server export-all` and `server import-all`: a team leaves with its data and brings it into
//! another, empty Debrief, postmortem for postmortem.

use app::api::incidents::CreateIncident;
use app::api::timeline::AddTimelineEntry;
use app::domain::export::PostmortemExport;
use app::domain::incident::IncidentStatus;
use leptos::server_fn::ServerFn;
use server::export_all::Manifest;

use super::{column, fresh_url, incidents_in, serve, server_command, sqlite_url};
use crate::common::{TestApp, incident_of, text_of};

/// Creates a draft titled `title` with one timeline entry; returns its id.
async fn write_postmortem(app: &TestApp, title: &str) -> i64 {
    let (status, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &[
                ("form[title]", title),
                ("form[summary]", "Checkout *failed* for a while."),
                ("form[severity]", "sev2"),
                ("form[services]", "Checkout"),
                ("form[impact_started_at]", "2026-10-03T10:27"),
                ("form[impact_started_precision]", "approximate"),
                ("form[detected_at]", "2026-10-03T10:31"),
                ("form[detected_precision]", "minute"),
            ],
        )
        .await;
    assert_eq!(status, 302, "{title} is created");
    let incident = incident_of(&location.unwrap());
    let id = incident.to_string();
    let (status, body) = app
        .call(
            AddTimelineEntry::PATH,
            &[
                ("incident_id", &id),
                ("form[at]", "2026-10-03T10:40"),
                ("form[precision]", "minute"),
                ("form[kind]", "action"),
                ("form[actor]", "on-call engineer"),
                ("form[body]", "Rolled the deploy back."),
                ("zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    incident
}

fn read_manifest(dir: &std::path::Path) -> Manifest {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

#[tokio::test]
async fn every_postmortem_exported_imports_into_an_empty_debrief_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    // On Postgres too when the tests run there: the export reads it and the import writes it.
    let here_url = fresh_url(dir.path(), "here.db").await;
    let here = serve(&here_url, true).await;
    let example = incident_of(&here.load_example().await);
    here.publish(example).await;
    let _note: i64 = here
        .json(
            app::api::mentor_notes::AddMentorNote::PATH,
            &[
                ("incident_id", example.to_string().as_str()),
                ("form[body]", "Notice the pause before killing the job."),
            ],
        )
        .await;
    // The worked example is two incidents: its earlier attempt (a draft), written first.
    let earlier = example - 1;
    let titles = [
        "Metrics collection broke in the first JMX rollout",
        "Customer logins failed across all products for about a minute",
        "Checkout: 50% errors after the “fast path” deploy",
        "Ünïcode search index rebuilt twice",
    ];
    let mut ids = vec![earlier, example];
    for title in &titles[2..] {
        ids.push(write_postmortem(&here, title).await);
    }

    // Exported from the running server.
    let out = dir.path().join("export");
    let ran = server_command(&here_url, &["export-all", out.to_str().unwrap()]).await;
    assert!(ran.ok, "{}", ran.stderr);
    assert!(
        ran.stdout.contains("Exported 4 postmortems"),
        "{}",
        ran.stdout
    );
    let manifest = read_manifest(&out);
    assert_eq!(manifest.count, 4);
    assert_eq!(manifest.debrief_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        manifest
            .postmortems
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        ids
    );
    assert_eq!(
        manifest.postmortems[2].json,
        format!(
            "{:06}-checkout-50-errors-after-the-fast-path-deploy.json",
            ids[2]
        )
    );
    for (listed, title) in manifest.postmortems.iter().zip(titles) {
        let md = std::fs::read_to_string(out.join(&listed.markdown)).unwrap();
        assert!(md.starts_with(&format!("# {title}\n")), "{md}");
        assert!(md.contains("## Timeline"), "{md}");
    }
    let exported: Vec<PostmortemExport> = manifest
        .postmortems
        .iter()
        .map(|p| {
            serde_json::from_str(&std::fs::read_to_string(out.join(&p.json)).unwrap()).unwrap()
        })
        .collect();
    assert_eq!(exported[1].incident.status, IncidentStatus::Published);
    assert_eq!(
        exported[1]
            .mentor_notes
            .iter()
            .map(|n| n.body_md.as_str())
            .collect::<Vec<_>>(),
        ["Notice the pause before killing the job."],
        "a postmortem's mentor notes are in its export (and, compared below, come back)"
    );

    let again = server_command(&here_url, &["export-all", out.to_str().unwrap()]).await;
    assert!(!again.ok, "an export does not mix into an earlier one");
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);

    // Imported into a new Debrief, which is then served.
    let there_dir = tempfile::tempdir().unwrap();
    let there_url = fresh_url(&there_dir.path().join("data"), "there.db").await;
    let ran = server_command(&there_url, &["import-all", out.to_str().unwrap()]).await;
    assert!(ran.ok, "{}", ran.stderr);
    assert!(
        ran.stdout.contains("Imported 4 postmortems"),
        "{}",
        ran.stdout
    );
    let there = serve(&there_url, true).await;
    let imported: Vec<i64> = column(&there_url, "SELECT id FROM incidents ORDER BY id")
        .await
        .iter()
        .map(|id| id.parse().unwrap())
        .collect();
    assert_eq!(imported.len(), 4);
    for (id, before) in imported.iter().zip(&exported) {
        let (status, _, json) = there
            .download(&format!("/incidents/{id}/export.json"))
            .await;
        assert_eq!(status, 200, "{json}");
        let after: PostmortemExport = serde_json::from_str(&json).unwrap();
        // The export carries no ids or times of its own (positions and names instead), so
        // the whole of it must come back, status included.
        assert_eq!(&after, before, "{} round-trips", before.incident.title);
    }
    let (status, html) = there.page(&format!("/incidents/{}", imported[1])).await;
    assert_eq!(status, 200);
    assert!(text_of(&html).contains("Published"));
    let (status, html) = there
        .page(&format!("/incidents/{}/history", imported[2]))
        .await;
    assert_eq!(status, 200);
    assert!(text_of(&html).contains("import-all"), "who brought it in");
    let (status, html) = there.page("/search?q=rolled").await;
    assert_eq!(status, 200);
    assert!(
        text_of(&html).contains(titles[2]),
        "the imported postmortems are searchable"
    );
}

#[tokio::test]
async fn import_all_refuses_a_debrief_that_has_incidents_and_a_broken_file_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_url(dir.path(), "here.db").await;
    let app = serve(&url, true).await;
    app.load_example().await;
    write_postmortem(&app, "Queue backed up overnight").await;
    let out = dir.path().join("export");
    let ran = server_command(&url, &["export-all", out.to_str().unwrap()]).await;
    assert!(ran.ok, "{}", ran.stderr);

    // Into the Debrief it came from: a second run would duplicate everything.
    let ran = server_command(&url, &["import-all", out.to_str().unwrap()]).await;
    assert!(!ran.ok);
    assert!(
        ran.stderr.contains("already holds incidents"),
        "{}",
        ran.stderr
    );
    // The worked example (two incidents) and the one written.
    assert_eq!(incidents_in(&url).await, 3, "nothing was duplicated");

    // One broken file among good ones: it is named, and nothing is imported.
    let manifest = read_manifest(&out);
    let broken = &manifest.postmortems[1].json;
    let text = std::fs::read_to_string(out.join(broken)).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["incident"]["title"] = serde_json::json!("");
    std::fs::write(out.join(broken), json.to_string()).unwrap();
    // An SQLite file, on either leg: that the file is never created shows every file is checked
    // before the database is opened.
    let empty_dir = tempfile::tempdir().unwrap();
    let empty_file = empty_dir.path().join("empty.db");
    let empty = sqlite_url(&empty_file);
    let ran = server_command(&empty, &["import-all", out.to_str().unwrap()]).await;
    assert!(!ran.ok);
    assert!(
        ran.stderr.contains(broken.as_str()) && ran.stderr.contains("nothing was imported"),
        "{}",
        ran.stderr
    );
    assert_eq!(ran.stderr.trim().lines().count(), 1, "{}", ran.stderr);
    assert!(
        !empty_file.exists(),
        "every file is checked before the database is even opened"
    );

    let ran = server_command(&empty, &["import-all", dir.path().to_str().unwrap()]).await;
    assert!(!ran.ok);
    assert!(
        ran.stderr.contains("is not an export-all directory"),
        "{}",
        ran.stderr
    );
    assert!(!empty_file.exists());

    // Repaired, the same directory imports whole.
    std::fs::write(out.join(broken), text).unwrap();
    let ran = server_command(&empty, &["import-all", out.to_str().unwrap()]).await;
    assert!(ran.ok, "{}", ran.stderr);
    assert_eq!(incidents_in(&empty).await, 3);
}

#[tokio::test]
async fn import_all_links_related_incidents_again_and_makes_the_review_groups_again() {
    let dir = tempfile::tempdir().unwrap();
    let here_url = fresh_url(dir.path(), "here.db").await;
    let here = serve(&here_url, true).await;
    // The worked example: the login outage linked to its earlier attempt, both in one group.
    let example = incident_of(&here.load_example().await);
    let earlier = example - 1;
    write_postmortem(&here, "Checkout stalled").await;
    let out = dir.path().join("export");
    let ran = server_command(&here_url, &["export-all", out.to_str().unwrap()]).await;
    assert!(ran.ok, "{}", ran.stderr);
    let manifest = read_manifest(&out);
    assert_eq!(manifest.review_groups.len(), 1);
    assert_eq!(
        manifest.review_groups[0].name,
        app::domain::example::REVIEW_GROUP
    );
    assert_eq!(manifest.review_groups[0].incidents, [earlier, example]);
    assert_eq!(manifest.relations.len(), 1);
    assert_eq!(
        (
            manifest.relations[0].incident,
            manifest.relations[0].related
        ),
        (example, earlier),
        "as stored: on the incident it was added on"
    );

    let there_dir = tempfile::tempdir().unwrap();
    let there_url = fresh_url(&there_dir.path().join("data"), "there.db").await;
    let ran = server_command(&there_url, &["import-all", out.to_str().unwrap()]).await;
    assert!(ran.ok, "{}", ran.stderr);
    let id_of = |title: &'static str| {
        let url = there_url.clone();
        async move {
            column(
                &url,
                &format!("SELECT id FROM incidents WHERE title = '{title}'"),
            )
            .await
            .remove(0)
        }
    };
    let (new_example, new_earlier, new_other) = (
        id_of("Customer logins failed across all products for about a minute").await,
        id_of("Metrics collection broke in the first JMX rollout").await,
        id_of("Checkout stalled").await,
    );
    assert_ne!(new_other, new_example);
    assert_eq!(
        column(
            &there_url,
            "SELECT incident_id || ' ' || related_incident_id || ' ' || kind \
             FROM incident_relations"
        )
        .await,
        [format!("{new_example} {new_earlier} earlier_attempt")],
        "the link comes back once, though both postmortems list it"
    );
    assert_eq!(
        column(
            &there_url,
            "SELECT incident_id FROM search_index WHERE kind = 'relation'"
        )
        .await,
        std::slice::from_ref(&new_example),
        "the link is searchable, as one added on the page is"
    );
    assert_eq!(
        column(
            &there_url,
            "SELECT g.name || ': ' || m.incident_id FROM review_groups g \
             JOIN review_group_members m ON m.review_group_id = g.id ORDER BY m.incident_id"
        )
        .await,
        [
            format!("{}: {new_earlier}", app::domain::example::REVIEW_GROUP),
            format!("{}: {new_example}", app::domain::example::REVIEW_GROUP),
        ]
    );
    let there = serve(&there_url, true).await;
    let (_, html) = there.page(&format!("/incidents/{new_example}")).await;
    assert!(
        text_of(&html).contains("Metrics collection broke in the first JMX rollout"),
        "the postmortem shows its related incident"
    );
}

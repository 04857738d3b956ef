//! Templates and custom field values: the seeded default template, an incident's template,
//! values written and read back, the list filtered by a value through its index, and values
//! that travel with a postmortem's export.

use app::domain::template::{Definition, FieldValue, FieldValues};
use app::server::repo::templates;

use super::*;

fn value(key: &str, label: &str, value: &str) -> FieldValue {
    FieldValue {
        key: key.into(),
        label: label.into(),
        value: value.into(),
    }
}

#[tokio::test]
async fn the_migrations_seed_a_default_template_that_reproduces_the_page() {
    let t = fresh_db().await;
    let all = templates::list(&t.db).await.unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].is_default);
    assert_eq!(all[0].name, "Standard");
    assert_eq!(all[0].definition, Definition::standard());
}

#[tokio::test]
async fn an_incident_follows_the_default_template_until_it_names_another() {
    let t = fresh_db().await;
    let id = incidents::create(&t.db, &incident("A", Severity::Sev2, IncidentStatus::Draft))
        .await
        .unwrap();
    assert!(templates::for_incident(&t.db, id).await.unwrap().is_default);
    let other = templates::create(&t.db, "Regional", &Definition::standard())
        .await
        .unwrap();
    templates::set_for_incident(&t.db, id, Some(other))
        .await
        .unwrap();
    assert_eq!(
        templates::for_incident(&t.db, id).await.unwrap().name,
        "Regional"
    );
    templates::set_for_incident(&t.db, id, None).await.unwrap();
    assert!(templates::for_incident(&t.db, id).await.unwrap().is_default);
}

#[tokio::test]
async fn field_values_read_back_and_go_with_their_incident() {
    let t = fresh_db().await;
    let id = incidents::create(&t.db, &incident("A", Severity::Sev2, IncidentStatus::Draft))
        .await
        .unwrap();
    let written = FieldValues(vec![
        value("cost", "Cost", "1200"),
        value("region", "Region", "eu-west"),
    ]);
    templates::write_values(&t.db, id, &written).await.unwrap();
    assert_eq!(templates::values_of(&t.db, id).await.unwrap(), written);
    let loaded = app::server::repo::postmortem::load(&t.db, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(loaded.field_values, written.0);
    incidents::delete(&t.db, id).await.unwrap();
    assert!(templates::values_of(&t.db, id).await.unwrap().0.is_empty());
}

#[tokio::test]
async fn the_list_filters_by_a_field_value_exactly_even_past_the_indexed_prefix() {
    let t = fresh_db().await;
    let long = "x".repeat(150);
    let mut ids = Vec::new();
    for (title, region) in [
        ("eu", "eu-west"),
        ("us", "us-east"),
        ("long", long.as_str()),
    ] {
        let id = incidents::create(
            &t.db,
            &incident(title, Severity::Sev2, IncidentStatus::Draft),
        )
        .await
        .unwrap();
        templates::write_values(
            &t.db,
            id,
            &FieldValues(vec![value("region", "Region", region)]),
        )
        .await
        .unwrap();
        ids.push(id);
    }
    let titles = |key: &str, value: &str| {
        let filter = IncidentFilter {
            field_value: Some((key.to_owned(), value.to_owned())),
            ..Default::default()
        };
        let db = t.db.clone();
        async move {
            incidents::list_page(&db, &filter, false, 0, 50)
                .await
                .unwrap()
                .incidents
                .into_iter()
                .map(|i| i.title)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(titles("region", "eu-west").await, ["eu"]);
    assert_eq!(titles("region", &long).await, ["long"]);
    let almost = format!("{}y", "x".repeat(149));
    assert!(
        titles("region", &almost).await.is_empty(),
        "same prefix, other value"
    );
    assert!(titles("other", "eu-west").await.is_empty());
}

/// The filter's statement finds the incidents by the values' index, not by reading every value.
#[tokio::test]
async fn the_field_filter_reads_the_values_through_its_index() {
    let t = fresh_db().await;
    let query = templates::with_value("region", "eu-west");
    if t.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        use sea_orm::TransactionTrait;
        let sql = query.to_string(sea_orm::sea_query::PostgresQueryBuilder);
        let txn = t.db.begin().await.unwrap();
        // With sequential scans priced out, the plan shows whether the index serves the filter.
        txn.execute_unprepared("SET LOCAL enable_seqscan = off")
            .await
            .unwrap();
        let plan: Vec<String> = txn
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!("EXPLAIN {sql}"),
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get("", "QUERY PLAN").unwrap())
            .collect();
        assert!(
            plan.iter()
                .any(|step| step.contains("ix_incident_field_values_filter")),
            "{plan:?} {sql}"
        );
        return;
    }
    let sql = query.to_string(sea_orm::sea_query::SqliteQueryBuilder);
    let plan: Vec<String> =
        t.db.query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            format!("EXPLAIN QUERY PLAN {sql}"),
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get("", "detail").unwrap())
        .collect();
    assert!(
        plan.iter()
            .any(|step| step.contains("ix_incident_field_values_filter")),
        "{plan:?} {sql}"
    );
}

#[tokio::test]
async fn an_imported_export_keeps_its_field_values_and_finds_its_template_by_name() {
    let t = fresh_db().await;
    let regional = templates::create(&t.db, "Regional", &Definition::standard())
        .await
        .unwrap();
    let id = incidents::create(&t.db, &incident("A", Severity::Sev2, IncidentStatus::Draft))
        .await
        .unwrap();
    templates::set_for_incident(&t.db, id, Some(regional))
        .await
        .unwrap();
    templates::write_values(
        &t.db,
        id,
        &FieldValues(vec![value("region", "Region", "eu-west")]),
    )
    .await
    .unwrap();
    let loaded = app::server::repo::postmortem::load(&t.db, id)
        .await
        .unwrap()
        .unwrap();
    let mut export = app::domain::export::PostmortemExport::of(&loaded.parts());
    export.template = Some(app::domain::template::ExportedTemplate {
        name: "Regional".into(),
        definition: Definition::standard(),
    });
    let json = serde_json::to_string(&export).unwrap();
    let back: app::domain::export::PostmortemExport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.check(), Ok(()));
    let imported = app::server::repo::postmortem::import(&t.db, &back)
        .await
        .unwrap();
    assert_eq!(
        templates::values_of(&t.db, imported)
            .await
            .unwrap()
            .by_key()
            .get("region")
            .map(String::as_str),
        Some("eu-west")
    );
    assert_eq!(
        templates::for_incident(&t.db, imported).await.unwrap().name,
        "Regional"
    );
}

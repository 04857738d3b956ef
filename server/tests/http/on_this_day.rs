//! "On this day" against the real server: the library shows postmortems published on this
//! month and day in earlier years, in the reader's zone, and nothing when there are none.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};

use crate::common::{TestApp, incident_of, on_server, spawn, text_of};
use app::server::repo::feeds::on_this_day;

/// Sets when `incident` was published, directly in the database (as if published then).
async fn published_at(app: &TestApp, incident: i64, at: DateTime<Utc>) {
    let db = app.db.clone();
    on_server(async move {
        use app::server::entities::published_postmortems as rows;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        rows::Entity::update_many()
            .col_expr(rows::Column::PublishedAt, Expr::value(at))
            .filter(rows::Column::IncidentId.eq(incident))
            .exec(&db)
            .await
            .expect("published_at set");
    })
    .await;
}

/// The same instant `years` years earlier (on 29 February, the day before).
fn years_before(at: DateTime<Utc>, years: i32) -> DateTime<Utc> {
    let date = at.date_naive();
    let day = NaiveDate::from_ymd_opt(date.year() - years, date.month(), date.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(date.year() - years, 2, 28).unwrap());
    Utc.from_utc_datetime(&day.and_time(at.time()))
}

#[tokio::test]
async fn the_library_shows_what_was_published_on_this_day_in_earlier_years() {
    let app = spawn().await;
    let long_ago = incident_of(&app.load_example().await);
    let other_day = incident_of(&app.load_example().await);
    let just_now = incident_of(&app.load_example().await);
    for id in [long_ago, other_day, just_now] {
        app.publish(id).await;
    }
    let (_, html) = app.page("/library").await;
    assert!(
        !text_of(&html).contains("On this day"),
        "hidden when nothing was published on this day in an earlier year"
    );
    // Noon UTC: the same day for the admin, who reads in UTC.
    let noon = Utc::now()
        .date_naive()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc();
    published_at(&app, long_ago, years_before(noon, 3)).await;
    published_at(&app, other_day, years_before(noon, 2) - Duration::days(2)).await;
    let (status, html) = app.page("/library").await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(text.contains("On this day"), "{text}");
    let year = years_before(noon, 3).year();
    assert!(
        text.contains(&format!("published {year} (3 years ago)")),
        "{text}"
    );
    assert!(html.contains(&format!("href=\"/incidents/{long_ago}\"")));
    let section = html.split("id=\"on-this-day\"").nth(1).unwrap_or_default();
    let section = section.split("</section>").next().unwrap_or_default();
    assert!(
        !section.contains(&format!("/incidents/{other_day}\"")),
        "another day"
    );
    assert!(
        !section.contains(&format!("/incidents/{just_now}\"")),
        "this year"
    );
}

#[tokio::test]
async fn on_this_day_reads_the_day_in_the_readers_zone() {
    let app = spawn().await;
    let id = incident_of(&app.load_example().await);
    app.publish(id).await;
    // 23:30 UTC on 23 March 2023 is already 24 March two hours east.
    let at = Utc.with_ymd_and_hms(2023, 3, 23, 23, 30, 0).unwrap();
    published_at(&app, id, at).await;
    let db = app.db.clone();
    let found = on_server(async move {
        let east = FixedOffset::east_opt(2 * 3600).unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let ids = |v: Vec<app::server::repo::feeds::Published>| {
            v.into_iter()
                .map(|p| p.postmortem.incident.id)
                .collect::<Vec<_>>()
        };
        (
            ids(on_this_day(&db, day(3, 23), &Utc, 5).await.unwrap()),
            ids(on_this_day(&db, day(3, 24), &Utc, 5).await.unwrap()),
            ids(on_this_day(&db, day(3, 24), &east, 5).await.unwrap()),
            ids(on_this_day(&db, day(3, 23), &east, 5).await.unwrap()),
            ids(on_this_day(&db, day(3, 24), &east, 0).await.unwrap()),
        )
    })
    .await;
    assert_eq!(found.0, vec![id], "23 March in UTC");
    assert!(found.1.is_empty(), "not 24 March in UTC");
    assert_eq!(found.2, vec![id], "24 March two hours east");
    assert!(found.3.is_empty(), "not 23 March two hours east");
    assert!(found.4.is_empty(), "the limit is kept");
}

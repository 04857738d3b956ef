//! Impact figures.

use super::*;

#[tokio::test]
async fn every_kind_of_impact_figure_reads_back_exactly() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Impact").await;
    let exact = NewImpactFigure {
        window: Some(ApproxDuration {
            seconds: 5_400,
            approximate: false,
        }),
        ..figure("card payments declined", Quantity::Exact(1_234.5))
    };
    let approximate = NewImpactFigure {
        unit: String::new(),
        window: Some(ApproxDuration {
            seconds: 60,
            approximate: true,
        }),
        ..figure("customer logins failed", Quantity::Approximate(500.0))
    };
    let range = NewImpactFigure {
        unit: "EUR".into(),
        customer_visible: false,
        estimation: "finance's estimate of refunds".into(),
        ..figure(
            "refunds owed",
            Quantity::Range {
                low: 0.25,
                high: 1_750_000.0,
            },
        )
    };
    let mut ids = Vec::new();
    for f in [&exact, &approximate, &range] {
        ids.push(impact::add(&t.db, id, f).await.expect("figure added"));
    }

    let listed = impact::list_for_incidents(&t.db, &[id])
        .await
        .expect("listed");

    assert_eq!(
        listed.iter().map(|f| &f.figure).collect::<Vec<_>>(),
        [&exact, &approximate, &range]
    );
    assert_eq!(listed.iter().map(|f| f.id).collect::<Vec<_>>(), ids);
    assert!(listed.iter().all(|f| f.incident_id == id));
    assert_eq!(
        impact::get(&t.db, ids[1])
            .await
            .expect("read")
            .map(|f| f.figure),
        Some(approximate)
    );
}

#[tokio::test]
async fn updating_an_impact_figure_replaces_its_quantity_and_window() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Impact").await;
    let figure_id = impact::add(
        &t.db,
        id,
        &NewImpactFigure {
            window: Some(ApproxDuration {
                seconds: 600,
                approximate: true,
            }),
            ..figure(
                "orders lost",
                Quantity::Range {
                    low: 10.0,
                    high: 20.0,
                },
            )
        },
    )
    .await
    .expect("figure added");
    let counted = figure("orders lost", Quantity::Exact(17.0));

    assert_eq!(
        impact::update(&t.db, figure_id, &counted)
            .await
            .expect("updated"),
        Some(id)
    );
    assert_eq!(
        impact::get(&t.db, figure_id)
            .await
            .expect("read")
            .map(|f| f.figure),
        Some(counted.clone())
    );
    assert_eq!(
        impact::delete(&t.db, figure_id).await.expect("deleted"),
        Some(id)
    );
    assert_eq!(
        impact::update(&t.db, figure_id, &counted)
            .await
            .expect("no database error"),
        None
    );
}

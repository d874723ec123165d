//! The audit log is append-only for the app role and hash-chained per tenant: verify proves the
//! chain intact after concurrent writes, and names the first broken row after tampering by the
//! owner (a changed row, a removed row).

use diesel::connection::SimpleConnection;
use diesel::Connection;
use jinbao_store::repo::audit;
use jinbao_store::Actor;
use jinbao_tests::{id_number, register_person, TestApp};

/// Seals what was written, then verifies (as the server's sealing thread and the CLI do).
fn verify(app: &TestApp, tenant: &str) -> audit::ChainCheck {
    let t = app.tenant_id(tenant);
    app.db.tenant(t, Actor::system("test"), audit::seal).unwrap();
    app.db.tenant(t, Actor::system("test"), audit::verify).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_chain_holds_under_concurrent_writes_and_names_the_first_tampered_row() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let mut writes = Vec::new();
    for i in 0..16 {
        let (app, clerk) = (&app, &clerk);
        writes.push(async move { register_person(app, clerk, &id_number("411002", "19800101", 100 + i), &format!("并发{i}")).await });
    }
    futures_util::future::join_all(writes).await;
    let c = verify(&app, "411000");
    assert_eq!(c.first_broken, None, "{c:?}");
    assert!(c.rows >= 16, "{c:?}");
    assert_eq!(c.head_seq, c.rows, "one chain row per audit row, no gaps");
    assert_eq!(c.unsealed, 0);
    // Another tenant's chain is its own and intact too.
    let other = app.token("411600", "clerk", &["clerk"]).await;
    register_person(&app, &other, &id_number("411602", "19800101", 11), "周口人").await;
    assert_eq!(verify(&app, "411600").first_broken, None);

    // The app role can neither change nor remove audit rows.
    let mut conn = app.app_conn();
    let tid = app.tenant_id("411000").0;
    for sql in [
        "UPDATE audit_log SET reason = 'x'",
        "DELETE FROM audit_log",
        "UPDATE audit_chain_head SET last_seq = 0",
        "INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, chain_seq, prev_hash, hash) VALUES (app_tenant(), 'x', 'x', 'x', 'x', 1, '', '')",
    ] {
        let err = conn
            .transaction::<(), diesel::result::Error, _>(|c| {
                c.batch_execute(&format!("SELECT set_tenant({tid}::smallint); {sql}"))
            })
            .unwrap_err();
        assert!(err.to_string().contains("permission denied"), "{sql}: {err}");
    }

    // The owner changes one row's content: verify names exactly that row.
    let mut owner = app.owner_conn();
    let seq = 5;
    owner
        .batch_execute(&format!(
            "BEGIN; SELECT set_tenant({tid}::smallint);
             UPDATE audit_log SET reason = 'changed afterwards' WHERE chain_seq = {seq}; COMMIT;"
        ))
        .unwrap();
    let c = verify(&app, "411000");
    let b = c.first_broken.expect("tampering detected");
    assert_eq!((b.chain_seq, b.problem.as_str()), (seq, "content"));
    // Recomputing that row's own hash does not help: the next row no longer links to it.
    owner
        .batch_execute(&format!(
            "BEGIN; SELECT set_tenant({tid}::smallint);
             UPDATE audit_log a SET hash = audit_hash(a.prev_hash, a.tenant_id, a.chain_seq, a.at, a.user_id, a.office_id, a.actor,
                 a.action, a.entity, a.entity_id, a.before, a.after, a.reason, a.request_id) WHERE chain_seq = {seq}; COMMIT;"
        ))
        .unwrap();
    let b = verify(&app, "411000").first_broken.expect("still detected");
    assert_eq!((b.chain_seq, b.problem.as_str()), (seq + 1, "link"));

    // In Zhoukou, a removed row shows as a gap.
    let zk = app.tenant_id("411600").0;
    register_person(&app, &other, &id_number("411602", "19800102", 13), "周口人二").await;
    owner.batch_execute(&format!("BEGIN; SELECT set_tenant({zk}::smallint); DELETE FROM audit_log WHERE chain_seq = 1; COMMIT;")).unwrap();
    let b = verify(&app, "411600").first_broken.expect("removal detected");
    assert_eq!(b.problem, "sequence", "{b:?}");
}

/// The chain's hash from the row's columns (`audit_hash`, which the seal and the check use since
/// the Citus work) equals the one from the whole row (`audit_row_hash`, which sealed the rows
/// written before): chains sealed before still verify.
#[tokio::test(flavor = "multi_thread")]
async fn the_column_hash_equals_the_row_hash_for_every_row() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    for i in 0..3 {
        register_person(&app, &clerk, &id_number("411002", "19810101", 200 + i), &format!("散列{i}")).await;
    }
    verify(&app, "411000");
    let tid = app.tenant_id("411000").0;
    let (rows, equal) = app
        .owner_conn()
        .transaction::<(i64, i64), diesel::result::Error, _>(|c| {
            c.batch_execute(&format!("SELECT set_tenant({tid}::smallint)"))?;
            #[derive(diesel::QueryableByName)]
            struct R {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                rows: i64,
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                equal: i64,
            }
            let r: R = diesel::RunQueryDsl::get_result(
                diesel::sql_query(
                    "SELECT count(*) AS rows,
                            count(*) FILTER (WHERE audit_row_hash(a.prev_hash, a) = audit_hash(a.prev_hash, a.tenant_id, a.chain_seq,
                                a.at, a.user_id, a.office_id, a.actor, a.action, a.entity, a.entity_id, a.before, a.after, a.reason,
                                a.request_id)) AS equal
                     FROM audit_log a WHERE a.chain_seq IS NOT NULL",
                ),
                c,
            )?;
            Ok((r.rows, r.equal))
        })
        .unwrap();
    assert!(rows >= 3, "{rows} sealed rows");
    assert_eq!(equal, rows);
}

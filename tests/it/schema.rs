//! Migrations apply, revert and re-apply cleanly, so `down.sql` stays true.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use jinbao_store::bootstrap::{with_database, with_user, OWNER_ROLE};

#[test]
fn migrations_apply_revert_and_reapply() {
    let admin = jinbao_tests::admin_url();
    jinbao_store::bootstrap::bootstrap(&admin, None, None).unwrap();
    let name = format!("jinbao_t_{}_migrations", std::process::id());
    let mut c = PgConnection::establish(&admin).unwrap();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name} OWNER {OWNER_ROLE} TEMPLATE template0")).unwrap();
    let owner = with_user(&with_database(&admin, &name), OWNER_ROLE);
    let applied = jinbao_store::migrate::run_pending(&owner).unwrap();
    assert!(!applied.is_empty());
    let reverted = jinbao_store::migrate::revert_all(&owner).unwrap();
    assert_eq!(reverted, applied.len());
    let again = jinbao_store::migrate::run_pending(&owner).unwrap();
    assert_eq!(again, applied);
    assert!(jinbao_store::migrate::run_pending(&owner).unwrap().is_empty(), "nothing left pending");
    c.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).unwrap();
}

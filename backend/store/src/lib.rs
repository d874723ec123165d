//! PostgreSQL access for Jinbao.
//!
//! The only way to reach tenant data is [`Db::tenant`]: it checks out a connection, opens a
//! transaction, sets `jinbao.tenant_id` transaction-locally and hands the closure a [`TenantTx`].
//! Repository functions take `&mut TenantTx`, so code that forgot the tenant does not compile.

pub mod analytics;
pub mod bootstrap;
pub mod citus;
pub mod error;
pub mod kinds;
pub mod migrate;
pub mod pool;
pub mod repo;
pub mod schema;
pub mod tenant_benefits;
pub mod tenant_config;
pub mod tenant_tx;

pub use analytics::{Analytics, AnalyticsConn, ProvinceSession};
pub use error::StoreError;
pub use pool::{Db, PoolSettings};
pub use tenant_tx::{Actor, TenantId, TenantSession, TenantTx};

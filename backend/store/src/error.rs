use jinbao_domain::FieldError;

/// What can go wrong below the HTTP edge. The edge maps each variant to one status code.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No connection within the pool's timeout (database down or saturated): 503.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The record does not exist in the caller's tenant (another tenant's record looks the same): 404.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule of the tenant was hit: 409.
    #[error("conflict on {}: {}", .0.field, .0.code)]
    Conflict(FieldError),
    /// Input that parsed but breaks a rule needing the database (e.g. unknown office): 422.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// The caller's tenant or role may not do this (a city user on a province door): 403.
    #[error("forbidden")]
    Forbidden,
    /// The token's user is gone or disabled, or the token was revoked: 401.
    #[error("session no longer valid")]
    SessionInvalid,
    #[error(transparent)]
    Db(diesel::result::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for StoreError {
    /// A write refused because the transaction is read-only means the tenant is suspended.
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, _) => StoreError::conflict("tenant", "tenant.suspended"),
            // Two requests raced for the same rows: the loser is told to try again.
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => StoreError::conflict("request", "request.retry"),
            Error::DatabaseError(_, ref info) if info.message().starts_with("deadlock detected") => {
                StoreError::conflict("request", "request.retry")
            }
            // The server went away (a restart, sessions terminated, the network): the request may be
            // retried once the pool has reconnected — a 503, never a 500.
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, ref info) => StoreError::Unavailable(info.message().to_string()),
            Error::DatabaseError(_, ref info) if connection_lost(info.message()) => StoreError::Unavailable(info.message().to_string()),
            // The server lacks a resource for now (a full disk, no connection slot, memory): the
            // request changed nothing (its transaction rolled back) and may be sent again later.
            Error::DatabaseError(_, ref info) if resources_exhausted(info.message()) => StoreError::Unavailable(info.message().to_string()),
            Error::BrokenTransactionManager => StoreError::Unavailable("transaction manager broken by a lost connection".into()),
            other => StoreError::Db(other),
        }
    }
}

/// A domain rule refused the input: 422 on that field.
impl From<FieldError> for StoreError {
    fn from(e: FieldError) -> Self {
        StoreError::Invalid(vec![e])
    }
}

/// Messages of libpq and the server when the connection is gone or the server is going down.
fn connection_lost(message: &str) -> bool {
    const LOST: [&str; 9] = [
        "terminating connection",
        "server closed the connection",
        "no connection to the server",
        "could not receive data from server",
        "could not send data to server",
        "connection to server was lost",
        "SSL connection has been closed",
        "the database system is shutting down",
        "the database system is starting up",
    ];
    LOST.iter().any(|m| message.contains(m))
}

/// Messages of the server when it lacks a resource (SQLSTATE class 53 and the disk errors beneath it).
fn resources_exhausted(message: &str) -> bool {
    const EXHAUSTED: [&str; 6] = [
        "No space left on device",
        "could not extend file",
        "too many connections",
        "remaining connection slots are reserved",
        "out of memory",
        "could not write to file",
    ];
    EXHAUSTED.iter().any(|m| message.contains(m))
}

impl StoreError {
    /// A code safe to store and show (a job's failure): never the database's own text, which
    /// may name tables, constraints or values.
    pub fn public_code(&self) -> String {
        match self {
            StoreError::Unavailable(_) => "unavailable".into(),
            StoreError::NotFound => "not_found".into(),
            StoreError::Conflict(f) => f.code.to_string(),
            StoreError::Invalid(fs) => fs.first().map_or_else(|| "validation".into(), |f| f.code.to_string()),
            StoreError::Forbidden => "auth.forbidden".into(),
            StoreError::SessionInvalid => "auth.unauthorized".into(),
            StoreError::Db(_) | StoreError::Other(_) => "internal".into(),
        }
    }

    pub fn invalid(field: &'static str, code: &'static str) -> Self {
        StoreError::Invalid(vec![FieldError::new(field, code)])
    }

    pub fn conflict(field: &'static str, code: &'static str) -> Self {
        StoreError::Conflict(FieldError::new(field, code))
    }
}

/// True for a unique-constraint violation on the named constraint.
pub fn is_unique_violation(e: &diesel::result::Error, constraint: &str) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => match info.constraint_name() {
            Some(name) => name == constraint,
            None => names_constraint(info.message(), constraint),
        },
        _ => false,
    }
}

/// Whether an error message names `constraint`, also as a shard's copy of it. On Citus the error
/// comes from the worker: the message names the shard's constraint (`person_id_number_key_102754`)
/// and the constraint field is not passed on.
fn names_constraint(message: &str, constraint: &str) -> bool {
    let Some(name) = message.split("constraint \"").nth(1).and_then(|rest| rest.split('"').next()) else {
        return false;
    };
    name == constraint
        || name
            .strip_prefix(constraint)
            .and_then(|rest| rest.strip_prefix('_'))
            .is_some_and(|shard| !shard.is_empty() && shard.bytes().all(|b| b.is_ascii_digit()))
}

pub type StoreResult<T> = Result<T, StoreError>;

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error};

    struct Info(&'static str);

    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    #[test]
    fn a_constraint_is_recognised_in_the_message_also_as_a_shards_copy() {
        let m = |c: &str| format!("duplicate key value violates unique constraint \"{c}\"");
        assert!(names_constraint(&m("collection_bank_ref"), "collection_bank_ref"));
        assert!(names_constraint(&m("collection_bank_ref_102091"), "collection_bank_ref"));
        assert!(!names_constraint(&m("collection_bank_ref_x1"), "collection_bank_ref"));
        assert!(!names_constraint(&m("collection_bank_ref_"), "collection_bank_ref"));
        assert!(!names_constraint(&m("collection_bank"), "collection_bank_ref"));
        assert!(!names_constraint(&m("other_102091"), "collection_bank_ref"));
        assert!(!names_constraint("duplicate key value", "collection_bank_ref"));
    }

    fn classify(message: &'static str) -> StoreError {
        Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(Info(message))).into()
    }

    #[test]
    fn a_lost_server_or_an_exhausted_resource_is_unavailable_and_other_faults_are_not() {
        for m in [
            "could not extend file \"base/16384/16397\": No space left on device",
            "sorry, too many connections for role \"jinbao_app\"",
            "remaining connection slots are reserved for non-replication superuser connections",
            "out of memory",
            "terminating connection due to administrator command",
            "the database system is shutting down",
        ] {
            assert!(matches!(classify(m), StoreError::Unavailable(_)), "{m}");
        }
        assert!(matches!(classify("division by zero"), StoreError::Db(_)));
        assert!(matches!(classify("deadlock detected"), StoreError::Conflict(_)));
    }
}

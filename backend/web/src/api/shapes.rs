//! Response shapes shared by several operations.

/// A whole list (no paging: the list is bounded by its nature or by a stated limit).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "{T}List")]
pub struct Items<T> {
    pub items: Vec<T>,
}

impl<T> Items<T> {
    pub fn of(items: Vec<T>) -> Items<T> {
        Items { items }
    }
}

/// The id of the record just created.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Created {
    pub id: i64,
}

/// A single page holding what an exact lookup found (at most one record).
pub fn exact<T>(found: Option<T>, per_page: i64) -> jinbao_store::repo::Page<T> {
    jinbao_store::repo::Page { items: found.into_iter().collect(), page: 1, per_page, has_more: false }
}

/// A row of an uploaded file that could not be used.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RowCode {
    /// The row number in the file (the header is row 1).
    pub row: i64,
    /// The problem's code.
    pub code: String,
    /// The problem in the response language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

//! Legacy data import (docs/import-format.md).

pub mod persons;

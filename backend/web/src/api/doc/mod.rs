//! The OpenAPI document of `/api/v1`, built from the code: every schema is generated from the Rust
//! type the handler reads or writes (`schemars`, with the type's doc comments as descriptions and its
//! `validator` attributes as constraints); the operations, their prose and examples sit in one module
//! per area beside this one. `jinbao openapi` writes the result to `docs/openapi.json`, and the server
//! serves the same document at `/api/v1/openapi.json`.

mod components;
mod operations;

use std::sync::OnceLock;

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

/// Collects the schemas the operations name. Request bodies and query values are described as the
/// server reads them, responses as it writes them.
pub struct Doc {
    read: SchemaGenerator,
    write: SchemaGenerator,
    paths: Map<String, Value>,
}

impl Doc {
    fn new() -> Doc {
        Doc {
            read: SchemaSettings::openapi3().for_deserialize().into_generator(),
            write: SchemaSettings::openapi3().for_serialize().into_generator(),
            paths: Map::new(),
        }
    }

    /// The schema of a request body or parameter: what the server accepts.
    pub fn input<T: JsonSchema>(&mut self) -> Value {
        self.read.subschema_for::<T>().to_value()
    }

    /// The schema of a response body: what the server sends.
    pub fn output<T: JsonSchema>(&mut self) -> Value {
        self.write.subschema_for::<T>().to_value()
    }

    /// Adds one operation (`method` in lower case) under `path`.
    pub fn op(&mut self, method: &str, path: &str, operation: Value) {
        let item = self.paths.entry(path.to_string()).or_insert_with(|| json!({}));
        let previous = item.as_object_mut().expect("a path item is an object").insert(method.to_string(), operation);
        assert!(previous.is_none(), "{method} {path} is documented twice");
    }

    /// Parameters shared by every operation of `path`.
    pub fn path_parameters(&mut self, path: &str, parameters: Value) {
        let item = self.paths.entry(path.to_string()).or_insert_with(|| json!({}));
        item.as_object_mut().expect("a path item is an object").insert("parameters".into(), parameters);
    }

    fn finish(mut self, mut document: Value) -> Value {
        let mut schemas = self.read.take_definitions(true);
        for (name, written) in self.write.take_definitions(true) {
            match schemas.get(&name) {
                Some(read) if *read != written => {
                    panic!("schema {name} differs between request and response: give the types different names")
                }
                _ => {
                    schemas.insert(name, written);
                }
            }
        }
        let mut sorted: Vec<(String, Value)> = schemas.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        document["paths"] = Value::Object(self.paths);
        document["components"]["schemas"] = Value::Object(sorted.into_iter().collect());
        document
    }
}

/// The whole document.
pub fn document() -> Value {
    let mut doc = Doc::new();
    let head = components::head(&mut doc);
    operations::all(&mut doc);
    doc.finish(head)
}

/// The document as served, rendered once.
pub fn rendered() -> &'static str {
    static RENDERED: OnceLock<String> = OnceLock::new();
    RENDERED.get_or_init(|| serde_json::to_string_pretty(&document()).expect("the document serializes"))
}

/// A reference to a shared part of the document: `r("responses/NotFound")`.
pub fn r(component: &str) -> Value {
    json!({ "$ref": format!("#/components/{component}") })
}

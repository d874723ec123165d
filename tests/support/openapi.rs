//! The generated OpenAPI document as a contract the tests hold the server to: every JSON
//! response the test helpers receive from a documented operation must have a documented status
//! and a body valid against the documented schema.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use jsonschema::{Draft, Validator};
use serde_json::{json, Value};

/// The document, with OpenAPI 3.0's `nullable` rewritten as JSON Schema so a standard validator
/// reads it.
pub struct Contract {
    doc: Value,
    schemas: Value,
    validators: Mutex<HashMap<String, std::sync::Arc<Validator>>>,
}

pub fn contract() -> &'static Contract {
    static C: OnceLock<Contract> = OnceLock::new();
    C.get_or_init(|| {
        let doc = jinbao_web::api::doc::document();
        let mut schemas = doc["components"]["schemas"].clone();
        nullable_to_null(&mut schemas);
        Contract { doc, schemas, validators: Mutex::new(HashMap::new()) }
    })
}

fn nullable_to_null(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for x in m.values_mut() {
                nullable_to_null(x);
            }
            if m.remove("nullable") == Some(Value::Bool(true)) {
                match m.get("type").cloned() {
                    Some(Value::String(t)) => {
                        m.insert("type".into(), json!([t, "null"]));
                        if let Some(Value::Array(e)) = m.get_mut("enum") {
                            e.push(Value::Null);
                        }
                    }
                    _ => {
                        let inner = Value::Object(std::mem::take(m));
                        m.insert("anyOf".into(), json!([inner, {"type": "null"}]));
                    }
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(nullable_to_null),
        _ => {}
    }
}

/// The template of a documented path that `path` (without query) is an instance of, preferring
/// the most literal match (`/persons/search` over `/persons/{id}`).
fn template<'a>(paths: &'a serde_json::Map<String, Value>, path: &str) -> Option<&'a str> {
    let want: Vec<&str> = path.split('/').collect();
    paths
        .keys()
        .filter(|t| {
            let segs: Vec<&str> = t.split('/').collect();
            segs.len() == want.len()
                && segs.iter().zip(&want).all(|(s, w)| (s.starts_with('{') && s.ends_with('}') && !w.is_empty()) || s == w)
        })
        .max_by_key(|t| t.split('/').filter(|s| !s.starts_with('{')).count())
        .map(String::as_str)
}

impl Contract {
    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => r.strip_prefix("#/").map(|p| p.split('/').fold(&self.doc, |acc, k| &acc[k])).unwrap_or(v),
            None => v,
        }
    }

    fn validator(&self, key: &str, schema: &Value) -> Result<std::sync::Arc<Validator>, String> {
        if let Some(v) = self.validators.lock().unwrap().get(key) {
            return Ok(v.clone());
        }
        let mut schema = schema.clone();
        nullable_to_null(&mut schema);
        let root = json!({"allOf": [schema], "components": {"schemas": self.schemas}});
        let v = std::sync::Arc::new(
            jsonschema::options().with_draft(Draft::Draft202012).build(&root).map_err(|e| format!("schema of {key}: {e}"))?,
        );
        self.validators.lock().unwrap().insert(key.to_string(), v.clone());
        Ok(v)
    }

    /// Checks one exchange. Paths the document does not describe (pages, unknown routes, methods
    /// a route refuses with 405) are not its business and pass.
    pub fn check(&self, method: &str, url_path: &str, status: u16, content_type: &str, body: &[u8]) -> Result<(), String> {
        let path = url_path.split('?').next().unwrap_or(url_path);
        let paths = self.doc["paths"].as_object().expect("paths");
        let Some(t) = template(paths, path) else { return Ok(()) };
        let Some(op) = paths[t].get(method.to_ascii_lowercase()) else { return Ok(()) };
        let what = format!("{method} {t} → {status}");
        let response = op["responses"].get(status.to_string()).or_else(|| op["responses"].get("default"));
        let Some(response) = response else {
            return Err(format!("{what}: status not documented; body: {}", String::from_utf8_lossy(body)));
        };
        let response = self.resolve(response);
        if !content_type.starts_with("application/json") {
            return Ok(());
        }
        let Some(schema) = response["content"]["application/json"].get("schema") else {
            return Err(format!("{what}: JSON body not documented"));
        };
        let instance: Value = serde_json::from_slice(body).map_err(|e| format!("{what}: body is not JSON: {e}"))?;
        let validator = self.validator(&what, schema)?;
        let problems: Vec<String> = validator.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path)).take(5).collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("{what}: body does not match the document: {}\nbody: {}", problems.join("; "), truncate(body)))
        }
    }

    /// Every example in the document (request bodies, responses, schemas' own), checked against
    /// the schema beside it. Returns the problems found.
    pub fn check_examples(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (path, item) in self.doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                if method == "parameters" {
                    continue;
                }
                let mut media: Vec<(String, &Value)> = Vec::new();
                if let Some(c) = self.resolve(&op["requestBody"]).get("content").and_then(Value::as_object) {
                    media.extend(c.iter().map(|(k, v)| (format!("{method} {path} request {k}"), v)));
                }
                for (status, r) in op["responses"].as_object().into_iter().flatten() {
                    if let Some(c) = self.resolve(r).get("content").and_then(Value::as_object) {
                        media.extend(c.iter().map(|(k, v)| (format!("{method} {path} {status} {k}"), v)));
                    }
                }
                for (what, m) in media {
                    let Some(schema) = m.get("schema") else { continue };
                    let mut examples: Vec<(String, &Value)> = Vec::new();
                    if let Some(e) = m.get("example") {
                        examples.push(("example".into(), e));
                    }
                    for (name, e) in m.get("examples").and_then(Value::as_object).into_iter().flatten() {
                        examples.push((name.clone(), &self.resolve(e)["value"]));
                    }
                    for (name, value) in examples {
                        if !what.contains("application/json") {
                            continue;
                        }
                        match self.validator(&what, schema) {
                            Ok(v) => problems.extend(
                                v.iter_errors(value).take(50).map(|e| format!("{what} example {name}: {e} at {}", e.instance_path)),
                            ),
                            Err(e) => problems.push(e),
                        }
                    }
                }
            }
        }
        problems
    }
}

fn truncate(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(body);
    s.chars().take(600).collect()
}

//! The rooms of the house keep their doors: dependencies point one way
//! (`cli → web → app → store → domain`), the use cases know no HTTP, pages do not reach into the
//! JSON API, and the web crate does no arithmetic on money.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// Lines of the crate's sources (tests excluded) that contain any of `needles`.
fn offending(dir: &str, needles: &[&str]) -> Vec<String> {
    let root = jinbao_tests::repo_root().join(dir);
    let mut out = Vec::new();
    for file in rust_files(&root) {
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let line_code = line.split("//").next().unwrap_or("");
            if needles.iter().any(|w| line_code.contains(w)) {
                out.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    out
}

fn manifest_deps(krate: &str) -> String {
    std::fs::read_to_string(jinbao_tests::repo_root().join(krate).join("Cargo.toml")).unwrap()
}

#[test]
fn dependencies_point_one_way() {
    let app = manifest_deps("backend/app");
    assert!(!app.contains("actix") && !app.contains("jinbao-web") && !app.contains("handlebars"), "the use cases know no HTTP");
    let store = manifest_deps("backend/store");
    assert!(!store.contains("jinbao-app") && !store.contains("jinbao-web"));
    let domain = manifest_deps("backend/domain");
    assert!(!domain.contains("diesel") && !domain.contains("jinbao-store"));
    assert_eq!(offending("backend/app/src", &["actix", "HttpRequest", "HttpResponse", "jinbao_web"]), Vec::<String>::new());
}

#[test]
fn pages_do_not_import_the_json_api() {
    assert_eq!(offending("backend/web/src/pages", &["crate::api", "super::api", "api::"]), Vec::<String>::new());
}

#[test]
fn the_web_crate_does_no_arithmetic_on_money() {
    // Amounts are `Fen`; a sum, a product or a rate applied to one is a formula and lives in the
    // domain crate. Constructing, reading or formatting a `Fen` is fine.
    let found = offending("backend/web/src", &[".checked_mul(", ".checked_add(", "percent_of(", "apply_rate(", "Fen(a.0 +", "Fen(self.0"]);
    let arith: Vec<String> = offending("backend/web/src", &["_fen +", "_fen -", "_fen *", "_fen /", ".0 * ", ".0 + "])
        .into_iter()
        .filter(|l| l.contains("fen") || l.contains("Fen"))
        .collect();
    assert_eq!(found, Vec::<String>::new());
    assert_eq!(arith, Vec::<String>::new());
}

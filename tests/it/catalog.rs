//! The two message catalogues stay in step, and every machine code the code emits has a message.

use jinbao_web::i18n::{Catalog, Lang};

#[test]
fn catalogues_have_the_same_keys_and_every_error_code() {
    let c = Catalog::load(&jinbao_tests::repo_root().join("frontend/locales")).unwrap();
    assert_eq!(c.mismatched_keys(), Vec::<String>::new());
    let mut missing = Vec::new();
    for file in walk(&jinbao_tests::repo_root().join("backend")) {
        let text = std::fs::read_to_string(&file).unwrap();
        for code in codes_in(&text) {
            for lang in [Lang::Zh, Lang::En] {
                if c.error(lang, &code) == format!("errors.{code}") {
                    missing.push(format!("{} ({code}, {lang:?})", file.display()));
                }
            }
        }
    }
    // Codes returned as values (file-level refusals of uploads) rather than by a marker below.
    for code in jinbao_app::upload::CODES {
        for lang in [Lang::Zh, Lang::En] {
            if c.error(lang, code) == format!("errors.{code}") {
                missing.push(format!("jinbao_app::upload::CODES ({code}, {lang:?})"));
            }
        }
    }
    assert!(missing.is_empty(), "codes without messages: {missing:#?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// Error codes are the second argument of `FieldError::new`, `ApiError::field`, `AppError::field`, `invalid`,
/// `conflict`, `push`, or an `Unauthorized(...)`.
fn codes_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in [
        ".fail(",
        "FieldError::new(",
        "ApiError::field(",
        "AppError::field(",
        "StoreError::invalid(",
        "StoreError::conflict(",
        "p.push(",
        "Unauthorized(\"",
        "code: \"",
    ] {
        for (i, _) in text.match_indices(marker) {
            let rest = &text[i + marker.len()..];
            let line = rest.lines().next().unwrap_or("");
            let quoted: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
            let code = if marker.ends_with('"') { line.split('"').next() } else { quoted.get(1).or(quoted.first()).copied() };
            if let Some(code) = code {
                let shaped = !code.is_empty()
                    && code.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
                    && !code.contains("..")
                    && !code.ends_with('.');
                if shaped && (code.contains('.') || ["required", "not_found", "validation"].contains(&code)) {
                    out.push(code.to_string());
                }
            }
        }
    }
    out
}

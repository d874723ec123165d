//! Message catalogues from `frontend/locales/{zh-CN,en}.json` (nested objects; keys are looked up
//! by dotted path, e.g. `errors.id_number.checksum`).

use std::path::Path;

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Lang {
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// From an `Accept-Language` header: English only when English comes before any Chinese.
    pub fn from_accept_language(h: Option<&str>) -> Lang {
        let Some(h) = h else { return Lang::Zh };
        for part in h.split(',') {
            let tag = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if tag.starts_with("zh") {
                return Lang::Zh;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Zh
    }
}

#[derive(Debug, Clone)]
pub struct Catalog {
    zh: Value,
    en: Value,
}

impl Catalog {
    pub fn load(dir: &Path) -> anyhow::Result<Catalog> {
        let read = |name: &str| -> anyhow::Result<Value> {
            let p = dir.join(name);
            let text = std::fs::read_to_string(&p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
        };
        Ok(Catalog { zh: read("zh-CN.json")?, en: read("en.json")? })
    }

    pub fn tree(&self, lang: Lang) -> &Value {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The message at a dotted path, or the path itself when missing (visible, never a panic).
    pub fn text(&self, lang: Lang, key: &str) -> String {
        let mut v = self.tree(lang);
        for part in key.split('.') {
            match v.get(part) {
                Some(next) => v = next,
                None => return key.to_string(),
            }
        }
        v.as_str().map_or_else(|| key.to_string(), str::to_string)
    }

    /// An error message for a machine code.
    pub fn error(&self, lang: Lang, code: &str) -> String {
        self.text(lang, &format!("errors.{code}"))
    }

    /// Every key present in one catalogue but not the other (a test keeps this empty).
    pub fn mismatched_keys(&self) -> Vec<String> {
        fn keys(v: &Value, prefix: &str, out: &mut Vec<String>) {
            if let Value::Object(m) = v {
                for (k, v) in m {
                    keys(v, &format!("{prefix}{k}."), out);
                }
            } else {
                out.push(prefix.trim_end_matches('.').to_string());
            }
        }
        let (mut a, mut b) = (Vec::new(), Vec::new());
        keys(&self.zh, "", &mut a);
        keys(&self.en, "", &mut b);
        let mut out: Vec<String> = a.iter().filter(|k| !b.contains(k)).chain(b.iter().filter(|k| !a.contains(k))).cloned().collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("zh-CN,zh;q=0.9,en;q=0.8")), Lang::Zh);
        assert_eq!(Lang::from_accept_language(None), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("fr")), Lang::Zh);
    }
}

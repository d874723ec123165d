//! Staff accounts: the rules a new account follows — a login name of 2–40 lowercase letters,
//! digits, `_ . -`; a display name of 1–40 characters; at least one role, each one the creator may
//! give — the same for the user administration page and the `jinbao users create` command.

use crate::error::{AppError, Problems};

/// A new account as entered.
#[derive(Debug, Default, Clone)]
pub struct NewUserInput {
    pub username: String,
    pub display_name: String,
    pub office: Option<String>,
    pub roles: Vec<String>,
}

/// A checked new account (the login name lowercased, the texts trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub office: Option<String>,
    pub roles: Vec<String>,
}

pub fn valid_username(name: &str) -> bool {
    (2..=40).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b))
}

impl NewUserInput {
    /// Every problem at once; `assignable` are the roles the creator may give.
    pub fn parse(self, assignable: &[&str]) -> Result<NewAccount, AppError> {
        let mut p = Problems::default();
        let username = self.username.trim().to_ascii_lowercase();
        if !valid_username(&username) {
            p.push("username", "user.username");
        }
        let display_name = self.display_name.trim().to_string();
        if display_name.is_empty() || display_name.chars().count() > 40 {
            p.push("display_name", "required");
        } else if let Some(code) = jinbao_domain::text::name_problem(&display_name) {
            p.push("display_name", code);
        }
        if self.roles.is_empty() || self.roles.iter().any(|r| !assignable.contains(&r.as_str())) {
            p.push("roles", "user.roles");
        }
        p.finish()?;
        let office = self.office.map(|o| o.trim().to_string()).filter(|o| !o.is_empty());
        Ok(NewAccount { username, display_name, office, roles: self.roles })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(v) => v.into_iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_account_has_a_plain_login_a_display_name_and_roles_the_creator_may_give() {
        let ok = NewUserInput {
            username: " Wang.Li ".into(),
            display_name: " 王丽 ".into(),
            office: Some(" ".into()),
            roles: vec!["clerk".into()],
        };
        assert_eq!(
            ok.parse(&["clerk"]).unwrap(),
            NewAccount { username: "wang.li".into(), display_name: "王丽".into(), office: None, roles: vec!["clerk".into()] }
        );
        let bad = NewUserInput { username: "王".into(), display_name: "".into(), office: None, roles: vec!["platform_admin".into()] };
        assert_eq!(codes(bad.parse(&["clerk"]).unwrap_err()), ["username:user.username", "display_name:required", "roles:user.roles"]);
        let ctrl = NewUserInput { username: "ab".into(), display_name: "王\u{7}".into(), office: None, roles: vec![] };
        assert_eq!(codes(ctrl.parse(&["clerk"]).unwrap_err()), ["display_name:text.control_chars", "roles:user.roles"]);
        assert!(valid_username(&"a".repeat(40)) && !valid_username(&"a".repeat(41)) && !valid_username("a"));
    }
}

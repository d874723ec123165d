//! Benefit proposals: the clerk's input, checked and turned into a claim whose calculation keeps
//! every input and intermediate figure (docs/rules.md §6–8). The formulas are the domain's; here the
//! facts are gathered from the person's record and the tenant's parameters.

pub mod maternity;
pub mod pension;
pub mod proposal;
pub mod recalculation;
pub mod unemployment;
pub mod work_injury;

use jinbao_store::kinds::PaymentChannel;
use serde::Deserialize;

use crate::error::Problems;

/// How the beneficiary is paid: a bank account, or a post-office remittance (for people far from
/// a bank).
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
pub struct ChannelInput {
    pub channel: Option<String>,
    pub bank_name: Option<String>,
    pub account_no: Option<String>,
    pub post_address: Option<String>,
}

pub struct Channel {
    pub channel: PaymentChannel,
    pub bank_name: Option<String>,
    pub account_no: Option<String>,
    pub post_address: Option<String>,
}

impl ChannelInput {
    pub fn parse(&self, p: &mut Problems) -> Option<Channel> {
        let clean = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        match self.channel.as_deref().map(str::trim) {
            Some("bank") => {
                let bank = clean(&self.bank_name);
                let account: Option<String> = clean(&self.account_no).map(|a| a.chars().filter(|c| !c.is_whitespace()).collect());
                match bank.as_deref() {
                    None => p.push("bank_name", "required"),
                    Some(b) if b.chars().count() > 100 => p.push("bank_name", "text.too_long"),
                    Some(b) => {
                        if let Some(code) = jinbao_domain::text::name_problem(b) {
                            p.push("bank_name", code);
                        }
                    }
                }
                match &account {
                    None => p.push("account_no", "required"),
                    Some(a) if !(10..=30).contains(&a.len()) || !a.bytes().all(|b| b.is_ascii_digit()) => {
                        p.push("account_no", "account_no.format")
                    }
                    _ => {}
                }
                Some(Channel { channel: PaymentChannel::Bank, bank_name: bank, account_no: account, post_address: None })
            }
            Some("post") => {
                let address = clean(&self.post_address);
                if address.is_none() {
                    p.push("post_address", "required");
                }
                Some(Channel { channel: PaymentChannel::Post, bank_name: None, account_no: None, post_address: address })
            }
            Some(_) => {
                p.push("channel", "channel.invalid");
                None
            }
            None => {
                p.push("channel", "required");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank(name: &str) -> Vec<(String, String)> {
        let input = ChannelInput {
            channel: Some("bank".into()),
            bank_name: Some(name.into()),
            account_no: Some("6222020200000000001".into()),
            post_address: None,
        };
        let mut p = Problems::default();
        input.parse(&mut p);
        p.0.into_iter().map(|f| (f.field, f.code)).collect()
    }

    #[test]
    fn bank_names_refuse_control_characters_and_excess_length() {
        assert!(bank("中国工商银行许昌分行").is_empty());
        assert_eq!(bank("工商\u{7}银行"), [("bank_name".to_string(), "text.control_chars".to_string())]);
        assert_eq!(bank("工商\u{0}银行"), [("bank_name".to_string(), "text.nul".to_string())]);
        assert_eq!(bank("\u{202E}行银"), [("bank_name".to_string(), "text.control_chars".to_string())]);
        assert_eq!(bank(&"行".repeat(101)), [("bank_name".to_string(), "text.too_long".to_string())]);
    }
}

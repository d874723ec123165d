//! Benefit proposals: the clerk's input, checked and turned into a claim whose calculation keeps
//! every input and intermediate figure (REFERENCE §6–8). The formulas are the domain's; here the
//! facts are gathered from the person's record and the tenant's parameters.

pub mod maternity;
pub mod pension;
pub mod recalculation;
pub mod unemployment;

use jinbao_store::repo::benefits::NewClaim;
use serde::Deserialize;

use crate::error::Problems;

/// How the beneficiary is paid: a bank account, or a post-office remittance (for people far from
/// a bank).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChannelInput {
    pub channel: Option<String>,
    pub bank_name: Option<String>,
    pub account_no: Option<String>,
    pub post_address: Option<String>,
}

pub struct Channel {
    pub channel: String,
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
                if bank.is_none() {
                    p.push("bank_name", "required");
                }
                match &account {
                    None => p.push("account_no", "required"),
                    Some(a) if !(10..=30).contains(&a.len()) || !a.bytes().all(|b| b.is_ascii_digit()) => {
                        p.push("account_no", "account_no.format")
                    }
                    _ => {}
                }
                Some(Channel { channel: "bank".into(), bank_name: bank, account_no: account, post_address: None })
            }
            Some("post") => {
                let address = clean(&self.post_address);
                if address.is_none() {
                    p.push("post_address", "required");
                }
                Some(Channel { channel: "post".into(), bank_name: None, account_no: None, post_address: address })
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

impl Channel {
    pub fn apply(self, c: &mut NewClaim) {
        c.channel = self.channel;
        c.bank_name = self.bank_name;
        c.account_no = self.account_no;
        c.post_address = self.post_address;
    }
}

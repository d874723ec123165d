//! Settlement of an insured employee's medical bill (职工基本医疗保险, 国发〔1998〕44号 and the
//! city's implementing rules; docs/benefits.md "Medical settlement").
//!
//! A bill is lines of the catalogue, each of class 甲 (A, fully within the policy), 乙 (B: a share
//! paid by the person first, 先行自付, the rest within the policy) or 丙 (C: outside the policy,
//! paid by the person). Of the policy amount the person pays the deductible (起付线: per stay by
//! hospital level, the second and later stays of a year a percentage of it; outpatient once a
//! year), the fund pays its percentage (by hospital level, higher for retirees) of the rest up to
//! the yearly cap (封顶线), the serious-illness insurance (大额医疗) pays its percentage of what lies
//! above the cap up to its own cap, and the person pays what is left. The person's parts are then
//! paid from the personal medical account as far as its balance goes (class C only where the city
//! allows it).
//!
//! Every yuan of the bill ends in exactly one [`Part`]: who pays it and the rule that decided it.
//! Amounts are exact integer products rounded once, half-up to the fen; parameters are basis points.

use serde::{Deserialize, Serialize};

use super::half_up;
use crate::error::FieldError;
use crate::money::{Fen, RateBp};

/// At most this many lines in one bill.
pub const MAX_LINES: usize = 500;
/// At most this much in one line (1,000,000 yuan).
pub const MAX_LINE_FEN: i64 = 100_000_000;

/// Catalogue class of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Class {
    /// 甲类
    A,
    /// 乙类
    B,
    /// 丙类 (outside the catalogue's paid scope)
    C,
}

impl Class {
    pub fn parse(s: &str) -> Option<Class> {
        match s.trim() {
            "A" | "a" | "甲" => Some(Class::A),
            "B" | "b" | "乙" => Some(Class::B),
            "C" | "c" | "丙" => Some(Class::C),
            _ => None,
        }
    }
}

/// Inpatient stay or outpatient visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Inpatient,
    Outpatient,
}

impl Setting {
    pub fn parse(s: &str) -> Option<Setting> {
        match s {
            "inpatient" => Some(Setting::Inpatient),
            "outpatient" => Some(Setting::Outpatient),
            _ => None,
        }
    }
}

/// One line of a bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Line {
    /// Catalogue code of the drug or service.
    pub code: String,
    pub class: Class,
    pub amount: Fen,
}

/// The city's parameters of a setting (inpatient, outpatient), by hospital level 1–3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LevelParams {
    /// Inpatient: the deductible of a first stay in the year; outpatient: the yearly deductible.
    pub deductible: [Fen; 3],
    /// The fund's share above the deductible, employees.
    pub fund_percent: [RateBp; 3],
    /// The fund's share above the deductible, retirees.
    pub retiree_fund_percent: [RateBp; 3],
}

/// A city's medical parameters in force from a month (tenant file `[[benefits.medical]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MedicalParams {
    pub inpatient: LevelParams,
    /// The deductible of the second and later stays of a year, in percent of the first's.
    pub later_stay_percent: RateBp,
    /// Basic fund's yearly cap for inpatient care (封顶线).
    pub yearly_cap: Fen,
    /// The serious-illness insurance's share above the cap and its own yearly cap.
    pub serious_percent: RateBp,
    pub serious_cap: Fen,
    pub outpatient: LevelParams,
    /// The outpatient pooled fund's yearly cap.
    pub outpatient_cap: Fen,
    /// The share of a class B line the person pays first (乙类先行自付).
    pub class_b_self_percent: RateBp,
    /// Whether the personal account may pay class C lines.
    pub account_pays_class_c: bool,
    /// Monthly credit to a retiree's personal account (a fixed amount per city).
    pub retiree_account_monthly: Fen,
}

/// What the person has already used in the year of the bill (approved settlements).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct YearToDate {
    /// Inpatient stays settled earlier in the year.
    pub stays: u32,
    /// Basic fund paid for inpatient care.
    pub fund: Fen,
    /// Serious-illness insurance paid.
    pub serious: Fen,
    /// Outpatient deductible paid by the person.
    pub outpatient_deductible: Fen,
    /// Outpatient pooled fund paid.
    pub outpatient_fund: Fen,
}

/// Who pays a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// The basic pooled fund (统筹基金).
    Fund,
    /// The serious-illness insurance (大额医疗).
    Serious,
    /// The person's medical account (个人账户).
    Account,
    /// The person in cash (个人现金).
    Person,
    /// The work-injury fund (工伤保险基金): the medical costs of a recognised injury.
    InjuryFund,
}

/// A share of the bill, the payer and the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Part {
    pub payer: Payer,
    /// `class_c`, `class_b_share`, `deductible`, `pooled`, `co_payment`, `serious_illness`,
    /// `serious_co_payment`, `above_cap` (above every cap).
    pub rule: String,
    pub amount: Fen,
}

/// The settlement of one bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Settlement {
    pub total: Fen,
    /// Class A lines plus class B lines less their share: the policy amount.
    pub policy: Fen,
    /// The deductible of this bill before it met the policy amount.
    pub deductible: Fen,
    /// The fund's percentage used (employee or retiree, by level).
    pub fund_percent: RateBp,
    /// Room left under the yearly cap before this bill.
    pub cap_room: Fen,
    pub parts: Vec<Part>,
    pub fund: Fen,
    pub serious: Fen,
    pub account: Fen,
    pub person: Fen,
    /// The year's figures after this bill.
    pub year_after: YearToDate,
}

/// The bill to settle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill<'a> {
    pub setting: Setting,
    /// Hospital level 1–3 (一级、二级、三级).
    pub level: u8,
    pub retiree: bool,
    pub lines: &'a [Line],
}

fn pct(amount: i64, rate: RateBp) -> i64 {
    half_up(i128::from(amount) * i128::from(rate.0.max(0)), 10_000)
}

/// The part of `amount` whose `rate` share fits into `room` (the amount that yields the room).
fn covered_by(room: i64, rate: RateBp, amount: i64) -> i64 {
    if rate.0 <= 0 {
        return amount;
    }
    half_up(i128::from(room) * 10_000, i128::from(rate.0)).min(amount)
}

/// Checks the lines: 1–500 lines, each with a code of 1–40 characters and an amount above zero and
/// at most 1,000,000 yuan. Field errors name the line (`lines[i].code`, `lines[i].amount`).
pub fn check_lines(lines: &[Line]) -> Result<(), FieldError> {
    if lines.is_empty() || lines.len() > MAX_LINES {
        return Err(FieldError::new("lines", "medical.lines_count"));
    }
    for (i, l) in lines.iter().enumerate() {
        let n = l.code.chars().count();
        if n == 0 || n > 40 || l.code.chars().any(char::is_control) {
            return Err(FieldError::at(format!("lines[{i}].code"), "medical.code"));
        }
        if l.amount.0 <= 0 || l.amount.0 > MAX_LINE_FEN {
            return Err(FieldError::at(format!("lines[{i}].amount"), "medical.amount"));
        }
    }
    Ok(())
}

/// Settles a bill against the year so far and the personal account's balance.
pub fn settle(p: &MedicalParams, bill: &Bill<'_>, ytd: YearToDate, account_balance: Fen) -> Result<Settlement, FieldError> {
    check_lines(bill.lines)?;
    if !(1..=3).contains(&bill.level) {
        return Err(FieldError::new("level", "medical.level"));
    }
    let level = usize::from(bill.level - 1);
    let (mut class_c, mut class_b_share, mut policy) = (0i64, 0i64, 0i64);
    for l in bill.lines {
        match l.class {
            Class::A => policy += l.amount.0,
            Class::B => {
                let share = pct(l.amount.0, p.class_b_self_percent);
                class_b_share += share;
                policy += l.amount.0 - share;
            }
            Class::C => class_c += l.amount.0,
        }
    }
    let total = class_c + class_b_share + policy;
    let levels = match bill.setting {
        Setting::Inpatient => &p.inpatient,
        Setting::Outpatient => &p.outpatient,
    };
    let deductible = match bill.setting {
        Setting::Inpatient if ytd.stays >= 1 => pct(levels.deductible[level].0, p.later_stay_percent),
        Setting::Inpatient => levels.deductible[level].0,
        Setting::Outpatient => (levels.deductible[level].0 - ytd.outpatient_deductible.0).max(0),
    };
    let deducted = deductible.min(policy);
    let above = policy - deducted;
    let fund_percent = if bill.retiree { levels.retiree_fund_percent[level] } else { levels.fund_percent[level] };
    let (cap, used) = match bill.setting {
        Setting::Inpatient => (p.yearly_cap.0, ytd.fund.0),
        Setting::Outpatient => (p.outpatient_cap.0, ytd.outpatient_fund.0),
    };
    let cap_room = (cap - used).max(0);
    let wanted = pct(above, fund_percent);
    let (fund, within_cap) = if wanted <= cap_room { (wanted, above) } else { (cap_room, covered_by(cap_room, fund_percent, above)) };
    let co_payment = within_cap - fund;
    let over = above - within_cap;
    let (mut serious, mut serious_co, mut beyond) = (0, 0, over);
    if bill.setting == Setting::Inpatient && over > 0 {
        let room = (p.serious_cap.0 - ytd.serious.0).max(0);
        let wanted = pct(over, p.serious_percent);
        let within = if wanted <= room {
            serious = wanted;
            over
        } else {
            serious = room;
            covered_by(room, p.serious_percent, over)
        };
        serious_co = within - serious;
        beyond = over - within;
    }
    // The person's parts in the order the account pays them.
    let mut person_parts: Vec<(&str, i64)> = vec![
        ("deductible", deducted),
        ("co_payment", co_payment),
        ("class_b_share", class_b_share),
        ("serious_co_payment", serious_co),
        ("above_cap", beyond),
    ];
    if p.account_pays_class_c {
        person_parts.push(("class_c", class_c));
    }
    let mut parts = Vec::new();
    let mut push = |payer: Payer, rule: &str, amount: i64| {
        if amount > 0 {
            parts.push(Part { payer, rule: rule.to_string(), amount: Fen(amount) });
        }
    };
    push(Payer::Fund, "pooled", fund);
    push(Payer::Serious, "serious_illness", serious);
    let mut balance = account_balance.0.max(0);
    let mut account = 0;
    let mut person = 0;
    for (rule, amount) in person_parts {
        let from_account = amount.min(balance);
        balance -= from_account;
        account += from_account;
        person += amount - from_account;
        push(Payer::Account, rule, from_account);
        push(Payer::Person, rule, amount - from_account);
    }
    if !p.account_pays_class_c {
        person += class_c;
        push(Payer::Person, "class_c", class_c);
    }
    let mut year_after = ytd;
    match bill.setting {
        Setting::Inpatient => {
            year_after.stays += 1;
            year_after.fund = Fen(ytd.fund.0 + fund);
            year_after.serious = Fen(ytd.serious.0 + serious);
        }
        Setting::Outpatient => {
            year_after.outpatient_deductible = Fen(ytd.outpatient_deductible.0 + deducted);
            year_after.outpatient_fund = Fen(ytd.outpatient_fund.0 + fund);
        }
    }
    Ok(Settlement {
        total: Fen(total),
        policy: Fen(policy),
        deductible: Fen(deductible),
        fund_percent,
        cap_room: Fen(cap_room),
        parts,
        fund: Fen(fund),
        serious: Fen(serious),
        account: Fen(account),
        person: Fen(person),
        year_after,
    })
}

/// The medical costs of a recognised work injury (工伤保险条例 art. 30): what the work-injury
/// catalogues cover (classes A and B) is paid in full by the work-injury fund — no deductible, no
/// co-payment, no class B share, no cap; class C is outside them and not the fund's (`class_c`,
/// the person's unless the employer agrees otherwise).
pub fn settle_injury(lines: &[Line]) -> Result<Settlement, FieldError> {
    check_lines(lines)?;
    let covered: i64 = lines.iter().filter(|l| l.class != Class::C).map(|l| l.amount.0).sum();
    let class_c: i64 = lines.iter().filter(|l| l.class == Class::C).map(|l| l.amount.0).sum();
    let mut parts = Vec::new();
    if covered > 0 {
        parts.push(Part { payer: Payer::InjuryFund, rule: "injury_catalogue".into(), amount: Fen(covered) });
    }
    if class_c > 0 {
        parts.push(Part { payer: Payer::Person, rule: "class_c".into(), amount: Fen(class_c) });
    }
    Ok(Settlement {
        total: Fen(covered + class_c),
        policy: Fen(covered),
        deductible: Fen(0),
        fund_percent: RateBp(10_000),
        cap_room: Fen(0),
        parts,
        fund: Fen(covered),
        serious: Fen(0),
        account: Fen(0),
        person: Fen(class_c),
        year_after: YearToDate::default(),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    fn y(yuan: i64) -> Fen {
        Fen(yuan * 100)
    }

    fn bp(percent: i32) -> RateBp {
        RateBp(percent * 100)
    }

    /// Zhengzhou-like figures (docs/benefits.md "Medical settlement").
    pub fn params() -> MedicalParams {
        MedicalParams {
            inpatient: LevelParams {
                deductible: [y(400), y(700), y(1000)],
                fund_percent: [bp(90), bp(88), bp(85)],
                retiree_fund_percent: [bp(93), bp(91), bp(89)],
            },
            later_stay_percent: bp(50),
            yearly_cap: y(60_000),
            serious_percent: bp(90),
            serious_cap: y(400_000),
            outpatient: LevelParams {
                deductible: [y(200), y(200), y(200)],
                fund_percent: [bp(60), bp(55), bp(50)],
                retiree_fund_percent: [bp(65), bp(60), bp(55)],
            },
            outpatient_cap: y(3000),
            class_b_self_percent: bp(10),
            account_pays_class_c: false,
            retiree_account_monthly: y(100),
        }
    }

    fn line(class: Class, yuan: i64) -> Line {
        Line { code: "X".into(), class, amount: y(yuan) }
    }

    fn part(s: &Settlement, payer: Payer, rule: &str) -> i64 {
        s.parts.iter().filter(|p| p.payer == payer && p.rule == rule).map(|p| p.amount.0).sum()
    }

    #[test]
    fn a_first_stay_in_a_third_level_hospital() {
        // A 8,000 + B 2,000 + C 500 = 10,500. B share 200; policy 9,800; deductible 1,000;
        // fund 85 % of 8,800 = 7,480; co-payment 1,320; account 1,000 pays the deductible first.
        let lines = [line(Class::A, 8000), line(Class::B, 2000), line(Class::C, 500)];
        let bill = Bill { setting: Setting::Inpatient, level: 3, retiree: false, lines: &lines };
        let s = settle(&params(), &bill, YearToDate::default(), y(1000)).unwrap();
        assert_eq!((s.total, s.policy, s.deductible, s.fund), (y(10_500), y(9800), y(1000), y(7480)));
        assert_eq!((part(&s, Payer::Account, "deductible"), part(&s, Payer::Person, "co_payment")), (100_000, 132_000));
        assert_eq!((part(&s, Payer::Person, "class_b_share"), part(&s, Payer::Person, "class_c")), (20_000, 50_000));
        assert_eq!((s.account, s.person), (y(1000), y(2020)));
        assert_eq!((s.year_after.stays, s.year_after.fund), (1, y(7480)));
    }

    #[test]
    fn a_later_stay_pays_half_the_deductible_and_retirees_more() {
        let lines = [line(Class::A, 5000)];
        let bill = Bill { setting: Setting::Inpatient, level: 2, retiree: true, lines: &lines };
        let ytd = YearToDate { stays: 1, ..Default::default() };
        let s = settle(&params(), &bill, ytd, Fen(0)).unwrap();
        // deductible 700 × 50 % = 350; 91 % of 4,650 = 4,231.50; co-payment 418.50.
        assert_eq!((s.deductible, s.fund, s.person), (y(350), Fen(423_150), Fen(76_850)));
    }

    #[test]
    fn above_the_cap_the_serious_illness_insurance_pays() {
        // 58,000 already paid: room 2,000. Level 1 first stay: deductible 400, 90 % of 29,600.
        // Room 2,000 covers 2,222.22 of it (2,000 ÷ 90 %); the rest 27,377.78 is above the cap:
        // serious 90 % = 24,640.00, its co-payment 2,737.78.
        let lines = [line(Class::A, 30_000)];
        let bill = Bill { setting: Setting::Inpatient, level: 1, retiree: false, lines: &lines };
        let s = settle(&params(), &bill, YearToDate { fund: y(58_000), ..Default::default() }, Fen(0)).unwrap();
        assert_eq!((s.cap_room, s.fund), (y(2000), y(2000)));
        assert_eq!(part(&s, Payer::Person, "co_payment"), 22_222);
        assert_eq!((s.serious, part(&s, Payer::Person, "serious_co_payment")), (Fen(2_464_000), 273_778));
        assert_eq!(s.fund.0 + s.serious.0 + s.person.0, s.total.0);
    }

    #[test]
    fn outpatient_deductible_is_yearly_and_its_cap_has_no_serious_part() {
        let lines = [line(Class::A, 300)];
        let bill = Bill { setting: Setting::Outpatient, level: 1, retiree: false, lines: &lines };
        let first = settle(&params(), &bill, YearToDate::default(), Fen(0)).unwrap();
        assert_eq!((first.deductible, first.fund), (y(200), y(60)));
        let second = settle(&params(), &bill, first.year_after, Fen(0)).unwrap();
        assert_eq!((second.deductible, second.fund), (y(0), y(180)));
        let capped =
            settle(&params(), &bill, YearToDate { outpatient_deductible: y(200), outpatient_fund: y(2950), ..Default::default() }, Fen(0))
                .unwrap();
        assert_eq!((capped.fund, part(&capped, Payer::Person, "above_cap")), (y(50), 30_000 - 8_333));
    }

    #[test]
    fn an_injury_bill_is_the_work_injury_funds_within_the_catalogue() {
        let lines = [line(Class::A, 8000), line(Class::B, 2000), line(Class::C, 500)];
        let s = settle_injury(&lines).unwrap();
        assert_eq!((s.total, s.fund, s.person, s.deductible), (y(10_500), y(10_000), y(500), Fen(0)));
        assert_eq!((part(&s, Payer::InjuryFund, "injury_catalogue"), part(&s, Payer::Person, "class_c")), (1_000_000, 50_000));
        assert_eq!(settle_injury(&[]).unwrap_err().code, "medical.lines_count");
    }

    #[test]
    fn bad_lines_name_the_line() {
        let p = params();
        let bill = |lines: &'static [Line]| Bill { setting: Setting::Inpatient, level: 1, retiree: false, lines };
        assert_eq!(settle(&p, &bill(&[]), YearToDate::default(), Fen(0)).unwrap_err().code, "medical.lines_count");
        let lines = Box::leak(Box::new([line(Class::A, 1), Line { code: String::new(), class: Class::A, amount: y(1) }]));
        assert_eq!(settle(&p, &bill(lines), YearToDate::default(), Fen(0)).unwrap_err().field, "lines[1].code");
        let lines = Box::leak(Box::new([Line { code: "X".into(), class: Class::B, amount: Fen(0) }]));
        assert_eq!(settle(&p, &bill(lines), YearToDate::default(), Fen(0)).unwrap_err().field, "lines[0].amount");
        let ok = Box::leak(Box::new([line(Class::A, 1)]));
        assert_eq!(settle(&p, &Bill { level: 4, ..bill(ok) }, YearToDate::default(), Fen(0)).unwrap_err().code, "medical.level");
    }

    proptest! {
        #[test]
        fn every_fen_is_paid_once_and_no_cap_is_passed(
            amounts in proptest::collection::vec((0u8..3, 1i64..5_000_000), 1..20),
            level in 1u8..=3, retiree in any::<bool>(), outpatient in any::<bool>(),
            stays in 0u32..3, fund_used in 0i64..7_000_000, serious_used in 0i64..41_000_000, balance in 0i64..500_000,
        ) {
            let lines: Vec<Line> = amounts.iter().map(|&(c, a)| Line { code: "X".into(), class: [Class::A, Class::B, Class::C][usize::from(c)], amount: Fen(a) }).collect();
            let setting = if outpatient { Setting::Outpatient } else { Setting::Inpatient };
            let ytd = YearToDate { stays, fund: Fen(fund_used), serious: Fen(serious_used), outpatient_deductible: Fen(0), outpatient_fund: Fen(fund_used / 20) };
            let p = params();
            let s = settle(&p, &Bill { setting, level, retiree, lines: &lines }, ytd, Fen(balance)).unwrap();
            let sum: i64 = s.parts.iter().map(|p| p.amount.0).sum();
            prop_assert_eq!(sum, lines.iter().map(|l| l.amount.0).sum::<i64>());
            prop_assert_eq!(s.fund.0 + s.serious.0 + s.account.0 + s.person.0, s.total.0);
            prop_assert!(s.parts.iter().all(|p| p.amount.0 > 0));
            prop_assert!(s.account.0 <= balance);
            let (cap, used) = if outpatient { (p.outpatient_cap.0, fund_used / 20) } else { (p.yearly_cap.0, fund_used) };
            prop_assert!(s.fund.0 <= (cap - used).max(0));
            prop_assert!(s.serious.0 <= (p.serious_cap.0 - serious_used).max(0));
        }
    }
}

//! The employers file: 统一社会信用代码, 单位名称, 工伤风险类别, 登记日期 and optionally 行业代码,
//! 地址, 联系人, 联系电话. Credit codes are checked (GB 32100).

use jinbao_domain::CreditCode;
use jinbao_store::repo::imports::StageRow;

use super::fields::date_not_future;
use super::table::{opt, req, Spec};

pub const SPEC: Spec = Spec {
    columns: &[
        req(&["统一社会信用代码", "信用代码", "credit_code"]),
        req(&["单位名称", "名称", "name"]),
        req(&["工伤风险类别", "风险类别", "risk_class"]),
        req(&["登记日期", "成立日期", "registered_on"]),
        opt(&["行业代码", "industry_code"]),
        opt(&["地址", "address"]),
        opt(&["联系人", "contact_name"]),
        opt(&["联系电话", "电话", "contact_phone"]),
    ],
    header_error: "import.employer_header",
    row,
};

/// Staged fields: credit_code, name, industry_code, risk_class, registered_on, address,
/// contact_name, contact_phone.
fn row(v: &[&str], row: &mut StageRow, today: chrono::NaiveDate) {
    let mut f: Vec<Option<String>> = vec![None; 8];
    match CreditCode::parse(v[0]) {
        Ok(c) => f[0] = Some(c.as_str().to_string()),
        Err(e) => row.fail("credit_code", e.code, v[0]),
    }
    let name_problem = jinbao_domain::text::name_problem(v[1]);
    match v[1].chars().count() {
        _ if name_problem.is_some() => row.fail("name", name_problem.unwrap_or_default(), v[1]),
        0 => row.fail("name", "required", ""),
        1..=100 => f[1] = Some(v[1].to_string()),
        _ => row.fail("name", "name.length", v[1].chars().take(20).collect::<String>()),
    }
    match jinbao_domain::text::nfkc(v[2]).trim().parse::<i16>() {
        Ok(n @ 1..=8) => f[3] = Some(n.to_string()),
        _ => row.fail("risk_class", "risk_class.range", v[2]),
    }
    f[4] = date_not_future(row, "registered_on", v[3], today, true);
    for (i, j) in [(4, 2), (5, 5), (6, 6), (7, 7)] {
        f[j] = Some(v[i].to_string()).filter(|s| !s.is_empty());
    }
    row.fields = f;
}

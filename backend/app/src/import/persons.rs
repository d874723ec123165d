//! The persons file: 身份证号码 and 姓名, optionally 户口性质, 联系电话, 地址. Identity numbers are
//! checked (GB 11643) and 15-digit numbers upgraded; gender and birth date come from the number.

use jinbao_domain::IdNumber;
use jinbao_store::repo::imports::StageRow;

use super::table::{opt, req, Spec};

pub const SPEC: Spec = Spec {
    columns: &[
        req(&["身份证号码", "公民身份号码", "证件号码", "id_number"]),
        req(&["姓名", "name"]),
        opt(&["户口性质", "户籍性质", "hukou_kind"]),
        opt(&["联系电话", "电话", "phone"]),
        opt(&["地址", "住址", "address"]),
    ],
    header_error: "import.header",
    row,
};

fn hukou(v: &str) -> Result<Option<&'static str>, ()> {
    match v {
        "" => Ok(None),
        "城镇" | "非农业" | "urban" => Ok(Some("urban")),
        "农村" | "农业" | "rural" => Ok(Some("rural")),
        _ => Err(()),
    }
}

/// Staged fields: id_number, name, gender, birth_date, hukou_kind, phone, address.
fn row(v: &[&str], row: &mut StageRow, today: chrono::NaiveDate) {
    let mut f: Vec<Option<String>> = vec![None; 7];
    match IdNumber::parse(v[0], today) {
        Ok(id) => {
            f[0] = Some(id.as_str().to_string());
            f[2] = Some(id.gender().code().to_string());
            f[3] = Some(id.birth_date().to_string());
        }
        Err(e) => row.fail("id_number", e.code, jinbao_domain::id_number::mask(v[0])),
    }
    let name_problem = jinbao_domain::text::name_problem(v[1]);
    match v[1].chars().count() {
        _ if name_problem.is_some() => row.fail("name", name_problem.unwrap_or_default(), v[1]),
        0 => row.fail("name", "required", ""),
        1..=50 => f[1] = Some(v[1].to_string()),
        _ => row.fail("name", "name.length", v[1].chars().take(20).collect::<String>()),
    }
    match hukou(v[2]) {
        Ok(h) => f[4] = h.map(str::to_string),
        Err(()) => row.fail("hukou_kind", "hukou_kind.invalid", v[2]),
    }
    f[5] = Some(v[3].to_string()).filter(|s| !s.is_empty());
    f[6] = Some(v[4].to_string()).filter(|s| !s.is_empty());
    row.fields = f;
}

//! No upload can exhaust the server: crafted workbooks (zip bombs, huge cell references, too many
//! columns, over-long cells) and CSV files are refused with a file-level 422 on every upload
//! endpoint, and parsing them stays within a memory limit (`prlimit --as`) in a child process.
//! Hostile cell contents (full-width digits, combining marks, emoji, NUL, formulas) never give a
//! 5xx, and exports neutralise cells that a spreadsheet would run as formulas.

use std::io::Write;

use jinbao_tests::{count_sql, id_number, TestApp};
use serde_json::{json, Value};

/// A workbook written part by part, so that any part can be made hostile.
fn workbook(sheet: &str, shared: Option<fn(&mut dyn Write)>, extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let part = |z: &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>, name: &str, body: &[u8]| {
        z.start_file(name, opts).unwrap();
        z.write_all(body).unwrap();
    };
    part(
        &mut z,
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        &mut z,
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        &mut z,
        "xl/workbook.xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        &mut z,
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet}</sheetData></worksheet>"#
    );
    part(&mut z, "xl/worksheets/sheet1.xml", sheet.as_bytes());
    if let Some(write) = shared {
        z.start_file("xl/sharedStrings.xml", opts.compression_level(Some(1))).unwrap();
        write(&mut z);
    }
    for (name, body) in extra {
        part(&mut z, name, body);
    }
    z.finish().unwrap().into_inner()
}

/// An inline-string cell, with or without its reference.
fn cell(r: Option<&str>, text: &str) -> String {
    match r {
        Some(r) => format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#),
        None => format!(r#"<c t="inlineStr"><is><t>{text}</t></is></c>"#),
    }
}

fn persons_sheet(rows: &[[&str; 2]]) -> String {
    let mut s = format!(r#"<row r="1">{}{}</row>"#, cell(Some("A1"), "身份证号码"), cell(Some("B1"), "姓名"));
    for (i, [id, name]) in rows.iter().enumerate() {
        let r = i + 2;
        s.push_str(&format!(r#"<row r="{r}">{}{}</row>"#, cell(Some(&format!("A{r}")), id), cell(Some(&format!("B{r}")), name)));
    }
    s
}

/// 300 MB of shared strings (one repeated 50-byte item) that deflate to about a megabyte.
fn shared_strings_bomb(w: &mut dyn Write) {
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#)
        .unwrap();
    let item = "<si><t>重复重复重复重复重复重复重复重复</t></si>".repeat(1000);
    for _ in 0..(300_000_000 / item.len()) {
        w.write_all(item.as_bytes()).unwrap();
    }
    w.write_all(b"</sst>").unwrap();
}

/// Six million empty shared strings: 30 MB, but each one an allocation.
fn shared_strings_many(w: &mut dyn Write) {
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#)
        .unwrap();
    let item = "<si/>".repeat(1000);
    for _ in 0..6_000 {
        w.write_all(item.as_bytes()).unwrap();
    }
    w.write_all(b"</sst>").unwrap();
}

/// The crafted workbooks and the file-level code each must be refused with.
pub fn crafted_workbooks() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let id = id_number("411002", "19800101", 21);
    let hundred_thousand_columns: String = (0..100_000).map(|_| cell(None, "x")).collect();
    let many_parts: Vec<(String, Vec<u8>)> = (0..2_000).map(|i| (format!("docProps/custom{i}.xml"), b"<x/>".to_vec())).collect();
    let many_parts: Vec<(&str, Vec<u8>)> = many_parts.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let huge_styles = b"<x/>".repeat(10 * 1024 * 1024);
    vec![
        (
            "shared strings inflating 300 MB",
            workbook(
                &persons_sheet(&[[&id, "张三"]]).replace(&cell(Some("B2"), "张三"), r#"<c r="B2" t="s"><v>0</v></c>"#),
                Some(shared_strings_bomb),
                &[],
            ),
            "xlsx.shared_strings",
        ),
        ("six million shared strings", workbook(&persons_sheet(&[[&id, "张三"]]), Some(shared_strings_many), &[]), "xlsx.shared_strings"),
        (
            "cell reference ZZZZZZ2",
            workbook(&format!("{}<row r=\"2\">{}</row>", persons_sheet(&[]), cell(Some("ZZZZZZ2"), "x")), None, &[]),
            "xlsx.cell_reference",
        ),
        (
            "cell reference beyond u32",
            workbook(&format!("{}<row r=\"2\">{}</row>", persons_sheet(&[]), cell(Some("ZZZZZZZZZZZZ99999999999"), "x")), None, &[]),
            "xlsx.cell_reference",
        ),
        (
            "column BZ inside the grid but past the column bound",
            workbook(&format!("{}<row r=\"2\">{}</row>", persons_sheet(&[]), cell(Some("BZ2"), "x")), None, &[]),
            "upload.too_many_columns",
        ),
        (
            "100,000 columns without references",
            workbook(&format!("{}<row r=\"2\">{hundred_thousand_columns}</row>", persons_sheet(&[])), None, &[]),
            "upload.too_many_columns",
        ),
        ("a 10,000-character cell", workbook(&persons_sheet(&[[&id, &"长".repeat(10_000)]]), None, &[]), "upload.cell_too_long"),
        ("2,000 zip entries", workbook(&persons_sheet(&[[&id, "张三"]]), None, &many_parts), "xlsx.too_many_entries"),
        ("a 40 MB styles part", workbook(&persons_sheet(&[[&id, "张三"]]), None, &[("xl/styles.xml", huge_styles)]), "xlsx.too_large"),
    ]
}

async fn post(app: &TestApp, token: &str, path: &str, body: Vec<u8>) -> (u16, Value) {
    let r = app.client.post(app.url(path)).bearer_auth(token).body(body).send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn file_code(v: &Value) -> &str {
    assert_eq!(v["error"]["fields"][0]["field"], "file", "{v}");
    v["error"]["fields"][0]["code"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn crafted_workbooks_are_refused_with_a_file_level_422_and_a_sound_one_is_read() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    // The same hand-built workbook, unharmed, imports: the refusals below are the bounds'.
    let id = id_number("411002", "19800101", 21);
    let (s, v) = post(&app, &admin, "/api/v1/imports/persons", workbook(&persons_sheet(&[[&id, "张三"]]), None, &[])).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["reconciliation"]["inserted"], 1, "{v}");
    for (what, bytes, code) in crafted_workbooks() {
        assert!(bytes.len() < 64 * 1024 * 1024, "{what}: inside the upload limit");
        let (s, v) = post(&app, &admin, "/api/v1/imports/persons", bytes).await;
        assert_eq!(s, 422, "{what}: {v}");
        assert_eq!(file_code(&v), code, "{what}");
        let message = v["error"]["message"].as_str().unwrap();
        assert!(!message.starts_with("errors.") && !message.is_ascii(), "{what}: a Chinese message: {message}");
    }
    assert_eq!(app.count_in("411000", "person"), 1, "nothing staged from a refused file");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_csv_upload_bounds_columns_and_cell_length() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let reviewer = app.token("411000", "reviewer", &["reviewer"]).await;
    let wide = |header: &str| format!("{header}{}\n1,2\n", ",x".repeat(100_000)).into_bytes();
    let long = |header: &str, row: &str| format!("{header}\n{row}\n").into_bytes();
    let endpoints: [(&str, &str, &str, String); 4] = [
        (
            "/api/v1/imports/persons",
            admin.as_str(),
            "身份证号码,姓名",
            format!("{},{}", id_number("411002", "19800101", 21), "长".repeat(10_000)),
        ),
        (
            "/api/v1/declarations/csv?employer_id=1&base_year=2026",
            clerk.as_str(),
            "身份证号码,申报工资",
            format!("{},{}", "1".repeat(10_000), 5000),
        ),
        (
            "/api/v1/payments/batches/1/results",
            reviewer.as_str(),
            "line_id,status,reason,reference",
            format!("1,failed,{},", "因".repeat(10_000)),
        ),
        (
            "/api/v1/bank/statements/income",
            reviewer.as_str(),
            "交易日期,交易流水号,对方户名,借方发生额,贷方发生额",
            format!("2026-11-05,C1,{},,100.00", "厂".repeat(10_000)),
        ),
    ];
    for (path, token, header, row) in &endpoints {
        let (s, v) = post(&app, token, path, wide(header)).await;
        assert_eq!((s, file_code(&v)), (422, "upload.too_many_columns"), "{path}: {v}");
        let (s, v) = post(&app, token, path, long(header, row)).await;
        assert_eq!((s, file_code(&v)), (422, "upload.cell_too_long"), "{path}: {v}");
    }
    // A flood of rows each of which is a problem is refused as a file, not answered row by row.
    let flood = format!("line_id,status\n{}", "x,paid\n".repeat(20_000)).into_bytes();
    let (s, v) = post(&app, &reviewer, "/api/v1/payments/batches/1/results", flood).await;
    assert_eq!((s, file_code(&v)), (422, "upload.too_many_problems"), "{v}");
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_cells_never_give_a_5xx_and_full_width_numbers_are_normalised() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let ascii = id_number("411002", "19800101", 21);
    let full_width: String = ascii.chars().map(|c| char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap()).collect();
    let hostile = [
        format!("{full_width},全角号码"),
        format!("{},组合\u{0301}符号", id_number("411002", "19800102", 23)),
        format!("{},表情😀", id_number("411002", "19800103", 25)),
        "４１１０\u{0301}😀９９,坏号码".to_string(),
        format!("{},含\u{0}空字符", id_number("411002", "19800104", 27)),
        format!("{},响铃\u{7}", id_number("411002", "19800105", 29)),
        format!("{},=HYPERLINK(\"http://x\")", id_number("411002", "19800106", 31)),
        "=1+2,@SUM(A1)".to_string(),
    ];
    let csv = format!("身份证号码,姓名\n{}\n", hostile.join("\n"));
    for body in [csv.clone().into_bytes(), {
        let rows: Vec<[String; 2]> =
            hostile.iter().map(|l| l.split_once(',').map(|(a, b)| [a.to_string(), b.to_string()]).unwrap()).collect();
        let refs: Vec<[&str; 2]> = rows.iter().map(|[a, b]| [a.as_str(), b.as_str()]).collect();
        // XML 1.0 cannot carry NUL or BEL: the workbook has them as the escapes Excel writes.
        workbook(&persons_sheet(&refs).replace('\u{0}', "_x0000_").replace('\u{7}', "_x0007_"), None, &[])
    }] {
        let (s, v) = post(&app, &admin, "/api/v1/imports/persons?valid_only=true", body).await;
        assert_eq!(s, 200, "{v}");
        let problems: Vec<(u64, &str, &str)> = v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap(), p["code"].as_str().unwrap()))
            .collect();
        assert_eq!(
            problems,
            [
                (5, "id_number", "id_number.length"),
                (6, "name", "text.nul"),
                (7, "name", "text.control_chars"),
                (9, "id_number", "id_number.length"),
            ],
            "{v}"
        );
        for p in v["problems"].as_array().unwrap() {
            let value = p["value"].as_str().unwrap();
            assert!(!value.contains('\u{0}') && !value.contains('\u{7}'), "control characters not echoed: {value:?}");
        }
    }
    // The full-width number was stored as its ASCII form, once.
    assert_eq!(count_sql(&app, "411000", &format!("SELECT count(*) AS n FROM person WHERE id_number = '{ascii}'")), 1);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM person WHERE name = '表情😀'"), 1);
    // The formula name is stored as text, and the import report neutralises it.
    let csv = format!("身份证号码,姓名,户口性质\n{},张三,=cmd|' /C calc'!A0\n", id_number("411002", "19800107", 33));
    let (s, v) = post(&app, &admin, "/api/v1/imports/persons", csv.into_bytes()).await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(v["problems"][0]["value"], "=cmd|' /C calc'!A0", "the JSON answer keeps the value as it is: {v}");
    let job = v["job_id"].as_i64().unwrap();
    let report = app.get(&admin, &format!("/api/v1/imports/{job}/report.csv")).await.text().await.unwrap();
    assert!(report.contains("'=cmd|"), "{report}");
    assert!(!report.lines().skip(1).any(|l| l.starts_with('=') || l.contains(",=") || l.contains(",\"=")), "{report}");
}

#[tokio::test(flavor = "multi_thread")]
async fn nul_in_json_text_and_control_characters_in_names_are_field_level_422() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let id = id_number("411002", "19800101", 21);
    let r = app.post(&clerk, "/api/v1/persons", &json!({"id_number": id, "name": "张三", "address": "许昌\u{0}魏都"})).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["error"]["fields"][0]["field"].as_str(), v["error"]["fields"][0]["code"].as_str()),
        (Some("address"), Some("text.nul")),
        "{v}"
    );
    let r = app.post(&clerk, "/api/v1/persons/search", &json!({"name_prefix": "\u{0}"})).await;
    assert_eq!(r.status(), 422);
    for name in ["张\u{7}三", "张\u{1b}[31m三", "张\u{200b}三\u{202e}"] {
        let r = app.post(&clerk, "/api/v1/persons", &json!({"id_number": id, "name": name})).await;
        assert_eq!(r.status(), 422, "{name:?}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["fields"][0]["field"], "name", "{v}");
        assert_eq!(v["error"]["fields"][0]["code"], "text.control_chars", "{v}");
    }
    let code = jinbao_tests::credit_code("411000", "MA0000001");
    let r = app
        .post(
            &clerk,
            "/api/v1/employers",
            &json!({"credit_code": code, "name": "许昌\u{8}机械厂", "risk_class": 2, "registered_on": "2020-01-15"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["error"]["fields"][0]["field"].as_str(), v["error"]["fields"][0]["code"].as_str()),
        (Some("name"), Some("text.control_chars"))
    );
    // A full-width identity number registers as its ASCII form.
    let full_width: String = id.chars().map(|c| char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap()).collect();
    let r = app.post(&clerk, "/api/v1/persons", &json!({"id_number": full_width, "name": "张三"})).await;
    assert_eq!(r.status(), 201);
}

/// Parses each crafted workbook in a child process whose address space is limited to 1 GiB:
/// each must be refused cleanly (exit 0), not abort on a failed allocation.
#[test]
fn crafted_workbooks_are_refused_within_a_memory_limit() {
    if std::env::var_os("JINBAO_LIMITS_CHILD").is_some() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        for (what, bytes, code) in crafted_workbooks() {
            let got = jinbao_app::import::table::parse(&bytes, jinbao_app::import::spec(jinbao_store::repo::imports::Kind::Persons), today);
            assert_eq!(got.err(), Some(code), "{what}");
            eprintln!("refused: {what} ({code})");
        }
        eprintln!("every crafted workbook refused");
        return;
    }
    let Ok(prlimit) = which("prlimit") else {
        panic!("prlimit (util-linux) is needed for this test");
    };
    let out = std::process::Command::new(prlimit)
        .arg("--as=1073741824")
        .arg(std::env::current_exe().unwrap())
        .args(["upload_limits::crafted_workbooks_are_refused_within_a_memory_limit", "--exact", "--nocapture", "--test-threads", "1"])
        .env("JINBAO_LIMITS_CHILD", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child under a 1 GiB address-space limit: {:?}\n{stderr}", out.status);
    assert!(stderr.contains("every crafted workbook refused"), "{stderr}");
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}

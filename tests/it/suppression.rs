//! Small counts stay suppressed in every output meant for aggregate readers: a city with 3 insured
//! persons (许昌 411000) next to one with 12 (周口 411600). Neither the 3 nor any cell hidden with it
//! appears, and none can be derived by subtracting the shown cells from a shown total.

use jinbao_tests::{credit_code, id_number, register_employer, register_person, TestApp};
use serde_json::{json, Value};

const SMALL: &str = "411000";
const LARGE: &str = "411600";

/// 3 persons insured in 许昌, 12 in 周口 (2 of them also insured in 许昌: duplicates), one more
/// person of 许昌 registered in 周口 with a transfer opened towards 周口.
async fn setup(app: &TestApp) {
    let xc = app.token(SMALL, "xc", &["clerk"]).await;
    let zk = app.token(LARGE, "zk", &["clerk"]).await;
    let ex = register_employer(app, &xc, &credit_code(SMALL, "MA0000001"), "许昌一厂").await["id"].as_i64().unwrap();
    let ez = register_employer(app, &zk, &credit_code(LARGE, "MA0000002"), "周口一厂").await["id"].as_i64().unwrap();
    let enrol = |t: String, e: i64, id: String| async move {
        let body = json!({"person": {"id_number": id, "name": "参保人"}, "employer_id": e, "start_period": "2026-07",
                          "declared_wage": "5000", "insurance_types": ["pension"]});
        assert_eq!(app.post(&t, "/api/v1/enrolments", &body).await.status(), 201);
    };
    let xc_ids: Vec<String> = (0..3).map(|i| id_number("411002", "19850101", i + 10)).collect();
    for id in &xc_ids {
        enrol(xc.clone(), ex, id.clone()).await;
    }
    for i in 0..10 {
        enrol(zk.clone(), ez, id_number("411602", "19860101", i + 10)).await;
    }
    for id in &xc_ids[..2] {
        enrol(zk.clone(), ez, id.clone()).await;
    }
    assert_eq!(jinbao_store::repo::duplicates::run(&app.db, "test").unwrap(), 4);
    let mover = register_person(app, &zk, &xc_ids[2], "参保人").await["id"].clone();
    let r = app.post(&zk, "/api/v1/transfers", &json!({"from_city": SMALL, "person_id": mover})).await;
    assert_eq!(r.status(), 201);
}

fn hidden(v: &Value) -> bool {
    v.is_null() || v == "<5"
}

fn number(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())).or_else(|| v.as_f64().map(|f| f as i64))
}

/// One published line: its cells and its total. The total minus the shown cells must never leave
/// exactly one hidden cell; no cell shows a count from 1 to 4.
fn assert_protected(what: &str, cells: &[Value], total: &Value) {
    for c in cells.iter().chain([total]) {
        if let Some(n) = number(c) {
            assert!(!(1..5).contains(&n), "{what}: a small count {n} is shown: {cells:?} / {total}");
        }
    }
    let n_hidden = cells.iter().filter(|c| hidden(c)).count();
    if number(total).is_some() {
        assert_ne!(n_hidden, 1, "{what}: total {total} minus the shown cells gives the hidden one back: {cells:?}");
    }
}

async fn token(app: &TestApp) -> String {
    app.token("410000", "sup", &["province_supervisor"]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_json_hides_the_small_city_and_its_complement() {
    let app = TestApp::start().await;
    setup(&app).await;
    let sup = token(&app).await;
    let d: Value = app.get(&sup, "/api/v1/province/dashboard").await.json().await.unwrap();
    let cities = d["cities"].as_array().unwrap();
    let xc = cities.iter().find(|c| c["code"] == SMALL).unwrap();
    for field in ["persons", "employers", "insured_total"] {
        assert!(hidden(&xc[field]), "{field}: {xc}");
        let cells: Vec<Value> = cities.iter().map(|c| c[field].clone()).collect();
        assert_protected(field, &cells, &d["province"][field]);
    }
    assert!(hidden(&xc["insured"]["pension"]));
    for ty in ["pension", "medical"] {
        let cells: Vec<Value> = cities.iter().map(|c| c["insured"][ty].clone()).collect();
        assert_protected(ty, &cells, &d["province"]["insured"][ty]);
    }
    // A city's types add up to its shown total.
    for c in cities.iter().chain([&d["province"]]) {
        let cells: Vec<Value> = c["insured"].as_object().unwrap().values().cloned().collect();
        assert_protected(&format!("{} by type", c["code"]), &cells, &c["insured_total"]);
    }
    // The month's new enrolments and the transfers in progress.
    let month = |a: &Value, field: &str| {
        a["months"].as_array().unwrap().iter().find(|m| m["period"] == "2026-07").map_or(json!(0), |m| m[field].clone())
    };
    let cells: Vec<Value> = cities.iter().map(|c| month(c, "new_enrolments")).collect();
    assert!(hidden(&month(xc, "new_enrolments")), "{xc}");
    assert_protected("new enrolments 2026-07", &cells, &month(&d["province"], "new_enrolments"));
    for field in ["open_in", "open_out"] {
        let cells: Vec<Value> = cities.iter().map(|c| c[field].clone()).collect();
        assert_protected(field, &cells, &d["province"][field]);
    }
    assert!(hidden(&xc["open_out"]), "{xc}");
    assert_eq!(xc["suppressed"], true);
    assert!(!serde_json::to_string(&d).unwrap().contains("\"persons\":3"));
}

/// The rows of a table with a header, the cities, and the province last: each column checked.
fn assert_table_protected(what: &str, rows: &[Vec<Value>], columns: std::ops::Range<usize>) {
    let (parts, total) = rows[1..].split_at(rows.len() - 2);
    let xc = parts.iter().find(|r| r[0] == SMALL).unwrap_or_else(|| panic!("{what}: no row of {SMALL}"));
    for c in columns {
        let cells: Vec<Value> = parts.iter().map(|r| r[c].clone()).collect();
        assert_protected(&format!("{what} column {}", rows[0][c]), &cells, &total[0][c]);
        assert!(hidden(&xc[c]) || number(&xc[c]) == Some(0), "{what} {}: {:?}", rows[0][c], xc[c]);
    }
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<Value>> {
    let text = String::from_utf8_lossy(bytes).trim_start_matches('\u{feff}').to_string();
    text.lines().map(|l| l.split(',').map(|c| json!(c.trim_matches('"'))).collect()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_page_and_its_exports_show_less_than_five_consistently() {
    let app = TestApp::start().await;
    setup(&app).await;
    let sup = token(&app).await;
    let get = |path: &'static str| {
        let req = app.client.get(app.url(path)).header("cookie", format!("jinbao_session={sup}"));
        async move { req.send().await.unwrap().bytes().await.unwrap().to_vec() }
    };
    // CSV: code, name, status, wave, persons, employers, enrolments, five types, money.
    let csv = csv_rows(&get("/province/cities.csv").await);
    assert_table_protected("cities.csv", &csv, 4..12);
    // The workbook: the same cells (numbers as numbers).
    let xlsx = get("/province/cities.xlsx").await;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let range = calamine::Reader::worksheet_range_at(&mut wb, 0).unwrap().unwrap();
    let rows: Vec<Vec<Value>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    calamine::Data::Float(f) => json!(*f as i64),
                    calamine::Data::Int(i) => json!(i),
                    other => json!(other.to_string()),
                })
                .collect()
        })
        .collect();
    assert_table_protected("cities.xlsx", &rows, 4..12);
    // The page: the transfers table shows no small count for either city.
    let html = String::from_utf8(get("/province").await).unwrap();
    let flows = html.split("id=\"province-flows\"").nth(1).unwrap().split("</table>").next().unwrap();
    for name in ["许昌市", "周口市"] {
        let row = flows.split("<tr").find(|r| r.contains(name)).unwrap();
        let cells: Vec<&str> = row.split("<td class=\"num\">").skip(1).map(|c| c.split("</td>").next().unwrap()).collect();
        for c in &cells[3..5] {
            assert!(*c == "&lt;5" || *c == "0", "{name}: transfers in progress {cells:?}");
        }
    }
    assert!(html.contains("&lt;5"));
}

fn read(zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> Vec<u8> {
    let mut buf = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut buf).unwrap();
    buf
}

#[tokio::test(flavor = "multi_thread")]
async fn the_monthly_packages_hide_the_small_city_and_its_complement() {
    let app = TestApp::start().await;
    setup(&app).await;
    let sup = token(&app).await;
    let bytes = app.get(&sup, "/api/v1/province/report?period=2026-07").await.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let report: Value = serde_json::from_slice(&read(&mut zip, "report.json")).unwrap();
    let areas = report["areas"].as_array().unwrap();
    let (parts, total) = areas.split_at(areas.len() - 1);
    assert_eq!(total[0]["code"], "total");
    let fields: Vec<(&str, Option<&str>)> =
        vec![("persons", None), ("employers", None), ("active_enrolments", Some("pension")), ("new_enrolments", Some("pension"))];
    for (field, ty) in &fields {
        let at = |a: &Value| ty.map_or_else(|| a[*field].clone(), |t| a[*field][t].clone());
        let cells: Vec<Value> = parts.iter().map(at).collect();
        assert_protected(&format!("report.json {field}"), &cells, &at(&total[0]));
        assert!(hidden(&at(parts.iter().find(|a| a["code"] == SMALL).unwrap())), "{field}");
    }
    // areas.csv: code, name, persons, employers, active × 5, new × 5, stopped × 5, assessed × 5, collected.
    let csv = csv_rows(&read(&mut zip, "areas.csv"));
    assert_table_protected("areas.csv", &csv, 2..19);
    // A city's own package: its small counts hidden too.
    let xc = app.token(SMALL, "xc2", &["clerk"]).await;
    let bytes = app.get(&xc, "/api/v1/report?period=2026-07").await.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let report: Value = serde_json::from_slice(&read(&mut zip, "report.json")).unwrap();
    let a = &report["areas"][0];
    assert!(hidden(&a["persons"]) && hidden(&a["active_enrolments"]["pension"]) && hidden(&a["new_enrolments"]["pension"]), "{a}");
    let csv = csv_rows(&read(&mut zip, "areas.csv"));
    assert_eq!(csv[1][2], "<5", "{csv:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicate_and_transfer_counts_are_suppressed() {
    let app = TestApp::start().await;
    setup(&app).await;
    let sup = token(&app).await;
    let p: Value = app.get(&sup, "/api/v1/province/duplicates").await.json().await.unwrap();
    let items = p["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{p}");
    for i in items {
        assert!(hidden(&i["persons"]) && i["suppressed"] == true, "two persons in both cities: {i}");
    }
    let t: Value = app.get(&sup, "/api/v1/province/transfers").await.json().await.unwrap();
    let items = t["items"].as_array().unwrap();
    let city = |code: &str| items.iter().find(|c| c["code"] == code).unwrap().clone();
    assert!(hidden(&city(SMALL)["open_out"]) && hidden(&city(LARGE)["open_in"]), "{t}");
    // Every transfer is open out of one city and into another: the two columns have the same total.
    let n_hidden = |field: &str| items.iter().filter(|c| hidden(&c[field])).count();
    for (a, b) in [("open_in", "open_out"), ("completed_in", "completed_out")] {
        let pair = (n_hidden(a), n_hidden(b));
        assert!(pair != (1, 0) && pair != (0, 1), "{a}/{b}: one hidden cell against a fully shown column: {t}");
        for field in [a, b] {
            for c in items {
                if let Some(n) = number(&c[field]) {
                    assert!(!(1..5).contains(&n), "{field}: {c}");
                }
            }
        }
    }
}

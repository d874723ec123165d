//! Legacy persons import: planted problems are each reported; all-or-nothing applies nothing,
//! valid-only applies exactly the valid rows; GBK and BOM files; re-importing changes nothing.

use jinbao_tests::{count_sql, id_number, register_person, TestApp};
use serde_json::Value;

async fn import(app: &TestApp, token: &str, body: Vec<u8>, valid_only: bool) -> (u16, Value) {
    let r = app
        .client
        .post(app.url(&format!("/api/v1/imports/persons?valid_only={valid_only}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn planted_problems_are_reported_and_valid_rows_applied_on_request() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    register_person(&app, &clerk, &id_number("411002", "19700101", 11), "已登记").await;
    register_person(&app, &clerk, &id_number("411002", "19700102", 13), "已登记二").await;
    let (a, b, c) = (id_number("411002", "19800101", 21), id_number("411002", "19800102", 23), id_number("411002", "19800103", 25));
    let text = format!(
        "身份证号码,姓名,户口性质,联系电话,地址\n\
         {a},张三,城镇,13800000001,许昌市魏都区\n\
         {b},李四,农村,,\n\
         410102199003071231,坏校验,城镇,,\n\
         410102900307123,老号码,,,\n\
         {a},重复,城镇,,\n\
         {c},,城镇,,\n\
         {d},改名,城镇,,\n\
         {e},王五,外星,,\n\
         {f},已登记二,城镇,,\n",
        d = id_number("411002", "19700101", 11),
        e = id_number("411002", "19800104", 27),
        f = id_number("411002", "19700102", 13),
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let (status, v) = import(&app, &admin, gbk.to_vec(), false).await;
    assert_eq!(status, 422, "{v}");
    let problems: Vec<(u64, &str, &str)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap(), p["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        problems,
        [
            (4, "id_number", "id_number.checksum"),
            (6, "id_number", "import.duplicate_in_file"),
            (7, "name", "required"),
            (8, "name", "import.conflict"),
            (9, "hukou_kind", "hukou_kind.invalid"),
        ],
        "{v}"
    );
    assert!(v["problems"][0]["message_zh"].as_str().unwrap().contains("校验"));
    assert!(v["problems"][0]["message_en"].as_str().unwrap().is_ascii());
    assert_eq!(v["reconciliation"]["rows"], 9);
    assert_eq!(v["reconciliation"]["already_present"], 1, "row 10: same number and name");
    assert_eq!(app.count_in("411000", "person"), 2, "all or nothing: nothing applied");
    assert!(v["problems"][1]["value"].as_str().unwrap().contains('*'), "identity numbers masked in the report");
    // The report as CSV, by job.
    let job = v["job_id"].as_i64().unwrap();
    let csv = app.get(&admin, &format!("/api/v1/imports/{job}/report.csv")).await.text().await.unwrap();
    assert_eq!(csv.lines().count(), 6, "header and five problems: {csv}");
    assert!(csv.contains("校验位"));
    // Valid rows only: rows 2, 3 and the upgraded 15-digit number of row 5.
    let (status, v) = import(&app, &admin, gbk.to_vec(), true).await;
    assert_eq!(status, 200);
    assert_eq!(v["reconciliation"]["inserted"], 3);
    assert_eq!(app.count_in("411000", "person"), 5);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM person WHERE id_number = '410102199003071230' AND gender = 'male'"), 1);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM person WHERE hukou_kind = 'rural'"), 1);
    // Re-importing the same file (UTF-8 with BOM this time) changes nothing.
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let (_, v) = import(&app, &admin, bom, true).await;
    assert_eq!(v["reconciliation"]["inserted"], 0);
    assert_eq!(v["reconciliation"]["already_present"], 4);
    assert_eq!(app.count_in("411000", "person"), 5);
    // Statistics follow.
    let diffs = app
        .db
        .tenant(app.tenant_id("411000"), jinbao_store::Actor::system("t"), |tx| {
            Ok(jinbao_store::repo::stats::differences(jinbao_store::repo::stats::current(tx)?, jinbao_store::repo::stats::recount(tx)?))
        })
        .unwrap();
    assert!(diffs.is_empty(), "{diffs:?}");
    // Clerks do not import; the header is checked.
    assert_eq!(import(&app, &clerk, b"x".to_vec(), false).await.0, 403);
    let (status, v) = import(&app, &admin, "a,b\n1,2\n".as_bytes().to_vec(), false).await;
    assert_eq!(status, 422);
    assert_eq!(v["error"]["fields"][0]["code"], "import.header");
}

#[tokio::test(flavor = "multi_thread")]
async fn employers_import_reports_each_problem_and_re_import_changes_nothing() {
    let app = TestApp::start().await;
    let admin = app.token("411600", "admin", &["city_admin"]).await;
    let good = jinbao_tests::credit_code("411600", "MA0000001");
    let other = jinbao_tests::credit_code("411600", "MA0000002");
    let text = format!(
        "统一社会信用代码,单位名称,工伤风险类别,登记日期,行业代码,地址\n\
         {good},周口一厂,3,2019-05-01,C13,川汇区\n\
         91411600MA00000010,坏代码,1,2019-05-01,,\n\
         {other},周口二厂,9,2019-05-01,,\n\
         {good},重复,1,2019-05-01,,\n\
         {third},周口三厂,2,2099-01-01,,\n",
        third = jinbao_tests::credit_code("411600", "MA0000003"),
    );
    let post = |body: Vec<u8>, valid_only: bool| {
        app.client.post(app.url(&format!("/api/v1/imports/employers?valid_only={valid_only}"))).bearer_auth(&admin).body(body).send()
    };
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let r = post(gbk.to_vec(), false).await.unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let codes: Vec<(u64, &str)> =
        v["problems"].as_array().unwrap().iter().map(|p| (p["row"].as_u64().unwrap(), p["code"].as_str().unwrap())).collect();
    assert_eq!(codes, [(3, "credit_code.checksum"), (4, "risk_class.range"), (5, "import.duplicate_in_file"), (6, "date.future")], "{v}");
    assert_eq!(app.count_in("411600", "employer"), 0);
    let v: Value = post(gbk.to_vec(), true).await.unwrap().json().await.unwrap();
    assert_eq!(v["reconciliation"]["inserted"], 1);
    assert_eq!(
        count_sql(
            &app,
            "411600",
            "SELECT count(*) AS n FROM employer WHERE name = '周口一厂' AND risk_class = 3 AND industry_code = 'C13'"
        ),
        1
    );
    let v: Value = post(text.into_bytes(), true).await.unwrap().json().await.unwrap();
    assert_eq!(v["reconciliation"]["inserted"], 0);
    assert_eq!(v["reconciliation"]["already_present"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_import_page_uploads_and_shows_the_result_with_the_report() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let cookie = format!("jinbao_session={admin}");
    let page = app.client.get(app.url("/imports")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    let i = page.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let token = page[i..].split('"').next().unwrap().to_string();
    let text = format!("身份证号码,姓名\n{},张三\n410102199003071231,坏\n", id_number("411002", "19800101", 21));
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let form = reqwest::multipart::Form::new()
        .text("csrf", token)
        .text("kind", "persons")
        .part("file", reqwest::multipart::Part::bytes(gbk.to_vec()).file_name("人员.csv"));
    let r = app.client.post(app.url("/imports")).header("cookie", &cookie).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let job = r.headers()["location"].to_str().unwrap().to_string();
    let html = app.client.get(app.url(&job)).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("/report.csv") && html.contains("role=\"alert\""), "result with the report link and the not-applied notice");
    assert_eq!(app.count_in("411000", "person"), 0);
}

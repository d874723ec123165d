//! Legacy employments, enrolments and contribution history: rows link persons and employers
//! already imported; planted problems are each reported; valid-only applies exactly the valid
//! rows; re-importing changes nothing; reconciliation per year sets the file beside the platform;
//! .xlsx files are read like CSV.

use jinbao_store::repo::stats;
use jinbao_store::Actor;
use jinbao_tests::{count_sql, credit_code, id_number, TestApp};
use serde_json::Value;

async fn import(app: &TestApp, token: &str, kind: &str, body: Vec<u8>, valid_only: bool) -> (u16, Value) {
    let r = app
        .client
        .post(app.url(&format!("/api/v1/imports/{kind}?valid_only={valid_only}")))
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn problems(v: &Value) -> Vec<(u64, String, String)> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap().to_string(), p["code"].as_str().unwrap().to_string()))
        .collect()
}

fn year(v: &Value, y: i64) -> (i64, i64, i64, i64) {
    let l = v["reconciliation"]["by_year"].as_array().unwrap().iter().find(|l| l["year"] == y).unwrap_or_else(|| panic!("{y}: {v}"));
    let n = |k: &str| l[k].as_i64().unwrap();
    (n("source_rows"), n("source_fen"), n("platform_rows"), n("platform_fen"))
}

/// Two persons (a, b) and one employer (e) imported into Xuchang.
async fn city(app: &TestApp, admin: &str) -> (String, String, String) {
    let (a, b) = (id_number("411002", "19800101", 21), id_number("411002", "19850202", 33));
    let e = credit_code("411000", "MA0000011");
    let (s, v) = import(app, admin, "persons", format!("身份证号码,姓名\n{a},张三\n{b},李四\n").into_bytes(), false).await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = import(
        app,
        admin,
        "employers",
        format!("统一社会信用代码,单位名称,工伤风险类别,登记日期\n{e},许昌一厂,2,2010-03-01\n").into_bytes(),
        false,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    (a, b, e)
}

#[tokio::test(flavor = "multi_thread")]
async fn contribution_history_reports_problems_reconciles_by_year_and_re_import_changes_nothing() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let (a, b, e) = city(&app, &admin).await;
    let stranger = id_number("411002", "19900303", 45);
    let text = format!(
        "身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n\
         {a},{e},养老,2019-01,5000,800,400\n\
         {a},{e},养老保险,2019-02,5000,800,400\n\
         {a},{e},pension,201903,5000.00,800.00,400.00\n\
         {b},{e},医疗,2020-01,6000,480,120\n\
         {a},{e},养老,2019-02,5000,800,400\n\
         {a},{e},养老,2019-13,5000,800,400\n\
         {stranger},{e},养老,2020-05,1000,100,50\n\
         {b},{e},外星保险,2020-02,6000,480,120\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let (s, v) = import(&app, &admin, "contributions", gbk.to_vec(), false).await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(
        problems(&v),
        [
            (6, "*".into(), "import.duplicate_in_file".into()),
            (7, "period".into(), "period.format".into()),
            (8, "id_number".into(), "import.unknown_person".into()),
            (9, "insurance_type".into(), "insurance_type.invalid".into()),
        ],
        "{v}"
    );
    assert_eq!(app.count_in("411000", "contribution_history"), 0, "all or nothing");
    // The file's 2019 rows (four, the duplicate included) beside nothing on the platform yet.
    assert_eq!(year(&v, 2019), (4, 480_000, 0, 0));
    assert_eq!(year(&v, 2020), (3, 60_000 + 15_000 + 60_000, 0, 0));

    let (s, v) = import(&app, &admin, "contributions", gbk.to_vec(), true).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["reconciliation"]["inserted"], 4);
    assert_eq!(year(&v, 2019), (4, 480_000, 3, 360_000));
    assert_eq!(year(&v, 2020), (3, 135_000, 1, 60_000));
    assert_eq!(
        count_sql(&app, "411000", "SELECT count(*) AS n FROM contribution_history WHERE insurance_type = 'pension' AND base_fen = 500000"),
        3
    );

    let (s, v) = import(&app, &admin, "contributions", gbk.to_vec(), true).await;
    assert_eq!(s, 200);
    assert_eq!((v["reconciliation"]["inserted"].as_i64(), v["reconciliation"]["already_present"].as_i64()), (Some(0), Some(4)), "{v}");
    assert_eq!(app.count_in("411000", "contribution_history"), 4);

    // A changed amount for a month already on the platform is a conflict, not an overwrite.
    let changed = format!("身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n{a},{e},养老,2019-01,5200,832,416\n");
    let (s, v) = import(&app, &admin, "contributions", changed.into_bytes(), false).await;
    assert_eq!(s, 422);
    assert_eq!(problems(&v), [(2, "base_fen".into(), "import.conflict".into())]);
    assert_eq!(v["problems"][0]["value"], "5200.00", "amounts in the report in yuan");

    // The person's timeline shows the imported year.
    let pid = count_sql(&app, "411000", &format!("SELECT id AS n FROM person WHERE id_number = '{a}'"));
    let t: Value = app.get(&admin, &format!("/api/v1/persons/{pid}/timeline")).await.json().await.unwrap();
    let entries = t["items"].as_array().or(t.as_array()).unwrap_or_else(|| panic!("{t}"));
    let history: Vec<&Value> = entries.iter().filter(|e| e["kind"] == "contribution_history").collect();
    assert_eq!(history.len(), 1, "{t}");
    assert_eq!(history[0]["detail"]["months"], 3);
    assert!(entries.iter().any(|e| e["kind"] == "registered" && e["detail"]["source"] == "import"), "{t}");
}

#[tokio::test(flavor = "multi_thread")]
async fn employments_and_enrolments_link_records_and_keep_one_active_enrolment_per_type() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let (a, b, e) = city(&app, &admin).await;
    let unknown_employer = credit_code("411000", "MA0000099");
    let jobs = format!(
        "身份证号码,统一社会信用代码,入职日期,离职日期,离职原因\n\
         {a},{e},2015-03-01,,\n\
         {b},{e},2012-01-01,2018-06-30,合同到期\n\
         {a},{unknown_employer},2010-01-01,,\n\
         {b},{e},2019-05-01,2019-04-01,\n\
         {a},{e},2015-03-01,,\n\
         {a},{e},2016-01-01,,\n"
    );
    let (s, v) = import(&app, &admin, "employments", jobs.clone().into_bytes(), false).await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(
        problems(&v),
        [
            (4, "credit_code".into(), "import.unknown_employer".into()),
            (5, "end_date".into(), "date.order".into()),
            (6, "*".into(), "import.duplicate_in_file".into()),
            (7, "end_date".into(), "import.open_twice".into()),
        ]
    );
    let (_, v) = import(&app, &admin, "employments", jobs.into_bytes(), true).await;
    assert_eq!(v["reconciliation"]["inserted"], 2, "{v}");
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM employment WHERE end_date IS NOT NULL AND end_reason = '合同到期'"), 1);
    // A second open employment with the same employer, against the platform: a conflict.
    let again = format!("身份证号码,统一社会信用代码,入职日期\n{a},{e},2017-01-01\n");
    let (s, v) = import(&app, &admin, "employments", again.into_bytes(), false).await;
    assert_eq!(s, 422);
    assert_eq!(problems(&v), [(2, "start_date".into(), "import.conflict".into())]);

    let enrolments = format!(
        "身份证号码,统一社会信用代码,险种,参保年月,停保年月,停保原因\n\
         {a},{e},养老,2015-03,,\n\
         {a},{e},医疗,2015-03,,\n\
         {b},{e},养老,2012-01,2018-06,离职\n\
         {a},{e},养老,2016-01,,\n\
         {b},{e},失业,2019-05,2019-01,\n"
    );
    let (s, v) = import(&app, &admin, "enrolments", enrolments.clone().into_bytes(), false).await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(
        problems(&v),
        [(5, "end_period".into(), "import.active_twice".into()), (6, "end_period".into(), "period.order".into())],
        "{v}"
    );
    let (_, v) = import(&app, &admin, "enrolments", enrolments.clone().into_bytes(), true).await;
    assert_eq!(v["reconciliation"]["inserted"], 3, "{v}");
    assert_eq!(year(&v, 2015), (2, 0, 2, 0));
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM enrolment WHERE status = 'stopped' AND end_period = '2018-06-01'"), 1);
    // Statistics follow the imported enrolments (active, new, stopped), as the recount shows.
    let diff = app
        .db
        .tenant(app.tenant_id("411000"), Actor::system("test"), |tx| Ok(stats::differences(stats::current(tx)?, stats::recount(tx)?)))
        .unwrap();
    assert!(diff.is_empty(), "{diff:?}");
    // Importing again changes nothing; a new active pension for a person who has one conflicts.
    let (_, v) = import(&app, &admin, "enrolments", enrolments.into_bytes(), true).await;
    assert_eq!((v["reconciliation"]["inserted"].as_i64(), v["reconciliation"]["already_present"].as_i64()), (Some(0), Some(3)), "{v}");
    let again = format!("身份证号码,统一社会信用代码,险种,参保年月\n{a},{e},养老,2020-01\n");
    let (s, v) = import(&app, &admin, "enrolments", again.into_bytes(), false).await;
    assert_eq!(s, 422);
    assert_eq!(problems(&v), [(2, "insurance_type".into(), "import.conflict".into())]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_xlsx_workbook_is_read_like_csv_with_dates_and_numbers_as_cells() {
    let app = TestApp::start().await;
    let admin = app.token("410600", "admin", &["city_admin"]).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["统一社会信用代码", "单位名称", "工伤风险类别", "登记日期"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2011, 4, 5).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, (code, name, risk)) in
        [(credit_code("410600", "MA0000021"), "鹤壁一厂", 4.0), (credit_code("410600", "MA0000022"), "鹤壁二厂", 12.0)].iter().enumerate()
    {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, code).unwrap();
        sheet.write_string(r, 1, *name).unwrap();
        sheet.write_number(r, 2, *risk).unwrap();
        sheet.write_datetime_with_format(r, 3, &date, &fmt).unwrap();
    }
    // Row 4 left blank; row 5 has a bad credit code: rows keep their spreadsheet numbers.
    sheet.write_string(4, 0, "91410600MA0000023X").unwrap();
    sheet.write_string(4, 1, "鹤壁三厂").unwrap();
    sheet.write_number(4, 2, 1.0).unwrap();
    sheet.write_datetime_with_format(4, 3, &date, &fmt).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let (s, v) = import(&app, &admin, "employers", bytes, true).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(problems(&v)[0], (3, "risk_class".into(), "risk_class.range".into()), "{v}");
    assert_eq!((problems(&v)[1].0, problems(&v)[1].1.as_str()), (5, "credit_code"), "{v}");
    assert_eq!(count_sql(&app, "410600", "SELECT count(*) AS n FROM employer WHERE registered_on = '2011-04-05' AND risk_class = 4"), 1);
}

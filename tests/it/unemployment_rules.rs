//! The unemployment benefit as 失业保险条例 art. 17–18 and the Henan minimum-wage classes decide it,
//! end to end through the API: contribution time restarting after a benefit (only the months after
//! it count, the unused months of the earlier one add on, at most 24), the benefit running from the
//! month of the unemployment registration, and the amount following the minimum-wage class of the
//! person's county (identity number, else the person's office, else the city's default).

use jinbao_tests::{credit_code, id_number, TestApp};
use serde_json::{json, Value};

const BANK: (&str, &str) = ("中国工商银行", "6222020200001234567");

async fn import(app: &TestApp, token: &str, kind: &str, body: String) {
    let r = app.client.post(app.url(&format!("/api/v1/imports/{kind}"))).bearer_auth(token).body(body).send().await.unwrap();
    assert_eq!(r.status(), 200, "{kind}: {}", r.text().await.unwrap());
}

fn person_id(app: &TestApp, tenant: &str, id: &str) -> i64 {
    jinbao_tests::count_sql(app, tenant, &format!("SELECT id AS n FROM person WHERE id_number = '{id}'"))
}

/// Paid unemployment months `from..=to` (inclusive, `(year, month)`) at 5,000 yuan.
fn months(id: &str, employer: &str, from: (i32, u32), to: (i32, u32)) -> String {
    let mut out = String::new();
    let (mut y, mut m) = from;
    while (y, m) <= to {
        out.push_str(&format!("{id},{employer},失业,{y}-{m:02},5000,35.00,15.00\n"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

struct City {
    clerk: String,
    reviewer: String,
    employer_id: i64,
}

/// A city with one employer and the given persons and unemployment history imported.
async fn city(app: &TestApp, tenant: &str, persons: &[(&str, &str)], history: &str, employer: &str) -> City {
    let admin = app.token(tenant, "admin", &["city_admin"]).await;
    let mut text = String::from("身份证号码,姓名\n");
    for (id, name) in persons {
        text.push_str(&format!("{id},{name}\n"));
    }
    import(app, &admin, "persons", text).await;
    import(app, &admin, "employers", format!("统一社会信用代码,单位名称,工伤风险类别,登记日期\n{employer},某某机械厂,2,2000-01-01\n"))
        .await;
    import(app, &admin, "contributions", format!("身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n{history}"))
        .await;
    let employer_id = jinbao_tests::count_sql(app, tenant, &format!("SELECT id AS n FROM employer WHERE credit_code = '{employer}'"));
    City { clerk: app.token(tenant, "clerk", &["clerk"]).await, reviewer: app.token(tenant, "reviewer", &["reviewer"]).await, employer_id }
}

fn form(pid: i64, separated_on: &str) -> Value {
    json!({"person_id": pid, "involuntary": true, "separated_on": separated_on,
           "channel": "bank", "bank_name": BANK.0, "account_no": BANK.1})
}

async fn register(app: &TestApp, token: &str, pid: i64, on: &str) {
    let r = app.post(token, &format!("/api/v1/persons/{pid}/unemployment"), &json!({"registered_on": on, "reason": "dismissed"})).await;
    assert_eq!(r.status(), 201, "registered on {on}: {}", r.text().await.unwrap());
}

async fn propose(app: &TestApp, token: &str, body: &Value) -> Value {
    let r = app.post(token, "/api/v1/benefits/unemployment", body).await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{v}");
    v
}

async fn approve(app: &TestApp, token: &str, claim: &Value) {
    let id = claim["id"].as_i64().unwrap();
    assert_eq!(app.post(token, &format!("/api/v1/benefits/claims/{id}/approve"), &json!({})).await.status(), 200);
}

async fn hire(app: &TestApp, c: &City, pid: i64, start: &str) -> i64 {
    let r = app.post(&c.clerk, "/api/v1/employments", &json!({"person_id": pid, "employer_id": c.employer_id, "start_date": start})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn leave(app: &TestApp, c: &City, employment: i64, end: &str) {
    let r = app.post(&c.clerk, &format!("/api/v1/employments/{employment}/end"), &json!({"end_date": end})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

fn periods(claim: &Value) -> (String, String) {
    (claim["start_period"].as_str().unwrap_or("").to_string(), claim["end_period"].as_str().unwrap_or("").to_string())
}

/// The example: 120 months paid (2011-01..2020-12) give the full 24 months (2021-01..2022-12),
/// which run their course; the person works 2023-01..2024-02 (14 months) and loses the job again.
/// Only those 14 months count (art. 17: 缴费时间重新计算): 12–59 → 12 months, nothing unused — not
/// 24 from all 134 months ever paid. Registered 2024-03-04: 2024-03..2025-02.
#[tokio::test(flavor = "multi_thread")]
async fn contribution_time_restarts_after_a_full_benefit() {
    let app = TestApp::start().await;
    let id = id_number("411002", "19800101", 31);
    let employer = credit_code("411000", "MA0000071");
    let history = months(&id, &employer, (2011, 1), (2020, 12)) + &months(&id, &employer, (2023, 1), (2024, 2));
    let c = city(&app, "411000", &[(&id, "周再失")], &history, &employer).await;
    let pid = person_id(&app, "411000", &id);

    register(&app, &c.clerk, pid, "2021-01-05").await;
    let first = propose(&app, &c.clerk, &form(pid, "2020-12-31")).await;
    assert_eq!(first["calculation"]["entitled_months"], 24, "{first}");
    assert_eq!(periods(&first), ("2021-01-01".into(), "2022-12-01".into()));
    approve(&app, &c.reviewer, &first).await;

    // Hired after the benefit ran its course; the job ends with February 2024.
    let job = hire(&app, &c, pid, "2023-01-03").await;
    leave(&app, &c, job, "2024-02-29").await;
    register(&app, &c.clerk, pid, "2024-03-04").await;
    let second = propose(&app, &c.clerk, &form(pid, "2024-02-29")).await;
    let k = &second["calculation"];
    assert_eq!(k["contributed_months"], 14, "only the months after the earlier benefit: {k}");
    assert_eq!(k["restart_after"], "2022-12", "{k}");
    assert_eq!((k["entitled_months_new"].as_i64(), k["unused_prior_months"].as_i64()), (Some(12), Some(0)), "{k}");
    assert_eq!(k["entitled_months"], 12, "{k}");
    assert_eq!(periods(&second), ("2024-03-01".into(), "2025-02-01".into()));
}

/// The earlier benefit (24 months from 2021-01) is cut short by a job from 2022-09: it ran 20 months
/// (2021-01..2022-08), 4 are unused. After 14 months' work (2022-09..2023-10) the new entitlement is
/// 12 + 4 = 16 months (2023-11..2025-02), not 24 from all 134 months.
#[tokio::test(flavor = "multi_thread")]
async fn unused_months_of_a_benefit_cut_short_add_on() {
    let app = TestApp::start().await;
    let id = id_number("411002", "19810202", 32);
    let employer = credit_code("411000", "MA0000072");
    let history = months(&id, &employer, (2011, 1), (2020, 12)) + &months(&id, &employer, (2022, 9), (2023, 10));
    let c = city(&app, "411000", &[(&id, "吴又失")], &history, &employer).await;
    let pid = person_id(&app, "411000", &id);

    register(&app, &c.clerk, pid, "2021-01-05").await;
    let first = propose(&app, &c.clerk, &form(pid, "2020-12-31")).await;
    approve(&app, &c.reviewer, &first).await;
    let job = hire(&app, &c, pid, "2022-09-01").await;
    let stopped: Value = app.get(&c.clerk, &format!("/api/v1/benefits/claims/{}", first["id"])).await.json().await.unwrap();
    assert_eq!((stopped["status"].as_str(), stopped["end_period"].as_str()), (Some("stopped"), Some("2022-08-01")));
    leave(&app, &c, job, "2023-10-31").await;
    register(&app, &c.clerk, pid, "2023-11-06").await;

    let r = app.post(&c.clerk, "/api/v1/benefits/unemployment?preview=true", &form(pid, "2023-10-31")).await;
    assert_eq!(r.status(), 200);
    let k = r.json::<Value>().await.unwrap()["claim"]["calculation"].clone();
    assert_eq!(k["contributed_months"], 14, "{k}");
    assert_eq!((k["entitled_months_new"].as_i64(), k["unused_prior_months"].as_i64()), (Some(12), Some(4)), "{k}");
    assert_eq!(k["previous_claim_id"], first["id"], "{k}");
    assert_eq!(k["entitled_months"], 16, "{k}");
    let second = propose(&app, &c.clerk, &form(pid, "2023-10-31")).await;
    assert_eq!(periods(&second), ("2023-11-01".into(), "2025-02-01".into()));
}

/// Art. 18: paid from the day of unemployment registration. Separated 2026-01-31 but registered only
/// on 2026-03-17: the first month is March 2026 (the whole month), 12 months to February 2027 — not
/// from February. A registration before the job ended is refused.
#[tokio::test(flavor = "multi_thread")]
async fn the_benefit_runs_from_the_month_of_registration() {
    let app = TestApp::start().await;
    let id = id_number("411002", "19900303", 33);
    let employer = credit_code("411000", "MA0000073");
    let c = city(&app, "411000", &[(&id, "郑登记")], &months(&id, &employer, (2023, 1), (2025, 12)), &employer).await;
    let pid = person_id(&app, "411000", &id);

    register(&app, &c.clerk, pid, "2026-03-17").await;
    let claim = propose(&app, &c.clerk, &form(pid, "2026-01-31")).await;
    assert_eq!(claim["calculation"]["entitled_months"], 12, "{claim}");
    assert_eq!(claim["calculation"]["registered_on"], "2026-03-17", "{claim}");
    assert_eq!(periods(&claim), ("2026-03-01".into(), "2027-02-01".into()));
    assert_eq!(
        (claim["calculation"]["first_period"].as_str(), claim["calculation"]["last_period"].as_str()),
        (Some("2026-03"), Some("2027-02"))
    );

    // A registration before the job ended is refused.
    let r = app.post(&c.clerk, "/api/v1/benefits/unemployment?preview=true", &form(pid, "2026-03-20")).await;
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["fields"][0]["code"], "unemployment.registered_before_separation");
}

/// Zhoukou: 太康县 (411627) is a class-3 county: 1,600 × 90 % = 1,440.00 a month. A person whose
/// identity number is from another city takes the class of their office's county (淮阳区 411603,
/// class 3), and with the city bureau as office the city's default class (2: 1,800 × 90 % = 1,620.00).
#[tokio::test(flavor = "multi_thread")]
async fn the_amount_follows_the_minimum_wage_class_of_the_county() {
    let app = TestApp::start().await;
    let taikang = id_number("411627", "19850505", 34);
    let zhengzhou = id_number("410102", "19860606", 35);
    let employer = credit_code("411600", "MA0000074");
    let history = months(&taikang, &employer, (2023, 1), (2025, 12)) + &months(&zhengzhou, &employer, (2023, 1), (2025, 12));
    let c = city(&app, "411600", &[(&taikang, "太康人"), (&zhengzhou, "郑州人")], &history, &employer).await;

    let pid = person_id(&app, "411600", &taikang);
    register(&app, &c.clerk, pid, "2026-02-02").await;
    let claim = propose(&app, &c.clerk, &form(pid, "2026-01-31")).await;
    let k = &claim["calculation"];
    assert_eq!(claim["amount_fen"], 144_000, "{claim}");
    assert_eq!(
        (k["wage_class"].as_i64(), k["wage_class_source"].as_str(), k["county_code"].as_str()),
        (Some(3), Some("identity_number"), Some("411627")),
        "{k}"
    );
    assert_eq!((k["min_wage_fen"].as_i64(), k["min_wage_from"].as_str()), (Some(160_000), Some("2022-01")), "{k}");

    // Imported by the city bureau: not in one of the city's counties by identity number or office.
    let other = person_id(&app, "411600", &zhengzhou);
    register(&app, &c.clerk, other, "2026-02-02").await;
    let r = app.post(&c.clerk, "/api/v1/benefits/unemployment?preview=true", &form(other, "2026-01-31")).await;
    let k = r.json::<Value>().await.unwrap()["claim"]["calculation"].clone();
    assert_eq!(
        (k["wage_class"].as_i64(), k["wage_class_source"].as_str(), k["monthly_fen"].as_i64()),
        (Some(2), Some("city_default"), Some(162_000)),
        "{k}"
    );

    // The same person on the books of the 淮阳区 office: that county's class.
    let tid = app.tenant_id("411600").0;
    jinbao_tests::count_sql(
        &app,
        "411600",
        &format!(
            "WITH u AS (UPDATE person p SET office_id = o.id FROM office o WHERE o.tenant_id = p.tenant_id AND o.code = '411603'
                    AND p.tenant_id = {tid} AND p.id = {other} RETURNING 1) SELECT count(*) AS n FROM u"
        ),
    );
    let r = app.post(&c.clerk, "/api/v1/benefits/unemployment?preview=true", &form(other, "2026-01-31")).await;
    let k = r.json::<Value>().await.unwrap()["claim"]["calculation"].clone();
    assert_eq!(
        (k["wage_class"].as_i64(), k["wage_class_source"].as_str(), k["county_code"].as_str(), k["monthly_fen"].as_i64()),
        (Some(3), Some("office"), Some("411603"), Some(144_000)),
        "{k}"
    );
}

/// `[min_wage_classes]` is validated on `tenants sync` (classes 1–3, codes of the city, every office
/// placed), and a changed class is a new, audited version of the benefit parameters.
#[tokio::test(flavor = "multi_thread")]
async fn county_classes_are_validated_and_versioned() {
    use jinbao_store::tenant_config;
    let app = TestApp::start().await;
    let root = jinbao_tests::repo_root().join("tenants");
    let dir = std::env::temp_dir().join(format!("jinbao-classes-{}", app.db_name));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = |edit: &dyn Fn(&str, String) -> String| {
        for e in std::fs::read_dir(&root).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            std::fs::write(dir.join(&name), edit(&name, std::fs::read_to_string(&p).unwrap())).unwrap();
        }
    };
    copy(&|name, text| {
        if name.starts_with("411600") {
            text.replace("\"411627\" = 3", "\"411627\" = 4").replace("\"411603\" = 3, ", "").replace("\"411602\" = 2", "\"410102\" = 2")
        } else if name.starts_with("410000") {
            text.replace("class_yuan = [\"2000\", \"1800\", \"1600\"]", "class_yuan = [\"2000\", \"1800\"]")
        } else {
            text
        }
    });
    let all = tenant_config::load_dir(&dir).unwrap_err().join("\n");
    assert!(all.contains("411600-zhoukou.toml: min_wage_classes.counties.411627: 4 is not a class 1–3"), "{all}");
    assert!(all.contains("411600-zhoukou.toml: min_wage_classes.counties.410102: not a six-digit division code of 411600"), "{all}");
    assert!(all.contains("411600-zhoukou.toml: min_wage_classes.counties: the office 411603 has no class"), "{all}");
    assert!(all.contains("410000-henan.toml: benefits.min_wage[1].class_yuan: three amounts"), "{all}");

    copy(&|name, text| if name.starts_with("411600") { text.replace("\"411627\" = 3", "\"411627\" = 2") } else { text });
    let mut c = app.owner_conn();
    let changes = tenant_config::sync(&mut c, &tenant_config::load_dir(&dir).unwrap()).unwrap();
    assert_eq!(changes, ["411600: benefit parameters version 2 added"]);
    let n = |sql: &str| jinbao_tests::count_sql(&app, "411600", sql);
    assert_eq!(
        n("SELECT class::bigint AS n FROM benefit_county_class k JOIN benefit_rule r ON r.tenant_id = k.tenant_id AND r.id = k.rule_id
           WHERE r.superseded_at IS NULL AND k.county_code = '411627'"),
        2
    );
    assert_eq!(n("SELECT count(*) AS n FROM benefit_rule"), 2, "the earlier version is kept");
    assert_eq!(n("SELECT count(*) AS n FROM audit_log WHERE action = 'benefit_rule.create' AND after -> 'classes' -> 'counties' ->> '411627' = '2'"), 1);
    assert_eq!(n("SELECT count(*) AS n FROM benefit_min_wage m JOIN benefit_rule r ON r.tenant_id = m.tenant_id AND r.id = m.rule_id WHERE r.superseded_at IS NULL"), 6);
    std::fs::remove_dir_all(&dir).unwrap();
}

//! The labour-market record: unemployment registration (refusals, list and search), training,
//! service contacts, re-employment closing the registration, the timeline, and the province's
//! counts (registered unemployed, re-employed, trainees) equal to a recount.

use jinbao_store::repo::stats;
use jinbao_store::Actor;
use jinbao_tests::{credit_code, id_number, register_employer, register_person, TestApp};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn registration_training_contacts_and_re_employment_are_recorded_and_counted() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let p = register_person(&app, &clerk, &id_number("411002", "19900808", 41), "冯求职").await;
    let pid = p["id"].as_i64().unwrap();
    let code = |v: &Value| v["error"]["fields"][0]["code"].as_str().unwrap_or("").to_string();
    // A person this city does not have is a field problem; a path that is no person id at all
    // (beyond 64 bits) is 404 — both documented for each of the three records.
    for (path, body) in [
        ("unemployment", json!({"registered_on": "2026-09-01", "reason": "dismissed"})),
        ("trainings", json!({"course": "育婴员", "provider": "许昌市家政服务职业培训学校", "start_date": "2026-02-16"})),
        ("contacts", json!({"contacted_on": "2026-02-20", "kind": "job_referral"})),
    ] {
        let r = app.post(&clerk, &format!("/api/v1/persons/{}/{path}", pid + 100_000), &body).await;
        assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (422, "person.unknown".to_string()), "{path}");
        let r = app.post(&clerk, &format!("/api/v1/persons/9223372036854775808/{path}"), &body).await;
        assert_eq!(r.status(), 404, "{path}");
    }

    let r = app
        .post(&clerk, &format!("/api/v1/persons/{pid}/unemployment"), &json!({"registered_on": "2099-01-01", "reason": "dismissed"}))
        .await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (422, "date.future".to_string()));
    let r =
        app.post(&clerk, &format!("/api/v1/persons/{pid}/unemployment"), &json!({"registered_on": "2026-09-01", "reason": "bored"})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (422, "labour.reason".to_string()));
    let r = app
        .post(&clerk, &format!("/api/v1/persons/{pid}/unemployment"), &json!({"registered_on": "2026-09-01", "reason": "contract_ended"}))
        .await;
    assert_eq!(r.status(), 201);
    let reg: Value = r.json().await.unwrap();
    assert_eq!(reg["status"], "seeking");
    let r =
        app.post(&clerk, &format!("/api/v1/persons/{pid}/unemployment"), &json!({"registered_on": "2026-09-02", "reason": "other"})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (409, "labour.already_registered".to_string()));
    let list: Value =
        app.get(&clerk, &format!("/api/v1/labour/registrations?status=seeking&name={}", "%E5%86%AF")).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");

    let r = app
        .post(
            &clerk,
            &format!("/api/v1/persons/{pid}/trainings"),
            &json!({"course": "数控车工", "provider": "许昌职业技术学院",
            "start_date": "2026-10-08", "end_date": "2026-10-01"}),
        )
        .await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (422, "date.order".to_string()));
    let r = app
        .post(
            &clerk,
            &format!("/api/v1/persons/{pid}/trainings"),
            &json!({"course": "数控车工", "provider": "许昌职业技术学院",
            "start_date": "2026-10-08", "end_date": "2026-11-08", "certificate_no": "ZJ2026-0001", "subsidy": "1200.00"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["subsidy_fen"], 120_000);
    let r = app
        .post(
            &clerk,
            &format!("/api/v1/persons/{pid}/contacts"),
            &json!({"contacted_on": "2026-10-20", "kind": "job_referral", "note": "推荐到许昌机械厂面试"}),
        )
        .await;
    assert_eq!(r.status(), 201);

    // A job ends the registration as re-employed.
    let e = register_employer(&app, &clerk, &credit_code("411000", "MA0000061"), "许昌机械厂").await;
    let r = app.post(&clerk, "/api/v1/employments", &json!({"person_id": pid, "employer_id": e["id"], "start_date": "2026-11-02"})).await;
    assert_eq!(r.status(), 201);
    let labour: Value = app.get(&clerk, &format!("/api/v1/persons/{pid}/labour")).await.json().await.unwrap();
    assert!(labour["open_registration"].is_null(), "{labour}");
    assert_eq!(labour["trainings"].as_array().unwrap().len(), 1);
    assert_eq!(labour["contacts"][0]["kind"], "job_referral");
    let done: Value = app.get(&clerk, "/api/v1/labour/registrations?status=re_employed").await.json().await.unwrap();
    assert_eq!(done["items"][0]["ended_on"], "2026-11-02", "{done}");

    let t: Value = app.get(&clerk, &format!("/api/v1/persons/{pid}/timeline")).await.json().await.unwrap();
    let kinds: Vec<&str> = t["items"].as_array().unwrap().iter().filter_map(|e| e["kind"].as_str()).collect();
    for k in ["unemployment_registered", "training", "service_contact", "re_employed", "employed"] {
        assert!(kinds.contains(&k), "{k}: {kinds:?}");
    }

    let tid = app.tenant_id("411000");
    let diff = app.db.tenant(tid, Actor::system("test"), |tx| Ok(stats::differences(stats::current(tx)?, stats::recount(tx)?))).unwrap();
    assert!(diff.is_empty(), "{diff:?}");
    let admin = app.token("410000", "ops", &["province_supervisor", "platform_admin"]).await;
    let d: Value = app.get(&admin, "/api/v1/province/dashboard").await.json().await.unwrap();
    let xc = d["cities"].as_array().unwrap().iter().find(|c| c["code"] == "411000").unwrap();
    assert_eq!(xc["registered_unemployed"], 0, "re-employed: no longer counted");
    let months = xc["months"].as_array().unwrap();
    let month = |p: &str| months.iter().find(|m| m["period"] == p).cloned().unwrap_or(json!({}));
    // One person each: counted, and shown to no one, the platform administrator included.
    assert_eq!((&month("2026-11")["re_employed"], &month("2026-10")["trainees"]), (&Value::Null, &Value::Null), "{months:?}");
    assert_eq!(xc["suppressed"], true);
    let figures = app.db.tenant(tid, Actor::system("test"), stats::current).unwrap();
    let figure = |metric: &str, month: u32| {
        figures
            .iter()
            .filter(|f| f.metric == metric && f.period == chrono::NaiveDate::from_ymd_opt(2026, month, 1).unwrap())
            .map(|f| f.value)
            .sum::<i64>()
    };
    assert_eq!((figure("re_employed", 11), figure("trainees", 10)), (1, 1));
}

//! The set-based SQL assessment and the pure Rust domain function give identical fen for every
//! row, on random wages, insurance types, risk classes and floating work-injury rates, under two
//! rounding regimes.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use jinbao_domain::{contribution, Fen, InsuranceType, Period};
use jinbao_store::repo::enrolments::{EnrolRequest, PersonChoice};
use jinbao_store::repo::persons::PersonFields;
use jinbao_store::repo::{assessments, employers, enrolments, injury_rates, rules, users};
use jinbao_store::{Actor, TenantId};
use jinbao_tests::{credit_code, id_number, TestApp};
use rand::{Rng, SeedableRng};

fn clerk(app: &TestApp, tenant: &str) -> (TenantId, Actor) {
    app.create_user(tenant, "clerk", &["clerk"]);
    let tid = app.tenant_id(tenant);
    let uid = app.db.tenant(tid, Actor::system("test"), |tx| Ok(users::id_by_username(tx, "clerk")?.unwrap())).unwrap();
    (tid, Actor::User { user_id: uid, office_id: 1, username: "clerk".into(), jti: None, epoch: 0, request_id: None })
}

fn populate(app: &TestApp, tenant: &str, area: &str, office: &str, seed: u64, n: u32) -> (TenantId, Actor) {
    let (tid, actor) = clerk(app, tenant);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    app.db
        .tenant(tid, actor.clone(), |tx| {
            let mut emps = Vec::new();
            for class in 1..=8i16 {
                let fields = employers::EmployerFields {
                    name: format!("单位{class}"),
                    industry_code: None,
                    risk_class: class,
                    address: None,
                    contact_name: None,
                    contact_phone: None,
                    registered_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                };
                let code = jinbao_domain::CreditCode::parse(&credit_code(area, &format!("MA000{class:04}"))).unwrap();
                let id = employers::create(tx, &code, &fields)?.id;
                // A random floating work-injury rate from 2026-01 (class 1 upward only).
                let steps: &[u32] = if class == 1 { &[100, 120, 150] } else { &[50, 80, 100, 120, 150] };
                let percent = steps[rng.gen_range(0..steps.len())];
                injury_rates::decide(tx, id, "2026-01".parse().unwrap(), percent, "年度浮动费率")?;
                emps.push(id);
            }
            for i in 0..n {
                let id = jinbao_domain::IdNumber::parse(
                    &id_number(office, &format!("19{:02}0{}1{}", 50 + i % 40, 1 + i % 9, i % 10), 1 + i / 100),
                    chrono::Utc::now().date_naive(),
                )
                .unwrap_or_else(|e| panic!("{e}"));
                let mut types: Vec<InsuranceType> = InsuranceType::ALL.into_iter().filter(|_| rng.gen_bool(0.7)).collect();
                if types.is_empty() {
                    types.push(InsuranceType::Pension);
                }
                // Wages from 0 to 40,000 yuan with odd fen, plus exact bounds and halves.
                let wage = match i % 10 {
                    0 => 383_100,
                    1 => 1_915_500,
                    2 => 1_915_550,
                    _ => rng.gen_range(0..4_000_000),
                };
                enrolments::enrol(
                    tx,
                    &EnrolRequest {
                        person: PersonChoice::New(id, PersonFields { name: format!("人员{i}"), ..PersonFields::default() }),
                        employer_id: emps[rng.gen_range(0..emps.len())],
                        start: "2026-07".parse().unwrap(),
                        declared_wage: Fen(wage),
                        types,
                        hire_date: None,
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    (tid, actor)
}

#[derive(diesel::QueryableByName, Debug)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    insurance_type: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    declared: i64,
    #[diesel(sql_type = diesel::sql_types::SmallInt)]
    risk_class: i16,
    #[diesel(sql_type = diesel::sql_types::SmallInt)]
    injury_percent: i16,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    base_fen: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    employer_fen: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    employee_fen: i64,
}

fn compare(app: &TestApp, tid: TenantId, actor: Actor, expected_rows_min: usize) {
    let period: Period = "2026-07".parse().unwrap();
    let summary = assessments::run(&app.db, tid, actor.clone(), period, |_, _| {}).unwrap();
    assert!(summary.rows_total as usize >= expected_rows_min);
    let rule = app.db.tenant(tid, actor, |tx| rules::for_period(tx, period)).unwrap().unwrap().rules;
    let mut c = app.owner_conn();
    let rows: Vec<Row> = c
        .transaction::<_, diesel::result::Error, _>(|c| {
            c.batch_execute(&format!("SELECT set_tenant({}::smallint)", tid.0))?;
            diesel::RunQueryDsl::load(
                diesel::sql_query(
                    "SELECT a.insurance_type, cb.declared_wage_fen AS declared, e.risk_class,
                            coalesce((SELECT f.percent FROM employer_injury_float f
                                      WHERE f.tenant_id = a.tenant_id AND f.employer_id = a.employer_id AND f.effective_from <= a.period
                                      ORDER BY f.effective_from DESC LIMIT 1), 100)::smallint AS injury_percent,
                            a.base_fen, a.employer_fen, a.employee_fen
                     FROM assessment a
                     JOIN contribution_base cb ON cb.tenant_id = a.tenant_id AND cb.person_id = a.person_id AND cb.employer_id = a.employer_id
                     JOIN employer e ON e.tenant_id = a.tenant_id AND e.id = a.employer_id
                     WHERE a.tenant_id = $1",
                )
                .bind::<diesel::sql_types::SmallInt, _>(tid.0),
                c,
            )
        })
        .unwrap();
    assert_eq!(rows.len() as i64, summary.rows_total);
    let mut checked = 0;
    for r in &rows {
        let t: InsuranceType = r.insurance_type.parse().unwrap();
        let a = contribution::assess_floating(Fen(r.declared), &[t], r.risk_class as u8, r.injury_percent as u32, &rule);
        let er = a.lines.iter().find(|l| l.party == jinbao_domain::Party::Employer).map_or(0, |l| l.amount.0);
        let ee = a.lines.iter().find(|l| l.party == jinbao_domain::Party::Employee).map_or(0, |l| l.amount.0);
        assert_eq!((r.base_fen, r.employer_fen, r.employee_fen), (a.base.0, er, ee), "{r:?}");
        checked += 1;
    }
    assert!(checked >= expected_rows_min);
}

#[tokio::test(flavor = "multi_thread")]
async fn sql_assessment_equals_the_domain_rules_on_random_data() {
    let app = TestApp::start().await;
    let seed = std::env::var("JINBAO_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| rand::thread_rng().gen());
    eprintln!("seed {seed} (set JINBAO_TEST_SEED to repeat)");
    let (tid, actor) = populate(&app, "411000", "411000", "411002", seed, 300);
    compare(&app, tid, actor, 300);
    // Zhoukou with banker's rounding, bases to the fen rounded down, separate maternity at 0.5 %.
    let zk = app.tenant_id("411600").0;
    let mut c = app.owner_conn();
    c.transaction::<_, diesel::result::Error, _>(|c| {
        c.batch_execute(&format!(
            "SELECT set_tenant({zk}::smallint);
             UPDATE tenant_rule SET amount_rounding = 'half_even', base_whole_yuan = false, base_rounding = 'down', maternity_merged = false;
             INSERT INTO tenant_rate (tenant_id, rule_id, insurance_type, party, risk_class, rate_bp)
                 SELECT tenant_id, id, 'maternity', 'employer', 0, 50 FROM tenant_rule;"
        ))
    })
    .unwrap();
    let (tid, actor) = populate(&app, "411600", "411600", "411602", seed ^ 0x5eed, 300);
    compare(&app, tid, actor, 300);
}

//! Operations tagged `work_injury` and `medical`: work-injury cases (report, recognition,
//! assessment) and benefits, medical settlements and personal accounts.

use serde_json::{json, Map, Value};

use crate::api::doc::{r, Doc};

fn error(desc: &str, d: &mut Doc) -> Value {
    json!({
        "description": desc,
        "headers": {"X-Request-Id": r("headers/X-Request-Id"), "Cache-Control": r("headers/Cache-Control-No-Store")},
        "content": {"application/json": {"schema": d.output::<crate::error::ErrorBody>()}}
    })
}

fn ok(desc: &str, schema: Value) -> Value {
    json!({
        "description": desc,
        "headers": {"X-Request-Id": r("headers/X-Request-Id"), "Cache-Control": r("headers/Cache-Control-No-Store")},
        "content": {"application/json": {"schema": schema}}
    })
}

/// One operation: the common parameters and responses, then its own.
struct Op<'a> {
    tag: &'a str,
    id: &'a str,
    summary: &'a str,
    description: &'a str,
    params: Vec<Value>,
    body: Option<(bool, Value)>,
    ok: (&'a str, &'a str, Value),
    errors: Vec<(&'a str, &'a str)>,
}

impl Op<'_> {
    fn build(self, d: &mut Doc) -> Value {
        let mut parameters = vec![r("parameters/AcceptLanguage"), r("parameters/XRequestIdIn")];
        parameters.extend(self.params);
        let mut responses = Map::new();
        responses.insert("401".into(), r("responses/Unauthorized"));
        responses.insert("403".into(), r("responses/Forbidden"));
        responses.insert(self.ok.0.into(), ok(self.ok.1, self.ok.2));
        for (status, desc) in self.errors {
            let v = match status {
                "400" => r("responses/BadRequest"),
                "404" => r("responses/NotFound"),
                "415" => r("responses/UnsupportedMediaType"),
                _ => error(desc, d),
            };
            responses.insert(status.into(), v);
        }
        let mut op = json!({
            "tags": [self.tag],
            "operationId": self.id,
            "summary": self.summary,
            "description": self.description,
            "parameters": parameters,
            "responses": responses,
        });
        if let Some((required, schema)) = self.body {
            op["requestBody"] = json!({"required": required, "content": {"application/json": {"schema": schema}}});
        }
        op
    }
}

fn preview_param() -> Value {
    json!({"name": "preview", "in": "query", "required": false, "description": "`true`: compute and show every figure, save nothing (200).",
           "schema": {"type": "boolean"}})
}

fn paging() -> Vec<Value> {
    vec![
        json!({"name": "page", "in": "query", "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 100000}}),
        json!({"name": "per_page", "in": "query", "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 100}}),
    ]
}

const PROPOSE: &str = "**Permission:** `benefit.propose` (roles: clerk).";
const APPROVE: &str = "**Permission:** `benefit.approve` (roles: reviewer).";
const READ: &str = "**Permission:** `benefit.propose` or `benefit.approve`.";

pub(super) fn operations(d: &mut Doc) {
    let id = json!([r("parameters/Id")]);
    let case = d.output::<jinbao_store::repo::injury_cases::InjuryCase>();
    let op = Op {
        tag: "work_injury",
        id: "reportInjury",
        summary: "Report an accident at work (工伤认定申请)",
        description: &format!("Records the report of an accident at work (工伤保险条例 art. 17): by the employer within 30 days (a later report is accepted and flagged `late_report`: the costs of the late period are the employer's), by the worker or family within one year (`injury.report_too_late`). The decision is due 60 days after the report (`decision_due`, art. 20; shown `overdue` after it). `fund_covers` is whether the person was enrolled in work-injury insurance with the employer on the day; otherwise every benefit is the employer's (recorded with payer `employer`). Audited (`injury.report`), on the person's timeline.\n\n{PROPOSE}"),
        params: vec![],
        body: Some((true, d.input::<jinbao_app::injury::ReportInput>())),
        ok: ("201", "The case.", case.clone()),
        errors: vec![("400", ""), ("415", ""), ("422", "A field breaks a rule (dates, reporter, texts, unknown person or employer).")],
    }
    .build(d);
    d.op("post", "/api/v1/injury/cases", op);
    let mut params = vec![
        json!({"name": "open", "in": "query", "description": "`true`: only cases not decided, the earliest due first.", "schema": {"type": "boolean"}}),
        json!({"name": "person_id", "in": "query", "schema": {"type": "integer", "format": "int64"}}),
    ];
    params.extend(paging());
    let list = d.output::<jinbao_store::repo::Page<jinbao_store::repo::injury_cases::InjuryCase>>();
    let op = Op {
        tag: "work_injury",
        id: "listInjuryCases",
        summary: "Work-injury cases",
        description: &format!("Newest first, or (`open=true`) the cases waiting for a decision by due date.\n\n{READ}"),
        params,
        body: None,
        ok: ("200", "A page of cases.", list),
        errors: vec![("400", ""), ("422", "Paging out of range.")],
    }
    .build(d);
    d.op("get", "/api/v1/injury/cases", op);
    d.path_parameters("/api/v1/injury/cases/{id}", id.clone());
    let op = Op {
        tag: "work_injury",
        id: "getInjuryCase",
        summary: "A work-injury case",
        description: &format!("The report, the recognition and the assessment.\n\n{READ}"),
        params: vec![],
        body: None,
        ok: ("200", "The case.", case.clone()),
        errors: vec![("404", "")],
    }
    .build(d);
    d.op("get", "/api/v1/injury/cases/{id}", op);
    d.path_parameters("/api/v1/injury/cases/{id}/recognition", id.clone());
    let op = Op {
        tag: "work_injury",
        id: "proposeInjuryRecognition",
        summary: "Propose the recognition (认定意见)",
        description: &format!("Proposes `recognised` or `not_recognised` with the reasons. Only a reported case (409 `injury.not_reported`); another user decides. Audited (`injury.propose`).\n\n{PROPOSE}"),
        params: vec![],
        body: Some((true, d.input::<jinbao_app::injury::RecognitionInput>())),
        ok: ("200", "The case, status `proposed`.", case.clone()),
        errors: vec![("400", ""), ("404", ""), ("409", "Not in status `reported`."), ("415", ""), ("422", "Missing or unknown outcome, missing reason.")],
    }
    .build(d);
    d.op("post", "/api/v1/injury/cases/{id}/recognition", op);
    for (approve, path, opid, summary) in [
        (
            true,
            "/api/v1/injury/cases/{id}/recognition/approve",
            "approveInjuryRecognition",
            "Approve the proposed recognition (工伤认定决定)",
        ),
        (false, "/api/v1/injury/cases/{id}/recognition/reject", "rejectInjuryRecognition", "Send the proposed recognition back"),
    ] {
        d.path_parameters(path, id.clone());
        let what = if approve {
            "The proposed outcome becomes the case's status (`recognised` or `not_recognised`) and is on the person's timeline."
        } else {
            "The case returns to `reported` for a new proposal; a note is required."
        };
        let description = format!("{what} The proposer never decides (422 `benefit.same_person`); only a proposed case (409 `injury.not_proposed`). Audited.\n\n{APPROVE}");
        let op = Op {
            tag: "work_injury",
            id: opid,
            summary,
            description: &description,
            params: vec![],
            body: Some((false, d.input::<crate::api::benefits::DecisionInput>())),
            ok: ("200", "The case.", case.clone()),
            errors: vec![
                ("400", ""),
                ("404", ""),
                ("409", "Not proposed."),
                ("415", ""),
                ("422", "The proposer deciding, or a rejection without a note."),
            ],
        }
        .build(d);
        d.op("post", path, op);
    }
    d.path_parameters("/api/v1/injury/cases/{id}/assessment", id.clone());
    let op = Op {
        tag: "work_injury",
        id: "assessInjury",
        summary: "Record the ability assessment (劳动能力鉴定)",
        description: &format!("The board's conclusion for a recognised case (409 `injury.not_recognised`): the disability grade 1–10 (none when no grade is reached) and the care level. A re-assessment replaces it, audited with the earlier one.\n\n{PROPOSE}"),
        params: vec![],
        body: Some((true, d.input::<jinbao_app::injury::AssessmentInput>())),
        ok: ("200", "The case.", case.clone()),
        errors: vec![("400", ""), ("404", ""), ("409", "Not recognised."), ("415", ""), ("422", "Grade outside 1–10, unknown care level, dates, board.")],
    }
    .build(d);
    d.op("post", "/api/v1/injury/cases/{id}/assessment", op);
    let preview = d.output::<crate::api::benefits::ClaimPreview>();
    let claim = d.output::<jinbao_store::repo::benefits::Claim>();
    let op = Op {
        tag: "work_injury",
        id: "proposeInjuryBenefit",
        summary: "Propose a work-injury benefit (工伤待遇)",
        description: &format!("Computes a benefit of a recognised case (`injury.not_recognised`) and proposes it; decided as every claim at `/api/v1/benefits/claims/{{id}}/approve`. The wage (art. 64) is the average of the person's work-injury contribution bases of the twelve months before the accident month (the `wage` given only when none is on record), bounded to 60–300 % of the city's average monthly wage (the contribution rule's in force on the day). `injury_disability`: the wage × 27/25/23/21/18/16/13/11/9/7 months for grades 1–10, once (`injury.not_assessed` without an assessment); `injury_allowance`: 90/85/80/75 % of the wage for grades 1–4 (fund) and 70/60 % for grades 5–6 (payer `employer`), at least the minimum wage of the person's county class, monthly from the month after the assessment (`injury.no_allowance` for grades 7–10); `injury_nursing`: 50/40/30 % of the city's average wage by care level (`injury.no_care`); `injury_funeral`: 6 months of the city's average wage; `injury_survivor`: 40 % of the wage for the spouse and 30 % for each other dependant, +10 points for an orphan or a lone elder, the sum at most the wage (shares reduced in proportion); `injury_death`: 20 × the previous year's national urban per-capita disposable income (`injury.disposable_income_missing` on `years.<year>` when the province file lacks it; nothing for a grade 1–4 allowance recipient who died of another cause, `injury.no_death_subsidy`). A case whose employer was not insured on the day is the employer's: payer `employer`, never in a payment batch. One benefit of each kind per case proposed or approved (409 `benefit.open_claim`). Unknown fields are ignored (the body carries the flattened payment channel). docs/benefits.md \"Work injury\".\n\n{PROPOSE}"),
        params: vec![preview_param()],
        body: Some((true, d.input::<jinbao_app::benefits::work_injury::InjuryBenefitInputForm>())),
        ok: ("201", "The proposed claim.", claim),
        errors: vec![("400", ""), ("409", "A benefit of this kind is already proposed or approved for the case."), ("415", ""), ("422", "A field breaks a rule, or the case is not recognised or not assessed.")],
    }
    .build(d);
    let mut op = op;
    op["responses"]["200"] = ok("The preview (`preview=true`): every figure, nothing saved.", preview);
    d.op("post", "/api/v1/benefits/injury", op);

    let settlement = d.output::<jinbao_store::repo::medical::Settlement>();
    let op = Op {
        tag: "medical",
        id: "proposeMedicalSettlement",
        summary: "Settle a medical bill (医疗费用结算)",
        description: &format!("Settles a bill of an insured employee by the city's parameters in force on `bill_date` (`medical.no_parameters`), against the person's approved settlements of that year (stays, fund and serious-illness amounts used, outpatient deductible) and the personal account's balance; a person drawing a pension is a retiree. Class C lines are the person's; a class B line's share (乙类先行自付) is the person's; of the rest the person pays the deductible (per stay by hospital level, later stays a percentage of it; outpatient once a year), the fund its percentage up to the yearly cap, the serious-illness insurance its percentage above the cap up to its own cap; the person's parts are paid from the personal account as far as it goes. Every fen ends in one part with its payer and rule (`calculation.parts`). One proposal per person at a time (409 `medical.open_settlement`). docs/benefits.md \"Medical settlement\".\n\n{PROPOSE}"),
        params: vec![preview_param()],
        body: Some((true, d.input::<jinbao_app::medical::SettlementInput>())),
        ok: ("201", "The proposed settlement.", settlement.clone()),
        errors: vec![("400", ""), ("409", "Another settlement of the person waits for a decision."), ("415", ""), ("422", "A field or a line breaks a rule (`lines[i].amount`, `lines[i].class`, `lines[i].code`).")],
    }
    .build(d);
    let mut op = op;
    op["responses"]["200"] = ok("The preview (`preview=true`).", d.output::<crate::api::medical::SettlementPreview>());
    d.op("post", "/api/v1/medical/settlements", op);
    let mut params = vec![
        json!({"name": "status", "in": "query", "schema": {"type": "string", "enum": ["proposed", "approved", "rejected"]}}),
        json!({"name": "person_id", "in": "query", "schema": {"type": "integer", "format": "int64"}}),
    ];
    params.extend(paging());
    let list = d.output::<jinbao_store::repo::Page<jinbao_store::repo::medical::Settlement>>();
    let op = Op {
        tag: "medical",
        id: "listMedicalSettlements",
        summary: "Medical settlements",
        description: &format!("Newest first (422 `medical.status` for an unknown status).\n\n{READ}"),
        params,
        body: None,
        ok: ("200", "A page of settlements.", list),
        errors: vec![("400", ""), ("422", "Unknown status or paging out of range.")],
    }
    .build(d);
    d.op("get", "/api/v1/medical/settlements", op);
    d.path_parameters("/api/v1/medical/settlements/{id}", id.clone());
    let op = Op {
        tag: "medical",
        id: "getMedicalSettlement",
        summary: "A medical settlement",
        description: &format!("With its lines, inputs and every part.\n\n{READ}"),
        params: vec![],
        body: None,
        ok: ("200", "The settlement.", settlement.clone()),
        errors: vec![("404", "")],
    }
    .build(d);
    d.op("get", "/api/v1/medical/settlements/{id}", op);
    for (approve, path, opid, summary) in [
        (true, "/api/v1/medical/settlements/{id}/approve", "approveMedicalSettlement", "Approve a settlement"),
        (false, "/api/v1/medical/settlements/{id}/reject", "rejectMedicalSettlement", "Reject a settlement"),
    ] {
        d.path_parameters(path, id.clone());
        let what = if approve {
            "Approves: the account's part is paid from the personal account (409 `medical.account_changed` if it no longer covers it), the medical fund's share counts in the bill's month, the year's figures of the person grow."
        } else {
            "Rejects; a note is required."
        };
        let description = format!("{what} The proposer never decides (422 `benefit.same_person`); deciding twice is 409 `medical.already_decided`. Audited.\n\n{APPROVE}");
        let op = Op {
            tag: "medical",
            id: opid,
            summary,
            description: &description,
            params: vec![],
            body: Some((false, d.input::<crate::api::benefits::DecisionInput>())),
            ok: ("200", "The settlement.", settlement.clone()),
            errors: vec![
                ("400", ""),
                ("404", ""),
                ("409", "Already decided, or the account changed."),
                ("415", ""),
                ("422", "The proposer deciding, or a rejection without a note."),
            ],
        }
        .build(d);
        d.op("post", path, op);
    }
    d.path_parameters("/api/v1/medical/accounts/{id}", json!([{"name": "id", "in": "path", "required": true, "description": "The person's id.", "schema": {"type": "integer", "format": "int64"}}]));
    let op = Op {
        tag: "medical",
        id: "getMedicalAccount",
        summary: "A personal medical account (个人账户)",
        description: &format!("The balance and the latest 100 entries with the running balance.\n\n{READ}"),
        params: vec![],
        body: None,
        ok: ("200", "The account.", d.output::<crate::api::medical::Account>()),
        errors: vec![("404", "")],
    }
    .build(d);
    d.op("get", "/api/v1/medical/accounts/{id}", op);
    let op = Op {
        tag: "medical",
        id: "creditMedicalAccounts",
        summary: "Credit the personal accounts of a month (个人账户划入)",
        description: "Credits each employee's own medical contribution of the month when the employer's collections for the month cover everything it owes for it, and each person drawing a pension the city's monthly retiree amount. Idempotent: a month is credited once per person and source (the counts say what this call added).\n\n**Permission:** `payment.run` (roles: reviewer).",
        params: vec![],
        body: Some((true, d.input::<crate::api::medical::CreditInput>())),
        ok: ("200", "What was credited.", d.output::<jinbao_store::repo::medical::Credited>()),
        errors: vec![("400", ""), ("415", ""), ("422", "Missing, malformed or future month.")],
    }
    .build(d);
    d.op("post", "/api/v1/medical/accounts/credits", op);
    let op = Op {
        tag: "medical",
        id: "importMedicalCatalogue",
        summary: "Import a version of the province's medical catalogue (医保目录)",
        description: "The body is the catalogue as CSV (UTF-8 or GB18030; up to 16 MiB, 200,000 items): columns 编码 (code), 名称 (name), 类别 (class 甲/乙/丙 or A/B/C) and optionally 单价 (price in yuan). Every row is checked (codes of 1–40 characters once each, names of 1–200, a known class, a price in yuan); any problem refuses the whole file with 422 naming each row as `rows[<row>].<column>` (row numbers as a spreadsheet shows them, header = 1). A version is global (every city's settlements use it from `effective_from`), never changed (409 `catalogue.version_exists` for a name or month already taken) and audited in the province tier.\n\n**Permission:** `catalogue.import` (roles: city_admin) of the province tier (403 `catalogue.province_only` elsewhere).",
        params: vec![
            json!({"name": "version", "in": "query", "required": true, "schema": {"type": "string", "pattern": "^[0-9A-Za-z._-]{1,32}$"}}),
            json!({"name": "effective_from", "in": "query", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}}),
        ],
        body: None,
        ok: ("201", "The version imported.", d.output::<jinbao_store::repo::catalogue::Version>()),
        errors: vec![("400", ""), ("409", "The version or its month is taken."), ("422", "Query parameters, or rows of the file.")],
    }
    .build(d);
    let mut op = op;
    op["requestBody"] = json!({"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}});
    d.op("post", "/api/v1/medical/catalogue", op);
    let op = Op {
        tag: "medical",
        id: "listMedicalCatalogueVersions",
        summary: "Versions of the medical catalogue",
        description: "The versions imported, the latest first; a settlement uses the one in force on the bill's day.\n\n**Permission:** `benefit.propose`, `benefit.approve` or `catalogue.import`.",
        params: vec![],
        body: None,
        ok: ("200", "The versions.", d.output::<crate::api::shapes::Items<jinbao_store::repo::catalogue::Version>>()),
        errors: vec![],
    }
    .build(d);
    d.op("get", "/api/v1/medical/catalogue", op);
}

//! Operations tagged `benefits`: Pension, unemployment benefit and maternity allowance: proposal with every figure kept, maker-checker decision, stop (待遇).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = propose_pension(d);
    d.op("post", "/api/v1/benefits/pension", op);
    let op = propose_unemployment_benefit(d);
    d.op("post", "/api/v1/benefits/unemployment", op);
    let op = propose_maternity_allowance(d);
    d.op("post", "/api/v1/benefits/maternity", op);
    let op = list_claims(d);
    d.op("get", "/api/v1/benefits/claims", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/claims/{id}", parameters);
    let op = get_claim(d);
    d.op("get", "/api/v1/benefits/claims/{id}", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/claims/{id}/approve", parameters);
    let op = approve_claim(d);
    d.op("post", "/api/v1/benefits/claims/{id}/approve", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/claims/{id}/reject", parameters);
    let op = reject_claim(d);
    d.op("post", "/api/v1/benefits/claims/{id}/reject", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/claims/{id}/stop", parameters);
    let op = stop_claim(d);
    d.op("post", "/api/v1/benefits/claims/{id}/stop", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/claims/{id}/channel", parameters);
    let op = propose_channel_change(d);
    d.op("post", "/api/v1/benefits/claims/{id}/channel", op);
    let op = list_channel_changes(d);
    d.op("get", "/api/v1/benefits/channel-changes", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/channel-changes/{id}", parameters);
    let op = get_channel_change(d);
    d.op("get", "/api/v1/benefits/channel-changes/{id}", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/channel-changes/{id}/approve", parameters);
    let op = approve_channel_change(d);
    d.op("post", "/api/v1/benefits/channel-changes/{id}/approve", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/channel-changes/{id}/reject", parameters);
    let op = reject_channel_change(d);
    d.op("post", "/api/v1/benefits/channel-changes/{id}/reject", op);
    let op = recalculate_benefits(d);
    d.op("post", "/api/v1/benefits/recalculations", op);
    let op = list_revisions(d);
    d.op("get", "/api/v1/benefits/revisions", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/revisions/{id}/approve", parameters);
    let op = approve_revision(d);
    d.op("post", "/api/v1/benefits/revisions/{id}/approve", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/revisions/{id}/reject", parameters);
    let op = reject_revision(d);
    d.op("post", "/api/v1/benefits/revisions/{id}/reject", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/benefits/claims/{id}/adjustments", parameters);
    let op = claim_adjustments(d);
    d.op("get", "/api/v1/benefits/claims/{id}/adjustments", op);
}

fn propose_pension(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "proposePension",
        "summary": "Propose a basic pension (基本养老金申请)",
        "description": "Computes the basic pension of a person who has reached the statutory retirement age and proposes it. The platform takes the birth month and gender from the person, the pension months, bases and employee contributions from the contribution history and the assessments, and the average wages, payout base, interest rates and transitional coefficient from the city's benefit parameters. Steps: retirement month and age by category under the 2025 gradual raise (`pension.not_yet_of_age` when after the current month); contribution months up to retirement plus the deemed months, at least the minimum of the retirement year (180 up to 2029, +6 a year from 2030, 240 from 2039; `pension.contribution_too_short` on `deemed_months`); yearly index = average monthly base ÷ the year's average wage (`pension.avg_wage_missing` on `years.<year>`); personal account with yearly interest (years without a published rate use the latest earlier one and are listed as provisional); payout base C of the retirement year or the latest earlier one published (`pension.payout_base_missing`); months divisor of the nearest lower listed age. Monthly pension = C × (1 + Ī)/2 × N × 1% + balance ÷ divisor + C × Ī × deemed years × coefficient, each part rounded half-up to the fen. Due monthly from the month after the retirement month (earlier months included in the next batch).\n\nThe proposal is saved with status `proposed`, audited (`benefit.propose`) and put on the person's timeline (`benefit_proposed`); a reviewer other than the proposer decides it (`/benefits/claims/{id}/approve` or `/reject`). One claim of a kind per person may be proposed or approved at a time (409 `benefit.open_claim`). The city's benefit parameters must have been synced (`benefit.no_parameters`). Formulas, sources and interpretations: `docs/benefits.md`.\n\n**Permission:** `benefit.propose` (roles: clerk).",
        "parameters": [
            {
                "name": "preview",
                "in": "query",
                "required": false,
                "description": "`true` to compute without saving: 200 with `{preview: true, claim}`; nothing is written or audited.",
                "schema": {
                    "type": "boolean",
                    "default": false
                }
            },
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<jinbao_app::benefits::pension::PensionInputForm>()
                }
            }
        },
        "responses": {
            "200": {
                "description": "Preview (`?preview=true`): what would be saved.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::benefits::ClaimPreview>(),
                        "examples": {
                            "preview": {
                                "summary": "Preview",
                                "value": {
                                    "preview": true,
                                    "claim": {
                                        "person_id": 1024,
                                        "kind": "pension",
                                        "inputs": {
                                            "category": "male",
                                            "deemed_months": 180,
                                            "birth_date": "1964-06-15",
                                            "benefit_rule_version": 1
                                        },
                                        "calculation": {
                                            "retirement": {
                                                "original_period": "2024-06",
                                                "delay_months": 0,
                                                "period": "2024-06",
                                                "age_years": 60,
                                                "age_months": 0
                                            },
                                            "months": {
                                                "actual": 30,
                                                "deemed": 180,
                                                "total": 210,
                                                "minimum": 180
                                            },
                                            "years": [
                                                {
                                                    "year": 2022,
                                                    "months": 12,
                                                    "avg_base_fen": 640100,
                                                    "avg_wage_fen": 640100,
                                                    "index_bp": 10000,
                                                    "account_credit_fen": 614496
                                                },
                                                {
                                                    "year": 2023,
                                                    "months": 12,
                                                    "avg_base_fen": 660600,
                                                    "avg_wage_fen": 660600,
                                                    "index_bp": 10000,
                                                    "account_credit_fen": 634176
                                                },
                                                {
                                                    "year": 2024,
                                                    "months": 6,
                                                    "avg_base_fen": 673800,
                                                    "avg_wage_fen": 673800,
                                                    "index_bp": 10000,
                                                    "account_credit_fen": 323424
                                                }
                                            ],
                                            "account": {
                                                "rates": [
                                                    {
                                                        "year": 2022,
                                                        "rate_bp": 612
                                                    },
                                                    {
                                                        "year": 2023,
                                                        "rate_bp": 397
                                                    },
                                                    {
                                                        "year": 2024,
                                                        "rate_bp": 262
                                                    }
                                                ],
                                                "provisional_rate_years": [],
                                                "balance_fen": 1629845
                                            },
                                            "payout_base": {
                                                "year": 2024,
                                                "fen": 660600
                                            },
                                            "transitional_coefficient_bp": 130,
                                            "result": {
                                                "average_index_bp": 10000,
                                                "contribution_months": 210,
                                                "deemed_months": 180,
                                                "divisor_months": 139,
                                                "basic": 115605,
                                                "account": 11726,
                                                "transitional": 128817,
                                                "total": 256148
                                            }
                                        },
                                        "amount_fen": 256148,
                                        "monthly": true,
                                        "start_period": "2024-07-01",
                                        "end_period": null,
                                        "channel": "bank",
                                        "bank_name": "中国工商银行许昌分行",
                                        "account_no": "6222020200001234567",
                                        "post_address": null,
                                        "injury_case_id": null,
                                        "payer": "fund"
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "201": {
                "description": "Proposed.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::benefits::Claim>(),
                        "examples": {
                            "proposed": {
                                "summary": "Proposed, awaiting review",
                                "value": {
                                    "id": 501,
                                    "person_id": 1024,
                                    "person_name": "王退休",
                                    "kind": "pension",
                                    "status": "proposed",
                                    "inputs": {
                                        "category": "male",
                                        "deemed_months": 180,
                                        "birth_date": "1964-06-15",
                                        "benefit_rule_version": 1
                                    },
                                    "calculation": {
                                        "retirement": {
                                            "original_period": "2024-06",
                                            "delay_months": 0,
                                            "period": "2024-06",
                                            "age_years": 60,
                                            "age_months": 0
                                        },
                                        "months": {
                                            "actual": 30,
                                            "deemed": 180,
                                            "total": 210,
                                            "minimum": 180
                                        },
                                        "years": [
                                            {
                                                "year": 2022,
                                                "months": 12,
                                                "avg_base_fen": 640100,
                                                "avg_wage_fen": 640100,
                                                "index_bp": 10000,
                                                "account_credit_fen": 614496
                                            },
                                            {
                                                "year": 2023,
                                                "months": 12,
                                                "avg_base_fen": 660600,
                                                "avg_wage_fen": 660600,
                                                "index_bp": 10000,
                                                "account_credit_fen": 634176
                                            },
                                            {
                                                "year": 2024,
                                                "months": 6,
                                                "avg_base_fen": 673800,
                                                "avg_wage_fen": 673800,
                                                "index_bp": 10000,
                                                "account_credit_fen": 323424
                                            }
                                        ],
                                        "account": {
                                            "rates": [
                                                {
                                                    "year": 2022,
                                                    "rate_bp": 612
                                                },
                                                {
                                                    "year": 2023,
                                                    "rate_bp": 397
                                                },
                                                {
                                                    "year": 2024,
                                                    "rate_bp": 262
                                                }
                                            ],
                                            "provisional_rate_years": [],
                                            "balance_fen": 1629845
                                        },
                                        "payout_base": {
                                            "year": 2024,
                                            "fen": 660600
                                        },
                                        "transitional_coefficient_bp": 130,
                                        "result": {
                                            "average_index_bp": 10000,
                                            "contribution_months": 210,
                                            "deemed_months": 180,
                                            "divisor_months": 139,
                                            "basic": 115605,
                                            "account": 11726,
                                            "transitional": 128817,
                                            "total": 256148
                                        }
                                    },
                                    "amount_fen": 256148,
                                    "monthly": true,
                                    "start_period": "2024-07-01",
                                    "end_period": null,
                                    "channel": "bank",
                                    "bank_name": "中国工商银行许昌分行",
                                    "account_no": "6222020200001234567",
                                    "post_address": null,
                                    "proposed_by": 31,
                                    "proposed_by_name": "李经办",
                                    "proposed_at": "2026-11-20T02:15:09.120331Z",
                                    "decided_by": null,
                                    "decided_by_name": null,
                                    "decided_at": null,
                                    "decision_note": null,
                                    "office_name": "许昌市社会保险中心",
                                    "injury_case_id": null,
                                    "payer": "fund"
                                }
                            }
                        }
                    }
                }
            },
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "409": {
                "description": "Conflict with existing data. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "open_claim": {
                                "summary": "A claim of this kind is already proposed or approved (benefit.open_claim)",
                                "value": {
                                    "error": {
                                        "code": "benefit.open_claim",
                                        "message": "该人员已有一笔同类待遇正在审核或发放中，不能重复申请",
                                        "fields": [
                                            {
                                                "field": "kind",
                                                "code": "benefit.open_claim",
                                                "label": "待遇类型",
                                                "message": "该人员已有一笔同类待遇正在审核或发放中，不能重复申请"
                                            }
                                        ]
                                    }
                                }
                            },
                            "suspended": {
                                "summary": "The city is suspended: read only (tenant.suspended)",
                                "value": {
                                    "error": {
                                        "code": "tenant.suspended",
                                        "message": "本市已暂停使用，当前只能查询，不能办理业务",
                                        "fields": [
                                            {
                                                "field": "tenant",
                                                "code": "tenant.suspended",
                                                "label": "所属地市",
                                                "message": "本市已暂停使用，当前只能查询，不能办理业务"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "422": {
                "description": "Validation failed (code `validation`). Every field problem is listed at once in `fields`; when there is exactly one, `message` repeats it, otherwise `message` is the general summary.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "too_short": {
                                "summary": "Not enough contribution months (pension.contribution_too_short)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "累计缴费年限（含视同缴费年限）不足退休当年的最低缴费年限：2029 年及以前为 15 年，2030 年起每年增加 6 个月，2039 年起为 20 年",
                                        "fields": [
                                            {
                                                "field": "deemed_months",
                                                "code": "pension.contribution_too_short",
                                                "label": "视同缴费月数",
                                                "message": "累计缴费年限（含视同缴费年限）不足退休当年的最低缴费年限：2029 年及以前为 15 年，2030 年起每年增加 6 个月，2039 年起为 20 年"
                                            }
                                        ]
                                    }
                                }
                            },
                            "category_gender": {
                                "summary": "Category does not match the gender (pension.category_gender)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "退休人员类别与该人员的性别不符：男性选“男职工”，女性选“女职工”或“女干部”",
                                        "fields": [
                                            {
                                                "field": "category",
                                                "code": "pension.category_gender",
                                                "label": "退休人员类别",
                                                "message": "退休人员类别与该人员的性别不符：男性选“男职工”，女性选“女职工”或“女干部”"
                                            }
                                        ]
                                    }
                                }
                            },
                            "not_yet": {
                                "summary": "Retirement month after the current month (pension.not_yet_of_age)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "该人员尚未达到法定退休年龄（已按渐进式延迟退休规定计算），暂不能申领基本养老金",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "pension.not_yet_of_age",
                                                "label": "人员",
                                                "message": "该人员尚未达到法定退休年龄（已按渐进式延迟退休规定计算），暂不能申领基本养老金"
                                            }
                                        ]
                                    }
                                }
                            },
                            "channel": {
                                "summary": "Bank channel without a valid account number (account_no.format)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "银行账号应为 10 到 30 位数字（中间的空格会自动去掉），请核对存折或银行卡",
                                        "fields": [
                                            {
                                                "field": "account_no",
                                                "code": "account_no.format",
                                                "label": "银行账号",
                                                "message": "银行账号应为 10 到 30 位数字（中间的空格会自动去掉），请核对存折或银行卡"
                                            }
                                        ]
                                    }
                                }
                            },
                            "several": {
                                "summary": "Several problems",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "提交的信息有误，请按提示修改后重新提交。",
                                        "fields": [
                                            {
                                                "field": "category",
                                                "code": "required",
                                                "label": "退休人员类别",
                                                "message": "此项为必填项"
                                            },
                                            {
                                                "field": "bank_name",
                                                "code": "required",
                                                "label": "开户银行",
                                                "message": "此项为必填项"
                                            },
                                            {
                                                "field": "deemed_months",
                                                "code": "pension.deemed_months",
                                                "label": "视同缴费月数",
                                                "message": "视同缴费月数应在 0 到 600 之间（最多 50 年），请按档案核定的月数填写"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError"),
            "415": r("responses/UnsupportedMediaType")
        }
    })
}

fn propose_unemployment_benefit(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "proposeUnemploymentBenefit",
        "summary": "Propose an unemployment benefit (失业保险金申请)",
        "description": "Computes the unemployment benefit of a person whose job ended involuntarily and proposes it. Refused while the person has an employment with no end date or ending after `separated_on` (`unemployment.still_employed`). The person must be registered as unemployed and seeking work — an open registration, `POST /api/v1/persons/{id}/unemployment` (`unemployment.not_registered` on `person_id` otherwise, also for a preview); its id is kept in `inputs.registration_id`. Contribution months (失业保险条例 art. 17) = paid unemployment months up to the month of separation and, after an earlier unemployment benefit (the approved or stopped claim whose benefit period ends last, among those with at least one month due), only those strictly after its last month (`calculation.restart_after`); months of benefit 12 (12–59 months), 18 (60–119) or 24 (120 and more), plus the unused months of that earlier benefit (its entitled months minus the months of its benefit period), at most 24; under 12 months with nothing unused is `unemployment.contribution_too_short`. Due monthly from the month of the registration date (art. 18; that whole month) for the months of benefit; a registration dated before `separated_on` is `unemployment.registered_before_separation`. Monthly amount = the minimum wage of the person's county class × the city's percentage, half-up (at most 90%, above the subsistence allowance and below the minimum wage; otherwise `unemployment.*`): the county is the identity number's area code when it is one of the city's counties, else the person's office, else the city's default class; the class amounts are those in force in the first month (`unemployment.no_min_wage` if none). A later hire stops the benefit with the month before the hire month.\n\nThe proposal is saved with status `proposed`, audited (`benefit.propose`) and put on the person's timeline (`benefit_proposed`); a reviewer other than the proposer decides it (`/benefits/claims/{id}/approve` or `/reject`). One claim of a kind per person may be proposed or approved at a time (409 `benefit.open_claim`). The city's benefit parameters must have been synced (`benefit.no_parameters`). Formulas, sources and interpretations: `docs/benefits.md`.\n\n**Permission:** `benefit.propose` (roles: clerk).",
        "parameters": [
            {
                "name": "preview",
                "in": "query",
                "required": false,
                "description": "`true` to compute without saving: 200 with `{preview: true, claim}`; nothing is written or audited.",
                "schema": {
                    "type": "boolean",
                    "default": false
                }
            },
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<jinbao_app::benefits::unemployment::UnemploymentInputForm>()
                }
            }
        },
        "responses": {
            "200": {
                "description": "Preview (`?preview=true`): what would be saved.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::benefits::ClaimPreview>(),
                        "examples": {
                            "preview": {
                                "summary": "Preview",
                                "value": {
                                    "preview": true,
                                    "claim": {
                                        "person_id": 2048,
                                        "kind": "unemployment",
                                        "inputs": {
                                            "involuntary": true,
                                            "separated_on": "2026-01-31",
                                            "registration_id": 31,
                                            "benefit_rule_version": 1
                                        },
                                        "calculation": {
                                            "contributed_months_total": 36,
                                            "previous_claim_id": null,
                                            "restart_after": null,
                                            "contributed_months": 36,
                                            "entitled_months_new": 12,
                                            "unused_prior_months": 0,
                                            "entitled_months": 12,
                                            "registered_on": "2026-02-03",
                                            "wage_class": 1,
                                            "wage_class_source": "identity_number",
                                            "county_code": "411002",
                                            "min_wage_from": "2022-01",
                                            "min_wage_fen": 200000,
                                            "subsistence_fen": 70000,
                                            "percent_bp": 9000,
                                            "monthly_fen": 180000,
                                            "first_period": "2026-02",
                                            "last_period": "2027-01"
                                        },
                                        "amount_fen": 180000,
                                        "monthly": true,
                                        "start_period": "2026-02-01",
                                        "end_period": "2027-01-01",
                                        "channel": "bank",
                                        "bank_name": "中国农业银行许昌分行",
                                        "account_no": "6228480000000000017",
                                        "post_address": null,
                                        "injury_case_id": null,
                                        "payer": "fund"
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "201": {
                "description": "Proposed.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::benefits::Claim>(),
                        "examples": {
                            "proposed": {
                                "summary": "Proposed, awaiting review",
                                "value": {
                                    "id": 502,
                                    "person_id": 2048,
                                    "person_name": "赵失业",
                                    "kind": "unemployment",
                                    "status": "proposed",
                                    "inputs": {
                                        "involuntary": true,
                                        "separated_on": "2026-01-31",
                                        "registration_id": 31,
                                        "benefit_rule_version": 1
                                    },
                                    "calculation": {
                                        "contributed_months_total": 36,
                                        "previous_claim_id": null,
                                        "restart_after": null,
                                        "contributed_months": 36,
                                        "entitled_months_new": 12,
                                        "unused_prior_months": 0,
                                        "entitled_months": 12,
                                        "registered_on": "2026-02-03",
                                        "wage_class": 1,
                                        "wage_class_source": "identity_number",
                                        "county_code": "411002",
                                        "min_wage_from": "2022-01",
                                        "min_wage_fen": 200000,
                                        "subsistence_fen": 70000,
                                        "percent_bp": 9000,
                                        "monthly_fen": 180000,
                                        "first_period": "2026-02",
                                        "last_period": "2027-01"
                                    },
                                    "amount_fen": 180000,
                                    "monthly": true,
                                    "start_period": "2026-02-01",
                                    "end_period": "2027-01-01",
                                    "channel": "bank",
                                    "bank_name": "中国农业银行许昌分行",
                                    "account_no": "6228480000000000017",
                                    "post_address": null,
                                    "proposed_by": 31,
                                    "proposed_by_name": "李经办",
                                    "proposed_at": "2026-02-03T01:02:03.000001Z",
                                    "decided_by": null,
                                    "decided_by_name": null,
                                    "decided_at": null,
                                    "decision_note": null,
                                    "office_name": "许昌市社会保险中心",
                                    "injury_case_id": null,
                                    "payer": "fund"
                                }
                            }
                        }
                    }
                }
            },
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "409": {
                "description": "Conflict with existing data. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "open_claim": {
                                "summary": "A claim of this kind is already proposed or approved (benefit.open_claim)",
                                "value": {
                                    "error": {
                                        "code": "benefit.open_claim",
                                        "message": "该人员已有一笔同类待遇正在审核或发放中，不能重复申请",
                                        "fields": [
                                            {
                                                "field": "kind",
                                                "code": "benefit.open_claim",
                                                "label": "待遇类型",
                                                "message": "该人员已有一笔同类待遇正在审核或发放中，不能重复申请"
                                            }
                                        ]
                                    }
                                }
                            },
                            "suspended": {
                                "summary": "The city is suspended: read only (tenant.suspended)",
                                "value": {
                                    "error": {
                                        "code": "tenant.suspended",
                                        "message": "本市已暂停使用，当前只能查询，不能办理业务",
                                        "fields": [
                                            {
                                                "field": "tenant",
                                                "code": "tenant.suspended",
                                                "label": "所属地市",
                                                "message": "本市已暂停使用，当前只能查询，不能办理业务"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "422": {
                "description": "Validation failed (code `validation`). Every field problem is listed at once in `fields`; when there is exactly one, `message` repeats it, otherwise `message` is the general summary.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "not_involuntary": {
                                "summary": "Voluntary job loss (unemployment.not_involuntary)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "只有非因本人意愿中断就业的，才能领取失业保险金",
                                        "fields": [
                                            {
                                                "field": "involuntary",
                                                "code": "unemployment.not_involuntary",
                                                "label": "非本人意愿中断就业",
                                                "message": "只有非因本人意愿中断就业的，才能领取失业保险金"
                                            }
                                        ]
                                    }
                                }
                            },
                            "still_employed": {
                                "summary": "An employment is still open (unemployment.still_employed)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "该人员在离职日期之后仍有未结束的就业记录，请先办理离职，或核对离职日期",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "unemployment.still_employed",
                                                "label": "人员",
                                                "message": "该人员在离职日期之后仍有未结束的就业记录，请先办理离职，或核对离职日期"
                                            }
                                        ]
                                    }
                                }
                            },
                            "too_short": {
                                "summary": "Under 12 months contributed (unemployment.contribution_too_short)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "失业保险累计缴费不满 12 个月，不能领取失业保险金",
                                        "fields": [
                                            {
                                                "field": "contributed_months",
                                                "code": "unemployment.contribution_too_short",
                                                "label": "失业保险缴费月数",
                                                "message": "失业保险累计缴费不满 12 个月，不能领取失业保险金"
                                            }
                                        ]
                                    }
                                }
                            },
                            "not_registered": {
                                "summary": "No open unemployment registration (unemployment.not_registered)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "此人尚未办理失业登记（登记失业并求职是领取失业保险金的条件）",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "unemployment.not_registered",
                                                "label": "人员",
                                                "message": "此人尚未办理失业登记（登记失业并求职是领取失业保险金的条件）"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError"),
            "415": r("responses/UnsupportedMediaType")
        }
    })
}

fn propose_maternity_allowance(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "proposeMaternityAllowance",
        "summary": "Propose a maternity allowance (生育津贴申请)",
        "description": "Computes the maternity allowance of a woman (`maternity.gender`) and proposes it. Wage: the `employer_avg_wage` given, else the employer's average regular medical-insurance assessment base of the previous calendar year (`maternity.avg_wage_required` when there is none). Leave: birth 98 days, +15 for a difficult birth, +15 for each additional baby; miscarriage 15 days (before 4 months) or 42 days; the city's extra days (births only) count as paid days only where the city's fund pays them. Allowance = wage × paid days ÷ 30, half-up. Due once, in the month of the event.\n\nThe proposal is saved with status `proposed`, audited (`benefit.propose`) and put on the person's timeline (`benefit_proposed`); a reviewer other than the proposer decides it (`/benefits/claims/{id}/approve` or `/reject`). One claim of a kind per person may be proposed or approved at a time (409 `benefit.open_claim`). The city's benefit parameters must have been synced (`benefit.no_parameters`). Formulas, sources and interpretations: `docs/benefits.md`.\n\n**Permission:** `benefit.propose` (roles: clerk).",
        "parameters": [
            {
                "name": "preview",
                "in": "query",
                "required": false,
                "description": "`true` to compute without saving: 200 with `{preview: true, claim}`; nothing is written or audited.",
                "schema": {
                    "type": "boolean",
                    "default": false
                }
            },
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<jinbao_app::benefits::maternity::MaternityInputForm>()
                }
            }
        },
        "responses": {
            "200": {
                "description": "Preview (`?preview=true`): what would be saved.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::benefits::ClaimPreview>(),
                        "examples": {
                            "preview": {
                                "summary": "Preview",
                                "value": {
                                    "preview": true,
                                    "claim": {
                                        "person_id": 3072,
                                        "kind": "maternity",
                                        "inputs": {
                                            "employer_id": 77,
                                            "case": {
                                                "kind": "birth",
                                                "babies": 1,
                                                "difficult": false
                                            },
                                            "event_date": "2026-09-12",
                                            "benefit_rule_version": 1
                                        },
                                        "calculation": {
                                            "employer_avg_wage_fen": 600000,
                                            "wage_source": "entered",
                                            "leave": {
                                                "statutory": 98,
                                                "extra": 90,
                                                "total": 188,
                                                "paid": 98
                                            },
                                            "tenant_extra_days": 90,
                                            "fund_pays_extra": false,
                                            "amount_fen": 1960000
                                        },
                                        "amount_fen": 1960000,
                                        "monthly": false,
                                        "start_period": "2026-09-01",
                                        "end_period": null,
                                        "channel": "post",
                                        "bank_name": null,
                                        "account_no": null,
                                        "post_address": "许昌市建安区椹涧乡邮政所",
                                        "injury_case_id": null,
                                        "payer": "fund"
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "201": {
                "description": "Proposed.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::benefits::Claim>(),
                        "examples": {
                            "proposed": {
                                "summary": "Proposed, awaiting review",
                                "value": {
                                    "id": 503,
                                    "person_id": 3072,
                                    "person_name": "钱生育",
                                    "kind": "maternity",
                                    "status": "proposed",
                                    "inputs": {
                                        "employer_id": 77,
                                        "case": {
                                            "kind": "birth",
                                            "babies": 1,
                                            "difficult": false
                                        },
                                        "event_date": "2026-09-12",
                                        "benefit_rule_version": 1
                                    },
                                    "calculation": {
                                        "employer_avg_wage_fen": 600000,
                                        "wage_source": "entered",
                                        "leave": {
                                            "statutory": 98,
                                            "extra": 90,
                                            "total": 188,
                                            "paid": 98
                                        },
                                        "tenant_extra_days": 90,
                                        "fund_pays_extra": false,
                                        "amount_fen": 1960000
                                    },
                                    "amount_fen": 1960000,
                                    "monthly": false,
                                    "start_period": "2026-09-01",
                                    "end_period": null,
                                    "channel": "post",
                                    "bank_name": null,
                                    "account_no": null,
                                    "post_address": "许昌市建安区椹涧乡邮政所",
                                    "proposed_by": 31,
                                    "proposed_by_name": "李经办",
                                    "proposed_at": "2026-09-20T03:04:05.000001Z",
                                    "decided_by": null,
                                    "decided_by_name": null,
                                    "decided_at": null,
                                    "decision_note": null,
                                    "office_name": "许昌市社会保险中心",
                                    "injury_case_id": null,
                                    "payer": "fund"
                                }
                            }
                        }
                    }
                }
            },
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "409": {
                "description": "Conflict with existing data. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "open_claim": {
                                "summary": "A claim of this kind is already proposed or approved (benefit.open_claim)",
                                "value": {
                                    "error": {
                                        "code": "benefit.open_claim",
                                        "message": "该人员已有一笔同类待遇正在审核或发放中，不能重复申请",
                                        "fields": [
                                            {
                                                "field": "kind",
                                                "code": "benefit.open_claim",
                                                "label": "待遇类型",
                                                "message": "该人员已有一笔同类待遇正在审核或发放中，不能重复申请"
                                            }
                                        ]
                                    }
                                }
                            },
                            "suspended": {
                                "summary": "The city is suspended: read only (tenant.suspended)",
                                "value": {
                                    "error": {
                                        "code": "tenant.suspended",
                                        "message": "本市已暂停使用，当前只能查询，不能办理业务",
                                        "fields": [
                                            {
                                                "field": "tenant",
                                                "code": "tenant.suspended",
                                                "label": "所属地市",
                                                "message": "本市已暂停使用，当前只能查询，不能办理业务"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "422": {
                "description": "Validation failed (code `validation`). Every field problem is listed at once in `fields`; when there is exactly one, `message` repeats it, otherwise `message` is the general summary.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "gender": {
                                "summary": "Not a woman (maternity.gender)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "生育津贴只能由女性参保人员申领，请核对人员",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "maternity.gender",
                                                "label": "人员",
                                                "message": "生育津贴只能由女性参保人员申领，请核对人员"
                                            }
                                        ]
                                    }
                                }
                            },
                            "wage": {
                                "summary": "No wage given and no assessed bases of the employer for the previous year (maternity.avg_wage_required)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "系统中没有该单位上一年度的缴费基数记录，无法自动计算，请填写单位上年度职工月平均工资",
                                        "fields": [
                                            {
                                                "field": "employer_avg_wage",
                                                "code": "maternity.avg_wage_required",
                                                "label": "单位上年度职工月平均工资",
                                                "message": "系统中没有该单位上一年度的缴费基数记录，无法自动计算，请填写单位上年度职工月平均工资"
                                            }
                                        ]
                                    }
                                }
                            },
                            "employer": {
                                "summary": "Unknown employer (employer.unknown)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "本市没有找到该用人单位，请核对后重新选择",
                                        "fields": [
                                            {
                                                "field": "employer_id",
                                                "code": "employer.unknown",
                                                "label": "用人单位",
                                                "message": "本市没有找到该用人单位，请核对后重新选择"
                                            }
                                        ]
                                    }
                                }
                            },
                            "case": {
                                "summary": "Unknown case (maternity.case)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "生育情形只能是生育或流产",
                                        "fields": [
                                            {
                                                "field": "case",
                                                "code": "maternity.case",
                                                "label": "生育情形",
                                                "message": "生育情形只能是生育或流产"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError"),
            "415": r("responses/UnsupportedMediaType")
        }
    })
}

fn list_claims(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "listClaims",
        "summary": "List benefit claims (待遇申请查询)",
        "description": "Claims of the caller's city, newest first, optionally of one status and/or one person. The review queue is `?status=proposed`.\n\n**Permission:** `benefit.propose`, `benefit.approve` or `person.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            {
                "name": "status",
                "in": "query",
                "required": false,
                "description": "Only this status (`benefit.status` otherwise); empty means all.",
                "schema": d.input::<jinbao_store::kinds::ClaimStatus>()
            },
            {
                "name": "person_id",
                "in": "query",
                "required": false,
                "description": "Only this person's claims.",
                "schema": {
                    "type": "integer",
                    "format": "int64"
                }
            },
            r("parameters/Page"),
            r("parameters/PerPage"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "One page of claims.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::Page<jinbao_store::repo::benefits::Claim>>(),
                        "examples": {
                            "queue": {
                                "summary": "The review queue",
                                "value": {
                                    "items": [
                                        {
                                            "id": 501,
                                            "person_id": 1024,
                                            "person_name": "王退休",
                                            "kind": "pension",
                                            "status": "proposed",
                                            "inputs": {
                                                "category": "male",
                                                "deemed_months": 180,
                                                "birth_date": "1964-06-15",
                                                "benefit_rule_version": 1
                                            },
                                            "calculation": {
                                                "retirement": {
                                                    "original_period": "2024-06",
                                                    "delay_months": 0,
                                                    "period": "2024-06",
                                                    "age_years": 60,
                                                    "age_months": 0
                                                },
                                                "months": {
                                                    "actual": 30,
                                                    "deemed": 180,
                                                    "total": 210,
                                                    "minimum": 180
                                                },
                                                "years": [
                                                    {
                                                        "year": 2022,
                                                        "months": 12,
                                                        "avg_base_fen": 640100,
                                                        "avg_wage_fen": 640100,
                                                        "index_bp": 10000,
                                                        "account_credit_fen": 614496
                                                    },
                                                    {
                                                        "year": 2023,
                                                        "months": 12,
                                                        "avg_base_fen": 660600,
                                                        "avg_wage_fen": 660600,
                                                        "index_bp": 10000,
                                                        "account_credit_fen": 634176
                                                    },
                                                    {
                                                        "year": 2024,
                                                        "months": 6,
                                                        "avg_base_fen": 673800,
                                                        "avg_wage_fen": 673800,
                                                        "index_bp": 10000,
                                                        "account_credit_fen": 323424
                                                    }
                                                ],
                                                "account": {
                                                    "rates": [
                                                        {
                                                            "year": 2022,
                                                            "rate_bp": 612
                                                        },
                                                        {
                                                            "year": 2023,
                                                            "rate_bp": 397
                                                        },
                                                        {
                                                            "year": 2024,
                                                            "rate_bp": 262
                                                        }
                                                    ],
                                                    "provisional_rate_years": [],
                                                    "balance_fen": 1629845
                                                },
                                                "payout_base": {
                                                    "year": 2024,
                                                    "fen": 660600
                                                },
                                                "transitional_coefficient_bp": 130,
                                                "result": {
                                                    "average_index_bp": 10000,
                                                    "contribution_months": 210,
                                                    "deemed_months": 180,
                                                    "divisor_months": 139,
                                                    "basic": 115605,
                                                    "account": 11726,
                                                    "transitional": 128817,
                                                    "total": 256148
                                                }
                                            },
                                            "amount_fen": 256148,
                                            "monthly": true,
                                            "start_period": "2024-07-01",
                                            "end_period": null,
                                            "channel": "bank",
                                            "bank_name": "中国工商银行许昌分行",
                                            "account_no": "6222020200001234567",
                                            "post_address": null,
                                            "proposed_by": 31,
                                            "proposed_by_name": "李经办",
                                            "proposed_at": "2026-11-20T02:15:09.120331Z",
                                            "decided_by": null,
                                            "decided_by_name": null,
                                            "decided_at": null,
                                            "decision_note": null,
                                            "office_name": "许昌市社会保险中心",
                                            "injury_case_id": null,
                                            "payer": "fund"
                                        }
                                    ],
                                    "page": 1,
                                    "per_page": 20,
                                    "has_more": false
                                }
                            }
                        }
                    }
                }
            },
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "422": {
                "description": "Validation failed (code `validation`). Every field problem is listed at once in `fields`; when there is exactly one, `message` repeats it, otherwise `message` is the general summary.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "status": {
                                "summary": "Unknown status (benefit.status)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "状态只能是待审核、已批准、已驳回或已停发",
                                        "fields": [
                                            {
                                                "field": "status",
                                                "code": "benefit.status",
                                                "label": "状态",
                                                "message": "状态只能是待审核、已批准、已驳回或已停发"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError")
        }
    })
}

fn get_claim(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "getClaim",
        "summary": "One benefit claim with its calculation (待遇申请详情)",
        "description": "The claim with its inputs, every figure of the calculation, the payment channel (account number in full), and who proposed and decided it. 404 for an unknown id or another city's claim.\n\n**Permission:** `benefit.propose`, `benefit.approve` or `person.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The claim.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::benefits::Claim>(),
                        "examples": {
                            "pension": {
                                "summary": "An approved pension",
                                "value": {
                                    "id": 501,
                                    "person_id": 1024,
                                    "person_name": "王退休",
                                    "kind": "pension",
                                    "status": "approved",
                                    "inputs": {
                                        "category": "male",
                                        "deemed_months": 180,
                                        "birth_date": "1964-06-15",
                                        "benefit_rule_version": 1
                                    },
                                    "calculation": {
                                        "retirement": {
                                            "original_period": "2024-06",
                                            "delay_months": 0,
                                            "period": "2024-06",
                                            "age_years": 60,
                                            "age_months": 0
                                        },
                                        "months": {
                                            "actual": 30,
                                            "deemed": 180,
                                            "total": 210,
                                            "minimum": 180
                                        },
                                        "years": [
                                            {
                                                "year": 2022,
                                                "months": 12,
                                                "avg_base_fen": 640100,
                                                "avg_wage_fen": 640100,
                                                "index_bp": 10000,
                                                "account_credit_fen": 614496
                                            },
                                            {
                                                "year": 2023,
                                                "months": 12,
                                                "avg_base_fen": 660600,
                                                "avg_wage_fen": 660600,
                                                "index_bp": 10000,
                                                "account_credit_fen": 634176
                                            },
                                            {
                                                "year": 2024,
                                                "months": 6,
                                                "avg_base_fen": 673800,
                                                "avg_wage_fen": 673800,
                                                "index_bp": 10000,
                                                "account_credit_fen": 323424
                                            }
                                        ],
                                        "account": {
                                            "rates": [
                                                {
                                                    "year": 2022,
                                                    "rate_bp": 612
                                                },
                                                {
                                                    "year": 2023,
                                                    "rate_bp": 397
                                                },
                                                {
                                                    "year": 2024,
                                                    "rate_bp": 262
                                                }
                                            ],
                                            "provisional_rate_years": [],
                                            "balance_fen": 1629845
                                        },
                                        "payout_base": {
                                            "year": 2024,
                                            "fen": 660600
                                        },
                                        "transitional_coefficient_bp": 130,
                                        "result": {
                                            "average_index_bp": 10000,
                                            "contribution_months": 210,
                                            "deemed_months": 180,
                                            "divisor_months": 139,
                                            "basic": 115605,
                                            "account": 11726,
                                            "transitional": 128817,
                                            "total": 256148
                                        }
                                    },
                                    "amount_fen": 256148,
                                    "monthly": true,
                                    "start_period": "2024-07-01",
                                    "end_period": null,
                                    "channel": "bank",
                                    "bank_name": "中国工商银行许昌分行",
                                    "account_no": "6222020200001234567",
                                    "post_address": null,
                                    "proposed_by": 31,
                                    "proposed_by_name": "李经办",
                                    "proposed_at": "2026-11-20T02:15:09.120331Z",
                                    "decided_by": 32,
                                    "decided_by_name": "张审核",
                                    "decided_at": "2026-11-21T06:40:12.511201Z",
                                    "decision_note": "材料齐全",
                                    "office_name": "许昌市社会保险中心",
                                    "injury_case_id": null,
                                    "payer": "fund"
                                }
                            },
                            "unemployment": {
                                "summary": "An unemployment benefit",
                                "value": {
                                    "id": 502,
                                    "person_id": 2048,
                                    "person_name": "赵失业",
                                    "kind": "unemployment",
                                    "status": "proposed",
                                    "inputs": {
                                        "involuntary": true,
                                        "separated_on": "2026-01-31",
                                        "registration_id": 31,
                                        "benefit_rule_version": 1
                                    },
                                    "calculation": {
                                        "contributed_months_total": 36,
                                        "previous_claim_id": null,
                                        "restart_after": null,
                                        "contributed_months": 36,
                                        "entitled_months_new": 12,
                                        "unused_prior_months": 0,
                                        "entitled_months": 12,
                                        "registered_on": "2026-02-03",
                                        "wage_class": 1,
                                        "wage_class_source": "identity_number",
                                        "county_code": "411002",
                                        "min_wage_from": "2022-01",
                                        "min_wage_fen": 200000,
                                        "subsistence_fen": 70000,
                                        "percent_bp": 9000,
                                        "monthly_fen": 180000,
                                        "first_period": "2026-02",
                                        "last_period": "2027-01"
                                    },
                                    "amount_fen": 180000,
                                    "monthly": true,
                                    "start_period": "2026-02-01",
                                    "end_period": "2027-01-01",
                                    "channel": "bank",
                                    "bank_name": "中国农业银行许昌分行",
                                    "account_no": "6228480000000000017",
                                    "post_address": null,
                                    "proposed_by": 31,
                                    "proposed_by_name": "李经办",
                                    "proposed_at": "2026-02-03T01:02:03.000001Z",
                                    "decided_by": null,
                                    "decided_by_name": null,
                                    "decided_at": null,
                                    "decision_note": null,
                                    "office_name": "许昌市社会保险中心",
                                    "injury_case_id": null,
                                    "payer": "fund"
                                }
                            },
                            "maternity": {
                                "summary": "A maternity allowance paid by post",
                                "value": {
                                    "id": 503,
                                    "person_id": 3072,
                                    "person_name": "钱生育",
                                    "kind": "maternity",
                                    "status": "proposed",
                                    "inputs": {
                                        "employer_id": 77,
                                        "case": {
                                            "kind": "birth",
                                            "babies": 1,
                                            "difficult": false
                                        },
                                        "event_date": "2026-09-12",
                                        "benefit_rule_version": 1
                                    },
                                    "calculation": {
                                        "employer_avg_wage_fen": 600000,
                                        "wage_source": "entered",
                                        "leave": {
                                            "statutory": 98,
                                            "extra": 90,
                                            "total": 188,
                                            "paid": 98
                                        },
                                        "tenant_extra_days": 90,
                                        "fund_pays_extra": false,
                                        "amount_fen": 1960000
                                    },
                                    "amount_fen": 1960000,
                                    "monthly": false,
                                    "start_period": "2026-09-01",
                                    "end_period": null,
                                    "channel": "post",
                                    "bank_name": null,
                                    "account_no": null,
                                    "post_address": "许昌市建安区椹涧乡邮政所",
                                    "proposed_by": 31,
                                    "proposed_by_name": "李经办",
                                    "proposed_at": "2026-09-20T03:04:05.000001Z",
                                    "decided_by": null,
                                    "decided_by_name": null,
                                    "decided_at": null,
                                    "decision_note": null,
                                    "office_name": "许昌市社会保险中心",
                                    "injury_case_id": null,
                                    "payer": "fund"
                                }
                            }
                        }
                    }
                }
            },
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError")
        }
    })
}

fn approve_claim(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "approveClaim",
        "summary": "Approve a benefit claim (审核通过)",
        "description": "Approves a proposed claim: it becomes due and is paid in the monthly batches. The deciding user must not be the proposer: 422 `benefit.same_person` on `decided_by` (the table refuses it too, `CHECK (decided_by <> proposed_by)`). Only a `proposed` claim can be decided: 409 `benefit.already_decided` otherwise (the claim is locked while deciding, so of two reviewers deciding at once one gets 409). Records `decided_by`, `decided_at`, `decision_note`; audited (`benefit.approve` / `benefit.reject`, the note as reason) and on the person's timeline (`benefit_approved` / `benefit_rejected`). The body is optional (a note of at most 500 characters).\n\n**Permission:** `benefit.approve` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": false,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::benefits::DecisionInput>(),
                    "examples": {
                        "note": {
                            "summary": "With a note",
                            "value": {
                                "note": "材料齐全"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Decided: the claim after the decision.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::benefits::Claim>(),
                        "examples": {
                            "approved": {
                                "summary": "Approved",
                                "value": {
                                    "id": 501,
                                    "person_id": 1024,
                                    "person_name": "王退休",
                                    "kind": "pension",
                                    "status": "approved",
                                    "inputs": {
                                        "category": "male",
                                        "deemed_months": 180,
                                        "birth_date": "1964-06-15",
                                        "benefit_rule_version": 1
                                    },
                                    "calculation": {
                                        "retirement": {
                                            "original_period": "2024-06",
                                            "delay_months": 0,
                                            "period": "2024-06",
                                            "age_years": 60,
                                            "age_months": 0
                                        },
                                        "months": {
                                            "actual": 30,
                                            "deemed": 180,
                                            "total": 210,
                                            "minimum": 180
                                        },
                                        "years": [
                                            {
                                                "year": 2022,
                                                "months": 12,
                                                "avg_base_fen": 640100,
                                                "avg_wage_fen": 640100,
                                                "index_bp": 10000,
                                                "account_credit_fen": 614496
                                            },
                                            {
                                                "year": 2023,
                                                "months": 12,
                                                "avg_base_fen": 660600,
                                                "avg_wage_fen": 660600,
                                                "index_bp": 10000,
                                                "account_credit_fen": 634176
                                            },
                                            {
                                                "year": 2024,
                                                "months": 6,
                                                "avg_base_fen": 673800,
                                                "avg_wage_fen": 673800,
                                                "index_bp": 10000,
                                                "account_credit_fen": 323424
                                            }
                                        ],
                                        "account": {
                                            "rates": [
                                                {
                                                    "year": 2022,
                                                    "rate_bp": 612
                                                },
                                                {
                                                    "year": 2023,
                                                    "rate_bp": 397
                                                },
                                                {
                                                    "year": 2024,
                                                    "rate_bp": 262
                                                }
                                            ],
                                            "provisional_rate_years": [],
                                            "balance_fen": 1629845
                                        },
                                        "payout_base": {
                                            "year": 2024,
                                            "fen": 660600
                                        },
                                        "transitional_coefficient_bp": 130,
                                        "result": {
                                            "average_index_bp": 10000,
                                            "contribution_months": 210,
                                            "deemed_months": 180,
                                            "divisor_months": 139,
                                            "basic": 115605,
                                            "account": 11726,
                                            "transitional": 128817,
                                            "total": 256148
                                        }
                                    },
                                    "amount_fen": 256148,
                                    "monthly": true,
                                    "start_period": "2024-07-01",
                                    "end_period": null,
                                    "channel": "bank",
                                    "bank_name": "中国工商银行许昌分行",
                                    "account_no": "6222020200001234567",
                                    "post_address": null,
                                    "proposed_by": 31,
                                    "proposed_by_name": "李经办",
                                    "proposed_at": "2026-11-20T02:15:09.120331Z",
                                    "decided_by": 32,
                                    "decided_by_name": "张审核",
                                    "decided_at": "2026-11-21T06:40:12.511201Z",
                                    "decision_note": "材料齐全",
                                    "office_name": "许昌市社会保险中心",
                                    "injury_case_id": null,
                                    "payer": "fund"
                                }
                            }
                        }
                    }
                }
            },
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "409": {
                "description": "Conflict with existing data. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "already_decided": {
                                "summary": "Already approved, rejected or stopped (benefit.already_decided)",
                                "value": {
                                    "error": {
                                        "code": "benefit.already_decided",
                                        "message": "该待遇申请已经审核过（已批准、已驳回或已停发），不能再次审核",
                                        "fields": [
                                            {
                                                "field": "status",
                                                "code": "benefit.already_decided",
                                                "label": "状态",
                                                "message": "该待遇申请已经审核过（已批准、已驳回或已停发），不能再次审核"
                                            }
                                        ]
                                    }
                                }
                            },
                            "suspended": {
                                "summary": "The city is suspended: read only (tenant.suspended)",
                                "value": {
                                    "error": {
                                        "code": "tenant.suspended",
                                        "message": "本市已暂停使用，当前只能查询，不能办理业务",
                                        "fields": [
                                            {
                                                "field": "tenant",
                                                "code": "tenant.suspended",
                                                "label": "所属地市",
                                                "message": "本市已暂停使用，当前只能查询，不能办理业务"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "422": {
                "description": "Validation failed (code `validation`). Every field problem is listed at once in `fields`; when there is exactly one, `message` repeats it, otherwise `message` is the general summary.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "same_person": {
                                "summary": "The proposer tries to decide (benefit.same_person)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "您提交的申请须由另一位审核员审核，本人不能审批",
                                        "fields": [
                                            {
                                                "field": "decided_by",
                                                "code": "benefit.same_person",
                                                "label": "审核人",
                                                "message": "您提交的申请须由另一位审核员审核，本人不能审批"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError"),
            "415": r("responses/UnsupportedMediaType")
        }
    })
}

fn reject_claim(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "rejectClaim",
        "summary": "Reject a benefit claim (驳回)",
        "description": "Rejects a proposed claim with a note (required); nothing is paid and the person may be proposed again. The deciding user must not be the proposer: 422 `benefit.same_person` on `decided_by` (the table refuses it too, `CHECK (decided_by <> proposed_by)`). Only a `proposed` claim can be decided: 409 `benefit.already_decided` otherwise (the claim is locked while deciding, so of two reviewers deciding at once one gets 409). Records `decided_by`, `decided_at`, `decision_note`; audited (`benefit.approve` / `benefit.reject`, the note as reason) and on the person's timeline (`benefit_approved` / `benefit_rejected`). The body is optional, but without a note the rejection is refused (`required`).\n\n**Permission:** `benefit.approve` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": false,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::benefits::DecisionInput>(),
                    "examples": {
                        "note": {
                            "summary": "With a note",
                            "value": {
                                "note": "视同缴费年限证明材料不全，请补充档案后重新申请"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Decided: the claim after the decision.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::benefits::Claim>()
                    }
                }
            },
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "409": {
                "description": "Conflict with existing data. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "already_decided": {
                                "summary": "Already approved, rejected or stopped (benefit.already_decided)",
                                "value": {
                                    "error": {
                                        "code": "benefit.already_decided",
                                        "message": "该待遇申请已经审核过（已批准、已驳回或已停发），不能再次审核",
                                        "fields": [
                                            {
                                                "field": "status",
                                                "code": "benefit.already_decided",
                                                "label": "状态",
                                                "message": "该待遇申请已经审核过（已批准、已驳回或已停发），不能再次审核"
                                            }
                                        ]
                                    }
                                }
                            },
                            "suspended": {
                                "summary": "The city is suspended: read only (tenant.suspended)",
                                "value": {
                                    "error": {
                                        "code": "tenant.suspended",
                                        "message": "本市已暂停使用，当前只能查询，不能办理业务",
                                        "fields": [
                                            {
                                                "field": "tenant",
                                                "code": "tenant.suspended",
                                                "label": "所属地市",
                                                "message": "本市已暂停使用，当前只能查询，不能办理业务"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "422": {
                "description": "Validation failed (code `validation`). Every field problem is listed at once in `fields`; when there is exactly one, `message` repeats it, otherwise `message` is the general summary.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "same_person": {
                                "summary": "The proposer tries to decide (benefit.same_person)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "您提交的申请须由另一位审核员审核，本人不能审批",
                                        "fields": [
                                            {
                                                "field": "decided_by",
                                                "code": "benefit.same_person",
                                                "label": "审核人",
                                                "message": "您提交的申请须由另一位审核员审核，本人不能审批"
                                            }
                                        ]
                                    }
                                }
                            },
                            "note": {
                                "summary": "Rejection without a note (required)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "此项为必填项",
                                        "fields": [
                                            {
                                                "field": "note",
                                                "code": "required",
                                                "label": "审核意见",
                                                "message": "此项为必填项"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError"),
            "415": r("responses/UnsupportedMediaType")
        }
    })
}

fn stop_claim(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "stopClaim",
        "summary": "Stop a running monthly benefit (停发)",
        "description": "Stops an approved monthly benefit after `last_period` (death, transfer out, …). The claim becomes `stopped`; its `end_period` becomes the earlier of its current end and `last_period`, but not earlier than the month before its first month (then nothing is due). Months up to the end that were not paid yet are still paid; months already paid after it are not reclaimed. Only an approved monthly claim can be stopped: 409 `benefit.not_running` for a proposed, rejected or stopped claim or a one-off (maternity) claim. No second person is needed. Audited (`benefit.stop`, the reason as reason) and on the timeline (`benefit_stopped`, dated `last_period`). Hiring the person again stops their running unemployment benefit by itself (reason `re_employed`, last month = the month before the hire month).\n\n**Permission:** `benefit.approve` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::benefits::StopInput>(),
                    "examples": {
                        "death": {
                            "summary": "Death in December",
                            "value": {
                                "last_period": "2026-12",
                                "reason": "本人死亡"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Stopped: the claim after the stop.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::benefits::Claim>(),
                        "examples": {
                            "stopped": {
                                "summary": "Stopped after 2026-12",
                                "value": {
                                    "id": 501,
                                    "person_id": 1024,
                                    "person_name": "王退休",
                                    "kind": "pension",
                                    "status": "stopped",
                                    "inputs": {
                                        "category": "male",
                                        "deemed_months": 180,
                                        "birth_date": "1964-06-15",
                                        "benefit_rule_version": 1
                                    },
                                    "calculation": {
                                        "retirement": {
                                            "original_period": "2024-06",
                                            "delay_months": 0,
                                            "period": "2024-06",
                                            "age_years": 60,
                                            "age_months": 0
                                        },
                                        "months": {
                                            "actual": 30,
                                            "deemed": 180,
                                            "total": 210,
                                            "minimum": 180
                                        },
                                        "years": [
                                            {
                                                "year": 2022,
                                                "months": 12,
                                                "avg_base_fen": 640100,
                                                "avg_wage_fen": 640100,
                                                "index_bp": 10000,
                                                "account_credit_fen": 614496
                                            },
                                            {
                                                "year": 2023,
                                                "months": 12,
                                                "avg_base_fen": 660600,
                                                "avg_wage_fen": 660600,
                                                "index_bp": 10000,
                                                "account_credit_fen": 634176
                                            },
                                            {
                                                "year": 2024,
                                                "months": 6,
                                                "avg_base_fen": 673800,
                                                "avg_wage_fen": 673800,
                                                "index_bp": 10000,
                                                "account_credit_fen": 323424
                                            }
                                        ],
                                        "account": {
                                            "rates": [
                                                {
                                                    "year": 2022,
                                                    "rate_bp": 612
                                                },
                                                {
                                                    "year": 2023,
                                                    "rate_bp": 397
                                                },
                                                {
                                                    "year": 2024,
                                                    "rate_bp": 262
                                                }
                                            ],
                                            "provisional_rate_years": [],
                                            "balance_fen": 1629845
                                        },
                                        "payout_base": {
                                            "year": 2024,
                                            "fen": 660600
                                        },
                                        "transitional_coefficient_bp": 130,
                                        "result": {
                                            "average_index_bp": 10000,
                                            "contribution_months": 210,
                                            "deemed_months": 180,
                                            "divisor_months": 139,
                                            "basic": 115605,
                                            "account": 11726,
                                            "transitional": 128817,
                                            "total": 256148
                                        }
                                    },
                                    "amount_fen": 256148,
                                    "monthly": true,
                                    "start_period": "2024-07-01",
                                    "end_period": "2026-12-01",
                                    "channel": "bank",
                                    "bank_name": "中国工商银行许昌分行",
                                    "account_no": "6222020200001234567",
                                    "post_address": null,
                                    "proposed_by": 31,
                                    "proposed_by_name": "李经办",
                                    "proposed_at": "2026-11-20T02:15:09.120331Z",
                                    "decided_by": 32,
                                    "decided_by_name": "张审核",
                                    "decided_at": "2026-11-21T06:40:12.511201Z",
                                    "decision_note": "材料齐全",
                                    "office_name": "许昌市社会保险中心",
                                    "injury_case_id": null,
                                    "payer": "fund"
                                }
                            }
                        }
                    }
                }
            },
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "409": {
                "description": "Conflict with existing data. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "not_running": {
                                "summary": "Not an approved monthly benefit (benefit.not_running)",
                                "value": {
                                    "error": {
                                        "code": "benefit.not_running",
                                        "message": "只有已批准且按月发放的待遇才能停发：该待遇尚未批准、已经停发，或是一次性发放的待遇",
                                        "fields": [
                                            {
                                                "field": "status",
                                                "code": "benefit.not_running",
                                                "label": "状态",
                                                "message": "只有已批准且按月发放的待遇才能停发：该待遇尚未批准、已经停发，或是一次性发放的待遇"
                                            }
                                        ]
                                    }
                                }
                            },
                            "suspended": {
                                "summary": "The city is suspended: read only (tenant.suspended)",
                                "value": {
                                    "error": {
                                        "code": "tenant.suspended",
                                        "message": "本市已暂停使用，当前只能查询，不能办理业务",
                                        "fields": [
                                            {
                                                "field": "tenant",
                                                "code": "tenant.suspended",
                                                "label": "所属地市",
                                                "message": "本市已暂停使用，当前只能查询，不能办理业务"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "422": {
                "description": "Validation failed (code `validation`). Every field problem is listed at once in `fields`; when there is exactly one, `message` repeats it, otherwise `message` is the general summary.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "missing": {
                                "summary": "Nothing given",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "提交的信息有误，请按提示修改后重新提交。",
                                        "fields": [
                                            {
                                                "field": "last_period",
                                                "code": "required",
                                                "label": "最后发放年月",
                                                "message": "此项为必填项"
                                            },
                                            {
                                                "field": "reason",
                                                "code": "required",
                                                "label": "原因",
                                                "message": "此项为必填项"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError"),
            "415": r("responses/UnsupportedMediaType")
        }
    })
}

fn propose_channel_change(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "proposeChannelChange",
        "summary": "Propose a change of how a claim is paid (发放渠道变更申请)",
        "description": "Proposes the beneficiary's new bank account or postal address with a reason. **Nothing changes until another user approves it** (`POST /api/v1/benefits/channel-changes/{id}/approve`): redirecting a pension must take two people. Only an `approved` or `stopped` claim (409 `channel_change.claim_not_decided`; a proposal under review is rejected and proposed again); one open proposal per claim (409 `channel_change.open`); a proposal equal to the current destination is recorded like any other (answering differently would confirm a guess of a masked number). Payment lines keep the account or address they were generated with, so an approved change applies from the next batch (and to reissues of failed lines generated after it). Audited (`benefit.channel_propose`, old and new destination, the reason). Account numbers in the answer are masked unless the caller has `benefit.reveal_account`.\n\n**Permission:** `benefit.propose` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::benefits::ChannelChangeInput>(),
                    "examples": {
                        "bank": {
                            "summary": "New bank account",
                            "value": {
                                "channel": "bank",
                                "bank_name": "中国农业银行许昌分行",
                                "account_no": "6228480000009999",
                                "reason": "原账户已销户"
                            }
                        },
                        "post": {
                            "summary": "To post-office remittance",
                            "value": {
                                "channel": "post",
                                "post_address": "许昌市建安区椹涧乡邮政所",
                                "reason": "本人要求改为邮政汇款"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "201": {
                "description": "The proposal, waiting for a second person.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::channel_changes::ChannelChange>(),
                        "examples": {
                            "example": {
                                "summary": "The proposal, waiting for a second person.",
                                "value": {
                                    "id": 7,
                                    "claim_id": 501,
                                    "person_id": 1024,
                                    "person_name": "王退休",
                                    "kind": "pension",
                                    "channel": "bank",
                                    "bank_name": "中国农业银行许昌分行",
                                    "account_no": "************9999",
                                    "post_address": null,
                                    "old_channel": "bank",
                                    "old_bank_name": "中国工商银行许昌分行",
                                    "old_account_no": "***************0001",
                                    "old_post_address": null,
                                    "reason": "原账户已销户",
                                    "status": "proposed",
                                    "proposed_by": 12,
                                    "proposed_by_name": "clerk411000",
                                    "proposed_at": "2026-11-20T09:12:00Z",
                                    "decided_by": null,
                                    "decided_by_name": null,
                                    "decided_at": null,
                                    "decision_note": null,
                                    "applied_at": null
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "The claim is not approved or stopped, or a proposal for it is open.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            },
            "415": r("responses/UnsupportedMediaType"),
            "422": {
                "description": "A field problem (`required`, `account_no.format`, `channel.invalid`, `text.too_long`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            }
        }
    })
}

fn list_channel_changes(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "listChannelChanges",
        "summary": "Changes of payment channel (发放渠道变更)",
        "description": "Newest first, at most 200; filter by `status` (`proposed` for the reviewer's queue) and `claim_id`. An unknown status is 422 `channel_change.status`. Account numbers masked unless the caller has `benefit.reveal_account`.\n\n**Permission:** `benefit.propose`, `benefit.approve` or `person.read`.",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn"),
            {
                "name": "status",
                "in": "query",
                "schema": {
                    "type": "string",
                    "enum": [
                        "proposed",
                        "approved",
                        "rejected"
                    ]
                }
            },
            {
                "name": "claim_id",
                "in": "query",
                "schema": {
                    "type": "integer",
                    "format": "int64"
                }
            }
        ],
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "200": {
                "description": "The changes.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::channel_changes::ChannelChange>>(),
                        "examples": {
                            "example": {
                                "summary": "The changes.",
                                "value": {
                                    "items": [
                                        {
                                            "id": 7,
                                            "claim_id": 501,
                                            "person_id": 1024,
                                            "person_name": "王退休",
                                            "kind": "pension",
                                            "channel": "bank",
                                            "bank_name": "中国农业银行许昌分行",
                                            "account_no": "************9999",
                                            "post_address": null,
                                            "old_channel": "bank",
                                            "old_bank_name": "中国工商银行许昌分行",
                                            "old_account_no": "***************0001",
                                            "old_post_address": null,
                                            "reason": "原账户已销户",
                                            "status": "proposed",
                                            "proposed_by": 12,
                                            "proposed_by_name": "clerk411000",
                                            "proposed_at": "2026-11-20T09:12:00Z",
                                            "decided_by": null,
                                            "decided_by_name": null,
                                            "decided_at": null,
                                            "decision_note": null,
                                            "applied_at": null
                                        }
                                    ]
                                }
                            }
                        }
                    }
                }
            },
            "422": {
                "description": "Unknown status.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            }
        }
    })
}

fn get_channel_change(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "getChannelChange",
        "summary": "One change of payment channel",
        "description": "404 for an unknown id or another city's change.\n\n**Permission:** `benefit.propose`, `benefit.approve` or `person.read`.",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "The change.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::channel_changes::ChannelChange>(),
                        "examples": {
                            "example": {
                                "summary": "The change.",
                                "value": {
                                    "id": 7,
                                    "claim_id": 501,
                                    "person_id": 1024,
                                    "person_name": "王退休",
                                    "kind": "pension",
                                    "channel": "bank",
                                    "bank_name": "中国农业银行许昌分行",
                                    "account_no": "************9999",
                                    "post_address": null,
                                    "old_channel": "bank",
                                    "old_bank_name": "中国工商银行许昌分行",
                                    "old_account_no": "***************0001",
                                    "old_post_address": null,
                                    "reason": "原账户已销户",
                                    "status": "proposed",
                                    "proposed_by": 12,
                                    "proposed_by_name": "clerk411000",
                                    "proposed_at": "2026-11-20T09:12:00Z",
                                    "decided_by": null,
                                    "decided_by_name": null,
                                    "decided_at": null,
                                    "decision_note": null,
                                    "applied_at": null
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

fn approve_channel_change(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "approveChannelChange",
        "summary": "Approve a change of payment channel",
        "description": "Approves the proposal and applies it to the claim (the database function `channel_change_apply` is the only writer of a claim's payment columns and refuses anything not approved by a second person). The proposer can never decide (422 `benefit.same_person`, also refused by a table CHECK); deciding twice is 409 `channel_change.already_decided`. Audited with both users and both destinations.\n\n**Permission:** `benefit.approve` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": false,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::benefits::DecisionInput>()
                }
            }
        },
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "The decided change.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::channel_changes::ChannelChange>(),
                        "examples": {
                            "example": {
                                "summary": "The decided change.",
                                "value": {
                                    "id": 7,
                                    "claim_id": 501,
                                    "person_id": 1024,
                                    "person_name": "王退休",
                                    "kind": "pension",
                                    "channel": "bank",
                                    "bank_name": "中国农业银行许昌分行",
                                    "account_no": "************9999",
                                    "post_address": null,
                                    "old_channel": "bank",
                                    "old_bank_name": "中国工商银行许昌分行",
                                    "old_account_no": "***************0001",
                                    "old_post_address": null,
                                    "reason": "原账户已销户",
                                    "status": "approved",
                                    "proposed_by": 12,
                                    "proposed_by_name": "clerk411000",
                                    "proposed_at": "2026-11-20T09:12:00Z",
                                    "decided_by": 15,
                                    "decided_by_name": "reviewer411000",
                                    "decided_at": "2026-11-20T10:02:00Z",
                                    "decision_note": "已核对存折",
                                    "applied_at": "2026-11-20T10:02:00Z"
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "Already decided.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            },
            "415": r("responses/UnsupportedMediaType"),
            "422": {
                "description": "The proposer deciding, or a rejection without a note.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            }
        }
    })
}

fn reject_channel_change(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "rejectChannelChange",
        "summary": "Reject a change of payment channel",
        "description": "Rejects the proposal; a note is required (422 `required`). The proposer can never decide (422 `benefit.same_person`, also refused by a table CHECK); deciding twice is 409 `channel_change.already_decided`. Audited with both users and both destinations.\n\n**Permission:** `benefit.approve` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": false,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::benefits::DecisionInput>()
                }
            }
        },
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "The decided change.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::channel_changes::ChannelChange>(),
                        "examples": {
                            "example": {
                                "summary": "The decided change.",
                                "value": {
                                    "id": 7,
                                    "claim_id": 501,
                                    "person_id": 1024,
                                    "person_name": "王退休",
                                    "kind": "pension",
                                    "channel": "bank",
                                    "bank_name": "中国农业银行许昌分行",
                                    "account_no": "************9999",
                                    "post_address": null,
                                    "old_channel": "bank",
                                    "old_bank_name": "中国工商银行许昌分行",
                                    "old_account_no": "***************0001",
                                    "old_post_address": null,
                                    "reason": "原账户已销户",
                                    "status": "rejected",
                                    "proposed_by": 12,
                                    "proposed_by_name": "clerk411000",
                                    "proposed_at": "2026-11-20T09:12:00Z",
                                    "decided_by": 15,
                                    "decided_by_name": "reviewer411000",
                                    "decided_at": "2026-11-20T10:02:00Z",
                                    "decision_note": "账户户名与本人不符",
                                    "applied_at": null
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "Already decided.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            },
            "415": r("responses/UnsupportedMediaType"),
            "422": {
                "description": "The proposer deciding, or a rejection without a note.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            }
        }
    })
}

fn recalculate_benefits(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "recalculateBenefits",
        "summary": "Recalculate pensions after figures are published (待遇重新核算)",
        "description": "Recomputes every running pension that used a provisional figure (the payout base C of an earlier year than the retirement year, or a provisional crediting rate) from its stored inputs and the person's record; where a figure has been published since, proposes a revision for a reviewer. Nothing changes until a revision is approved. One open revision per claim. See docs/benefits.md, \"Recalculation when a figure is published\".\n\n**Permission:** `benefit.propose` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "200": {
                "description": "What was examined and proposed.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::benefits::recalculation::Outcome>()
                    }
                }
            }
        }
    })
}

fn list_revisions(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "listRevisions",
        "summary": "Revisions of running benefits",
        "description": "Newest first, at most 500; `status` (`proposed` for the reviewer's queue) and `claim_id` filter (422 `revision.status` for an unknown status).\n\n**Permission:** `benefit.propose`, `benefit.approve` or `person.read`.",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn"),
            {
                "name": "status",
                "in": "query",
                "schema": {
                    "type": "string",
                    "enum": [
                        "proposed",
                        "approved",
                        "rejected"
                    ]
                }
            },
            {
                "name": "claim_id",
                "in": "query",
                "schema": {
                    "type": "integer",
                    "format": "int64"
                }
            }
        ],
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "200": {
                "description": "The revisions.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::revisions::Revision>>()
                    }
                }
            },
            "422": {
                "description": "Unknown status.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            }
        }
    })
}

fn approve_revision(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "approveRevision",
        "summary": "Approve a revision",
        "description": "Approves the revision; the database function `claim_revision_apply` changes the claim's amount and records the difference of every month paid or in a batch at another amount (positive: an adjustment line in the next batch; negative: an overpayment to recover). The proposer never decides (422 `benefit.same_person`); deciding twice is 409 `revision.already_decided`. Audited.\n\n**Permission:** `benefit.approve` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": false,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::benefits::DecisionInput>()
                }
            }
        },
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "The decided revision.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::revisions::Revision>()
                    }
                }
            },
            "409": {
                "description": "Already decided.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            },
            "415": r("responses/UnsupportedMediaType"),
            "422": {
                "description": "The proposer deciding, or a rejection without a note.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            }
        }
    })
}

fn reject_revision(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "rejectRevision",
        "summary": "Reject a revision",
        "description": "Rejects the revision; a note is required. The proposer never decides (422 `benefit.same_person`); deciding twice is 409 `revision.already_decided`. Audited.\n\n**Permission:** `benefit.approve` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": false,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::benefits::DecisionInput>()
                }
            }
        },
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "The decided revision.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::revisions::Revision>()
                    }
                }
            },
            "409": {
                "description": "Already decided.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            },
            "415": r("responses/UnsupportedMediaType"),
            "422": {
                "description": "The proposer deciding, or a rejection without a note.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            }
        }
    })
}

fn claim_adjustments(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "benefits"
        ],
        "operationId": "claimAdjustments",
        "summary": "Differences owed or overpaid (补发 / 扣回)",
        "description": "The monthly differences recorded by approved revisions, with their state.\n\n**Permission:** `benefit.propose`, `benefit.approve` or `person.read`.",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "The adjustments.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::revisions::Adjustment>>()
                    }
                }
            }
        }
    })
}

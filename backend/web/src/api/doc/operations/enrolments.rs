//! Operations tagged `enrolments`: Enrolment in the five insurances, stopping, insured lists (参保登记).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = create_enrolment(d);
    d.op("post", "/api/v1/enrolments", op);
    let op = preview_enrolment(d);
    d.op("post", "/api/v1/enrolments/preview", op);
    let op = stop_enrolments(d);
    d.op("post", "/api/v1/enrolments/stop", op);
    let op = list_person_enrolments(d);
    d.op("get", "/api/v1/persons/{id}/enrolments", op);
    let op = list_employer_insured(d);
    d.op("get", "/api/v1/employers/{id}/insured", op);
}

fn create_enrolment(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "enrolments"
        ],
        "operationId": "createEnrolment",
        "summary": "Enrol a person in insurances (参保登记)",
        "description": "Enrols one person at one employer in any set of the five insurances from `start_period`, all or nothing, in one transaction: registers the person first when `person` is given (instead of `person_id`), records the hire when `hire_date` is given or the person is new, records `declared_wage` as the person's declared wage at this employer from `start_period`, creates one enrolment per type and answers with the monthly base and amounts under the rule in force for `start_period`. The base is the declared wage held within the floor and ceiling of the city's reference average wage; the work-injury rate follows the employer's risk class; maternity gives no amounts where it is merged into medical (most cities). Problems found before touching the registry are reported together (422); then unknown person or employer, a start before the employer's registration month, missing rules and types already active are reported together; a missing employment (`enrolment.not_employed`) or a hire date after the start period (`enrolment.hire_after_start`) is reported last. An `enrolled` event (or `resumed`, when every type had been stopped at this employer before) and a `base_declared` event go on the person's timeline; every enrolment is audited. There is no `Location` header.\n\nAccepts `Idempotency-Key` (see the parameter): a retry with the same key and body returns the first response with `Idempotent-Replayed: true`; the same key with another body gets 422 `idempotency.mismatch`.\n\n**Permission:** `enrolment.write` (roles: clerk). Giving `person` (a new person) also needs `person.write` (roles: clerk).",
        "parameters": [
            r("parameters/IdempotencyKey"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::enrolments::EnrolInput>(),
                    "examples": {
                        "existing": {
                            "summary": "A registered person, four insurances from December 2026, 5,000 yuan",
                            "value": {
                                "person_id": 1024,
                                "employer_id": 77,
                                "start_period": "2026-12",
                                "declared_wage": "5000.00",
                                "insurance_types": [
                                    "pension",
                                    "medical",
                                    "unemployment",
                                    "work_injury"
                                ]
                            }
                        },
                        "new_person": {
                            "summary": "A new person registered and hired in the same request (wage as a number)",
                            "value": {
                                "person": {
                                    "id_number": "411002198511200044",
                                    "name": "李秀英",
                                    "hukou_kind": "urban",
                                    "phone": "13803740044"
                                },
                                "employer_id": 77,
                                "start_period": "2026-12",
                                "declared_wage": 5000,
                                "insurance_types": [
                                    "pension",
                                    "medical",
                                    "unemployment",
                                    "work_injury"
                                ],
                                "hire_date": "2026-12-01"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "201": {
                "description": "Enrolled (or, with `Idempotent-Replayed: true`, the stored response of the first request with this key). Amounts for an employer of risk class 2 in 许昌 (411000), where maternity is merged into medical; `provisional` because the 2026 reference wage is not set yet.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Idempotent-Replayed": r("headers/Idempotent-Replayed")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::enrolment::EnrolmentOutcome>(),
                        "examples": {
                            "enrolled": {
                                "summary": "Pension 800.00/400.00, medical 400.00/100.00, unemployment 35.00/15.00, work injury 20.00: total 1,770.00",
                                "value": {
                                    "person_id": 1024,
                                    "employer_id": 77,
                                    "start_period": "2026-12",
                                    "enrolments": [
                                        {
                                            "id": 7001,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "pension",
                                            "start_period": "2026-12-01",
                                            "end_period": null,
                                            "status": "active",
                                            "stop_reason": null,
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        },
                                        {
                                            "id": 7002,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "medical",
                                            "start_period": "2026-12-01",
                                            "end_period": null,
                                            "status": "active",
                                            "stop_reason": null,
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        },
                                        {
                                            "id": 7003,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "unemployment",
                                            "start_period": "2026-12-01",
                                            "end_period": null,
                                            "status": "active",
                                            "stop_reason": null,
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        },
                                        {
                                            "id": 7004,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "work_injury",
                                            "start_period": "2026-12-01",
                                            "end_period": null,
                                            "status": "active",
                                            "stop_reason": null,
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        }
                                    ],
                                    "rule_id": 11,
                                    "provisional": true,
                                    "base": "5000.00",
                                    "amounts": {
                                        "base": "5000.00",
                                        "base_fen": 500000,
                                        "lines": [
                                            {
                                                "insurance_type": "pension",
                                                "party": "employer",
                                                "rate": "16%",
                                                "rate_bp": 1600,
                                                "amount": "800.00",
                                                "amount_fen": 80000
                                            },
                                            {
                                                "insurance_type": "pension",
                                                "party": "employee",
                                                "rate": "8%",
                                                "rate_bp": 800,
                                                "amount": "400.00",
                                                "amount_fen": 40000
                                            },
                                            {
                                                "insurance_type": "medical",
                                                "party": "employer",
                                                "rate": "8%",
                                                "rate_bp": 800,
                                                "amount": "400.00",
                                                "amount_fen": 40000
                                            },
                                            {
                                                "insurance_type": "medical",
                                                "party": "employee",
                                                "rate": "2%",
                                                "rate_bp": 200,
                                                "amount": "100.00",
                                                "amount_fen": 10000
                                            },
                                            {
                                                "insurance_type": "unemployment",
                                                "party": "employer",
                                                "rate": "0.7%",
                                                "rate_bp": 70,
                                                "amount": "35.00",
                                                "amount_fen": 3500
                                            },
                                            {
                                                "insurance_type": "unemployment",
                                                "party": "employee",
                                                "rate": "0.3%",
                                                "rate_bp": 30,
                                                "amount": "15.00",
                                                "amount_fen": 1500
                                            },
                                            {
                                                "insurance_type": "work_injury",
                                                "party": "employer",
                                                "rate": "0.4%",
                                                "rate_bp": 40,
                                                "amount": "20.00",
                                                "amount_fen": 2000
                                            }
                                        ],
                                        "employer_total": "1255.00",
                                        "employee_total": "515.00",
                                        "total": "1770.00"
                                    }
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
                            "duplicate": {
                                "summary": "The new person's identity number is already registered (person.duplicate)",
                                "value": {
                                    "error": {
                                        "code": "person.duplicate",
                                        "message": "该身份证号码已在本市登记",
                                        "fields": [
                                            {
                                                "field": "id_number",
                                                "code": "person.duplicate",
                                                "label": "身份证号码",
                                                "message": "该身份证号码已在本市登记"
                                            }
                                        ]
                                    }
                                }
                            },
                            "already_open": {
                                "summary": "Hire requested but an employment there starting later is open (employment.already_open)",
                                "value": {
                                    "error": {
                                        "code": "employment.already_open",
                                        "message": "该人员在此单位已有在职记录，请勿重复办理入职",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "employment.already_open",
                                                "label": "人员",
                                                "message": "该人员在此单位已有在职记录，请勿重复办理入职"
                                            }
                                        ]
                                    }
                                }
                            },
                            "in_flight": {
                                "summary": "The first request with this key has not stored its response (idempotency.in_flight); retry shortly",
                                "value": {
                                    "error": {
                                        "code": "idempotency.in_flight",
                                        "message": "相同的请求正在处理中，请稍后查看结果",
                                        "fields": [
                                            {
                                                "field": "idempotency_key",
                                                "code": "idempotency.in_flight",
                                                "label": "幂等键",
                                                "message": "相同的请求正在处理中，请稍后查看结果"
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
                            "person_choice": {
                                "summary": "Both or neither of person_id and person (enrolment.person_choice)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "请选择已登记人员，或填写新人员的登记信息（二选一）",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "enrolment.person_choice",
                                                "label": "人员",
                                                "message": "请选择已登记人员，或填写新人员的登记信息（二选一）"
                                            }
                                        ]
                                    }
                                }
                            },
                            "several": {
                                "summary": "Several problems at once",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "提交的信息有误，请按提示修改后重新提交。",
                                        "fields": [
                                            {
                                                "field": "start_period",
                                                "code": "period.format",
                                                "label": "参保起始期间",
                                                "message": "期间格式应为“年-月”，例如 2026-07"
                                            },
                                            {
                                                "field": "declared_wage",
                                                "code": "money.format",
                                                "label": "申报工资",
                                                "message": "金额格式不正确，应为元，最多保留两位小数"
                                            },
                                            {
                                                "field": "insurance_types",
                                                "code": "enrolment.unknown_type",
                                                "label": "险种",
                                                "message": "险种不正确，只能是养老、医疗、失业、工伤、生育"
                                            }
                                        ]
                                    }
                                }
                            },
                            "already_active": {
                                "summary": "Already insured in a chosen type (enrolment.already_active)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "该人员已参加所选险种中的一项或多项，不能重复参保",
                                        "fields": [
                                            {
                                                "field": "insurance_types",
                                                "code": "enrolment.already_active",
                                                "label": "险种",
                                                "message": "该人员已参加所选险种中的一项或多项，不能重复参保"
                                            }
                                        ]
                                    }
                                }
                            },
                            "no_rules": {
                                "summary": "No rules of the city for that period (enrolment.no_rules)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "该期间尚无本市缴费政策，无法计算",
                                        "fields": [
                                            {
                                                "field": "start_period",
                                                "code": "enrolment.no_rules",
                                                "label": "参保起始期间",
                                                "message": "该期间尚无本市缴费政策，无法计算"
                                            }
                                        ]
                                    }
                                }
                            },
                            "before_registration": {
                                "summary": "Before the employer's registration month (enrolment.before_registration)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "参保起始期间不能早于单位登记年月",
                                        "fields": [
                                            {
                                                "field": "start_period",
                                                "code": "enrolment.before_registration",
                                                "label": "参保起始期间",
                                                "message": "参保起始期间不能早于单位登记年月"
                                            }
                                        ]
                                    }
                                }
                            },
                            "not_employed": {
                                "summary": "Not employed there and no hire date (enrolment.not_employed)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "该人员未在此单位就业，请先办理入职或填写入职日期",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "enrolment.not_employed",
                                                "label": "人员",
                                                "message": "该人员未在此单位就业，请先办理入职或填写入职日期"
                                            }
                                        ]
                                    }
                                }
                            },
                            "idempotency_format": {
                                "summary": "Malformed Idempotency-Key header (idempotency.format)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "幂等键应为 8 到 100 个可见字符",
                                        "fields": [
                                            {
                                                "field": "idempotency_key",
                                                "code": "idempotency.format",
                                                "label": "幂等键",
                                                "message": "幂等键应为 8 到 100 个可见字符"
                                            }
                                        ]
                                    }
                                }
                            },
                            "idempotency_mismatch": {
                                "summary": "Same Idempotency-Key, different body (idempotency.mismatch)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "同一幂等键已用于内容不同的请求",
                                        "fields": [
                                            {
                                                "field": "idempotency_key",
                                                "code": "idempotency.mismatch",
                                                "label": "幂等键",
                                                "message": "同一幂等键已用于内容不同的请求"
                                            }
                                        ]
                                    }
                                }
                            },
                            "english": {
                                "summary": "With `Accept-Language: en`",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "The person is already insured in one or more of the chosen types",
                                        "fields": [
                                            {
                                                "field": "insurance_types",
                                                "code": "enrolment.already_active",
                                                "label": "Insurance types",
                                                "message": "The person is already insured in one or more of the chosen types"
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

fn preview_enrolment(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "enrolments"
        ],
        "operationId": "previewEnrolment",
        "summary": "Preview the monthly amounts of an enrolment (缴费测算)",
        "description": "Computes the base and every monthly amount an enrolment would give, with the rule in force for `start_period` and the employer's risk class, by the same domain rules as the enrolment and the assessment. Writes nothing; needs no person.\n\n**Permission:** `contribution.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::enrolments::PreviewInput>(),
                    "examples": {
                        "xuchang": {
                            "summary": "5,000 yuan in 许昌, employer of risk class 2",
                            "value": {
                                "employer_id": 77,
                                "start_period": "2026-12",
                                "declared_wage": "5000.00",
                                "insurance_types": [
                                    "pension",
                                    "medical",
                                    "unemployment",
                                    "work_injury"
                                ]
                            }
                        },
                        "low_wage": {
                            "summary": "A wage below the floor is raised to it (3,000 → base 3,831.00 in 许昌)",
                            "value": {
                                "employer_id": 77,
                                "start_period": "2026-12",
                                "declared_wage": 3000,
                                "insurance_types": [
                                    "pension"
                                ]
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "The base and amounts.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::enrolments::PreviewResult>(),
                        "examples": {
                            "xuchang": {
                                "summary": "Total 1,770.00 a month",
                                "value": {
                                    "rule_id": 11,
                                    "adjust_month": 7,
                                    "amounts": {
                                        "base": "5000.00",
                                        "base_fen": 500000,
                                        "lines": [
                                            {
                                                "insurance_type": "pension",
                                                "party": "employer",
                                                "rate": "16%",
                                                "rate_bp": 1600,
                                                "amount": "800.00",
                                                "amount_fen": 80000
                                            },
                                            {
                                                "insurance_type": "pension",
                                                "party": "employee",
                                                "rate": "8%",
                                                "rate_bp": 800,
                                                "amount": "400.00",
                                                "amount_fen": 40000
                                            },
                                            {
                                                "insurance_type": "medical",
                                                "party": "employer",
                                                "rate": "8%",
                                                "rate_bp": 800,
                                                "amount": "400.00",
                                                "amount_fen": 40000
                                            },
                                            {
                                                "insurance_type": "medical",
                                                "party": "employee",
                                                "rate": "2%",
                                                "rate_bp": 200,
                                                "amount": "100.00",
                                                "amount_fen": 10000
                                            },
                                            {
                                                "insurance_type": "unemployment",
                                                "party": "employer",
                                                "rate": "0.7%",
                                                "rate_bp": 70,
                                                "amount": "35.00",
                                                "amount_fen": 3500
                                            },
                                            {
                                                "insurance_type": "unemployment",
                                                "party": "employee",
                                                "rate": "0.3%",
                                                "rate_bp": 30,
                                                "amount": "15.00",
                                                "amount_fen": 1500
                                            },
                                            {
                                                "insurance_type": "work_injury",
                                                "party": "employer",
                                                "rate": "0.4%",
                                                "rate_bp": 40,
                                                "amount": "20.00",
                                                "amount_fen": 2000
                                            }
                                        ],
                                        "employer_total": "1255.00",
                                        "employee_total": "515.00",
                                        "total": "1770.00"
                                    }
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
                            "employer": {
                                "summary": "Unknown employer (not_found on employer_id)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "没有找到相关记录，可能已被删除或不属于本市",
                                        "fields": [
                                            {
                                                "field": "employer_id",
                                                "code": "not_found",
                                                "label": "用人单位",
                                                "message": "没有找到相关记录，可能已被删除或不属于本市"
                                            }
                                        ]
                                    }
                                }
                            },
                            "no_rules": {
                                "summary": "No rules for that period (enrolment.no_rules)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "该期间尚无本市缴费政策，无法计算",
                                        "fields": [
                                            {
                                                "field": "start_period",
                                                "code": "enrolment.no_rules",
                                                "label": "参保起始期间",
                                                "message": "该期间尚无本市缴费政策，无法计算"
                                            }
                                        ]
                                    }
                                }
                            },
                            "several": {
                                "summary": "Several problems at once",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "提交的信息有误，请按提示修改后重新提交。",
                                        "fields": [
                                            {
                                                "field": "start_period",
                                                "code": "required",
                                                "label": "参保起始期间",
                                                "message": "此项为必填项"
                                            },
                                            {
                                                "field": "declared_wage",
                                                "code": "money.format",
                                                "label": "申报工资",
                                                "message": "金额格式不正确，应为元，最多保留两位小数"
                                            },
                                            {
                                                "field": "insurance_types",
                                                "code": "required",
                                                "label": "险种",
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

fn stop_enrolments(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "enrolments"
        ],
        "operationId": "stopEnrolments",
        "summary": "Stop enrolments (停保)",
        "description": "Stops the person's active enrolments at the employer — all of them, or the listed `insurance_types` — after `end_period` (the last covered period), with a reason. The enrolments become `stopped`; a `stopped` event goes on the timeline (dated the last day of `end_period`); each change is audited with the reason. Enrolling again later in a stopped type is allowed (a `resumed` event when all types resume). An unknown person is 404; an unknown employer, or nothing active there, is 422 `enrolment.none_active`.\n\nAccepts `Idempotency-Key` (see the parameter): a retry with the same key and body returns the first response with `Idempotent-Replayed: true`; the same key with another body gets 422 `idempotency.mismatch`.\n\n**Permission:** `enrolment.write` (roles: clerk).",
        "parameters": [
            r("parameters/IdempotencyKey"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::enrolments::StopInput>(),
                    "examples": {
                        "all": {
                            "summary": "Everything at this employer after June 2027",
                            "value": {
                                "person_id": 1024,
                                "employer_id": 77,
                                "end_period": "2027-06",
                                "reason": "解除劳动合同"
                            }
                        },
                        "one_type": {
                            "summary": "Unemployment only",
                            "value": {
                                "person_id": 1024,
                                "employer_id": 77,
                                "end_period": "2027-06",
                                "insurance_types": [
                                    "unemployment"
                                ],
                                "reason": "本人申请"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Stopped (or, with `Idempotent-Replayed: true`, the stored response of the first request with this key).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Idempotent-Replayed": r("headers/Idempotent-Replayed")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::enrolments::StopResult>(),
                        "examples": {
                            "all": {
                                "summary": "Four enrolments stopped",
                                "value": {
                                    "stopped": [
                                        {
                                            "id": 7001,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "pension",
                                            "start_period": "2026-12-01",
                                            "end_period": "2027-06-01",
                                            "status": "stopped",
                                            "stop_reason": "解除劳动合同",
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        },
                                        {
                                            "id": 7002,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "medical",
                                            "start_period": "2026-12-01",
                                            "end_period": "2027-06-01",
                                            "status": "stopped",
                                            "stop_reason": "解除劳动合同",
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        },
                                        {
                                            "id": 7003,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "unemployment",
                                            "start_period": "2026-12-01",
                                            "end_period": "2027-06-01",
                                            "status": "stopped",
                                            "stop_reason": "解除劳动合同",
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        },
                                        {
                                            "id": 7004,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "work_injury",
                                            "start_period": "2026-12-01",
                                            "end_period": "2027-06-01",
                                            "status": "stopped",
                                            "stop_reason": "解除劳动合同",
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        }
                                    ]
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
                            "in_flight": {
                                "summary": "The first request with this key has not stored its response (idempotency.in_flight); retry shortly",
                                "value": {
                                    "error": {
                                        "code": "idempotency.in_flight",
                                        "message": "相同的请求正在处理中，请稍后查看结果",
                                        "fields": [
                                            {
                                                "field": "idempotency_key",
                                                "code": "idempotency.in_flight",
                                                "label": "幂等键",
                                                "message": "相同的请求正在处理中，请稍后查看结果"
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
                            "none_active": {
                                "summary": "Nothing active to stop (enrolment.none_active)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "该人员在此单位没有可停保的险种",
                                        "fields": [
                                            {
                                                "field": "insurance_types",
                                                "code": "enrolment.none_active",
                                                "label": "险种",
                                                "message": "该人员在此单位没有可停保的险种"
                                            }
                                        ]
                                    }
                                }
                            },
                            "end_before_start": {
                                "summary": "End before start (enrolment.end_before_start)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "停保期间不能早于参保起始期间",
                                        "fields": [
                                            {
                                                "field": "end_period",
                                                "code": "enrolment.end_before_start",
                                                "label": "停保期间",
                                                "message": "停保期间不能早于参保起始期间"
                                            }
                                        ]
                                    }
                                }
                            },
                            "several": {
                                "summary": "Several problems at once",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "提交的信息有误，请按提示修改后重新提交。",
                                        "fields": [
                                            {
                                                "field": "end_period",
                                                "code": "period.format",
                                                "label": "停保期间",
                                                "message": "期间格式应为“年-月”，例如 2026-07"
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
                            },
                            "idempotency_mismatch": {
                                "summary": "Same Idempotency-Key, different body (idempotency.mismatch)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "同一幂等键已用于内容不同的请求",
                                        "fields": [
                                            {
                                                "field": "idempotency_key",
                                                "code": "idempotency.mismatch",
                                                "label": "幂等键",
                                                "message": "同一幂等键已用于内容不同的请求"
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

fn list_person_enrolments(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "enrolments"
        ],
        "operationId": "listPersonEnrolments",
        "summary": "A person's enrolments (参保记录)",
        "description": "Every enrolment of the person at any employer: active first, then by start period (newest first) and type. 404 for an unknown id or another tenant's person.\n\n**Permission:** `contribution.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/Id"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The enrolments.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::enrolments::Enrolment>>(),
                        "examples": {
                            "active": {
                                "summary": "Four active enrolments",
                                "value": {
                                    "items": [
                                        {
                                            "id": 7001,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "pension",
                                            "start_period": "2026-12-01",
                                            "end_period": null,
                                            "status": "active",
                                            "stop_reason": null,
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        },
                                        {
                                            "id": 7002,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "medical",
                                            "start_period": "2026-12-01",
                                            "end_period": null,
                                            "status": "active",
                                            "stop_reason": null,
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        },
                                        {
                                            "id": 7003,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "unemployment",
                                            "start_period": "2026-12-01",
                                            "end_period": null,
                                            "status": "active",
                                            "stop_reason": null,
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        },
                                        {
                                            "id": 7004,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "insurance_type": "work_injury",
                                            "start_period": "2026-12-01",
                                            "end_period": null,
                                            "status": "active",
                                            "stop_reason": null,
                                            "created_at": "2026-11-28T06:20:31.402118Z"
                                        }
                                    ]
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

fn list_employer_insured(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "enrolments"
        ],
        "operationId": "listEmployerInsured",
        "summary": "An employer's insured employees (参保职工名单)",
        "description": "Persons with at least one active enrolment at the employer, with their active types, paged, by name then person id. 404 for an unknown id or another tenant's employer.\n\n**Permission:** `contribution.read` (roles: clerk, reviewer, city_admin, auditor). The identity numbers are masked (`4110**********0044`) unless one of the caller's roles grants `person.reveal_id` (roles: reviewer); these rows carry no `id_number_masked` flag.",
        "parameters": [
            r("parameters/Id"),
            r("parameters/Page"),
            r("parameters/PerPage"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "One page.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::Page<jinbao_store::repo::enrolments::InsuredEmployee>>(),
                        "examples": {
                            "page": {
                                "summary": "First page",
                                "value": {
                                    "items": [
                                        {
                                            "person_id": 1024,
                                            "name": "李秀英",
                                            "id_number": "4110**********0044",
                                            "types": [
                                                "medical",
                                                "pension",
                                                "unemployment",
                                                "work_injury"
                                            ],
                                            "since": "2026-12-01"
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
            "400": {
                "description": "Malformed request: the body is not valid JSON, is not `application/json`, is larger than 256 KiB, has a value of the wrong type, or has a field the endpoint does not know (bodies are parsed with `deny_unknown_fields`). Code `request.malformed`; `detail` tells the parser's reason.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "query": {
                                "summary": "A query parameter of the wrong type (e.g. a non-integer `page`) is rejected by the query parser (request.malformed)",
                                "value": {
                                    "error": {
                                        "code": "request.malformed",
                                        "message": "提交的内容格式不正确，请刷新页面后重试",
                                        "fields": [],
                                        "detail": "Query deserialize error: invalid digit found in string"
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
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
                            "page": {
                                "summary": "Page size out of range (page.range)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "页码超出范围",
                                        "fields": [
                                            {
                                                "field": "per_page",
                                                "code": "page.range",
                                                "label": "每页条数",
                                                "message": "页码超出范围"
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

//! Operations tagged `assessments`: Monthly assessment, re-opening, back payments, jobs, contribution history (核定).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = list_person_contributions(d);
    d.op("get", "/api/v1/persons/{id}/contributions", op);
    let op = run_assessment(d);
    d.op("post", "/api/v1/assessments/runs", op);
    let op = list_assessment_periods(d);
    d.op("get", "/api/v1/assessments/periods", op);
    let op = reopen_assessment_period(d);
    d.op("post", "/api/v1/assessments/periods/{period}/reopen", op);
    let op = run_back_payments(d);
    d.op("post", "/api/v1/assessments/back-payments", op);
    let op = get_job(d);
    d.op("get", "/api/v1/jobs/{id}", op);
}

fn list_person_contributions(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "assessments"
        ],
        "operationId": "listPersonContributions",
        "summary": "A person's contribution history (缴费记录)",
        "description": "The person's assessment rows at any employer, newest period first, then by type; at most 600 rows. Back payments (补差) appear as separate rows of kind `back_payment` in the period they correct. Amounts in fen. 404 for an unknown id or another tenant's person.\n\n**Permission:** `contribution.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/Id"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The rows.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::assessments::PersonMonth>>(),
                        "examples": {
                            "december": {
                                "summary": "December 2026 at 许昌瑞昌电气 (base 5,000.00)",
                                "value": {
                                    "items": [
                                        {
                                            "period": "2026-12-01",
                                            "insurance_type": "medical",
                                            "kind": "regular",
                                            "employer_id": 77,
                                            "base_fen": 500000,
                                            "employer_fen": 40000,
                                            "employee_fen": 10000
                                        },
                                        {
                                            "period": "2026-12-01",
                                            "insurance_type": "pension",
                                            "kind": "regular",
                                            "employer_id": 77,
                                            "base_fen": 500000,
                                            "employer_fen": 80000,
                                            "employee_fen": 40000
                                        },
                                        {
                                            "period": "2026-12-01",
                                            "insurance_type": "unemployment",
                                            "kind": "regular",
                                            "employer_id": 77,
                                            "base_fen": 500000,
                                            "employer_fen": 3500,
                                            "employee_fen": 1500
                                        },
                                        {
                                            "period": "2026-12-01",
                                            "insurance_type": "work_injury",
                                            "kind": "regular",
                                            "employer_id": 77,
                                            "base_fen": 500000,
                                            "employer_fen": 2000,
                                            "employee_fen": 0
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

fn run_assessment(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "assessments"
        ],
        "operationId": "runAssessment",
        "summary": "Assess a period (月度核定)",
        "description": "Computes, for every enrolment active in the period, the employer and employee amounts per person × type, with the rule in force for the period and the person's latest declared wage effective by then (the same rules as the preview), set-based in the database in chunks of 100,000 enrolment ids, each its own transaction, with progress on a job. Starting returns at once: **202** with the job in `Location` (`/api/v1/jobs/{id}`) to poll until `done` (its `result` is the `RunSummary`) or `failed`. A period already assessed is not assessed again: **200** with its summary (`already_assessed: true`); re-open it first to recompute it. A run that was interrupted is resumed by running again (rows already written are kept). Maternity gives no rows where merged into medical. The completed run is audited.\n\n**Permission:** `assessment.run` (roles: clerk, reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::assessments::RunInput>(),
                    "examples": {
                        "december": {
                            "summary": "December 2026",
                            "value": {
                                "period": "2026-12"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "202": {
                "description": "Started; follow the job.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Location": {
                        "description": "The job to poll.",
                        "schema": {
                            "type": "string"
                        },
                        "example": "/api/v1/jobs/310"
                    }
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::assessments::RunStarted>(),
                        "examples": {
                            "started": {
                                "summary": "Job 310 running",
                                "value": {
                                    "job_id": 310,
                                    "status": "running"
                                }
                            }
                        }
                    }
                }
            },
            "200": {
                "description": "The period was assessed before; nothing was done.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::assessments::RunAlreadyAssessed>(),
                        "examples": {
                            "again": {
                                "summary": "Already assessed",
                                "value": {
                                    "job_id": 310,
                                    "summary": {
                                        "period": "2026-12",
                                        "job_id": 310,
                                        "rows_written": 0,
                                        "rows_total": 18432,
                                        "employer_fen": 1873265400,
                                        "employee_fen": 768452100,
                                        "already_assessed": true
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
                            "required": {
                                "summary": "No period (required)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "此项为必填项",
                                        "fields": [
                                            {
                                                "field": "period",
                                                "code": "required",
                                                "label": "期间",
                                                "message": "此项为必填项"
                                            }
                                        ]
                                    }
                                }
                            },
                            "format": {
                                "summary": "Bad period (period.format)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "期间格式应为“年-月”，例如 2026-07",
                                        "fields": [
                                            {
                                                "field": "period",
                                                "code": "period.format",
                                                "label": "期间",
                                                "message": "期间格式应为“年-月”，例如 2026-07"
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

fn list_assessment_periods(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "assessments"
        ],
        "operationId": "listAssessmentPeriods",
        "summary": "Assessment periods and their state (核定期间)",
        "description": "Every period that was ever run, newest first, with its state.\n\n**Permission:** `contribution.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The periods.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::assessments::PeriodState>>(),
                        "examples": {
                            "two": {
                                "summary": "December assessed, November re-opened",
                                "value": {
                                    "items": [
                                        {
                                            "period": "2026-12-01",
                                            "status": "assessed",
                                            "rows_assessed": 18432,
                                            "assessed_at": "2027-01-05T02:10:44.120385Z",
                                            "reopen_reason": null
                                        },
                                        {
                                            "period": "2026-11-01",
                                            "status": "reopened",
                                            "rows_assessed": 0,
                                            "assessed_at": "2026-12-04T01:55:02.310774Z",
                                            "reopen_reason": "2026 年度全口径社平工资公布，重新核定"
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
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError")
        }
    })
}

fn reopen_assessment_period(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "assessments"
        ],
        "operationId": "reopenAssessmentPeriod",
        "summary": "Re-open an assessed period (重新打开核定期间)",
        "description": "Removes every assessment row of an assessed period (regular and back payments) so that the next run computes it afresh with the rules and declared wages then in force; payments stay recorded and are re-allocated when read. Needs a reason, kept on the period and in the audit log. A period never run is 404; a period that is not `assessed` (running or already re-opened) is 409 `assessment.not_assessed`.\n\n**Permission:** `assessment.reopen` (roles: reviewer).",
        "parameters": [
            r("parameters/PeriodPath"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::assessments::ReopenInput>(),
                    "examples": {
                        "reason": {
                            "summary": "With a reason",
                            "value": {
                                "reason": "2026 年度全口径社平工资公布，重新核定"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Re-opened.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::assessments::ReopenResult>(),
                        "examples": {
                            "reopened": {
                                "summary": "18,432 rows removed",
                                "value": {
                                    "period": "2026-12",
                                    "status": "reopened",
                                    "rows_removed": 18432
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
                            "not_assessed": {
                                "summary": "Not assessed (assessment.not_assessed)",
                                "value": {
                                    "error": {
                                        "code": "assessment.not_assessed",
                                        "message": "该期间尚未核定，不能重新打开",
                                        "fields": [
                                            {
                                                "field": "period",
                                                "code": "assessment.not_assessed",
                                                "label": "期间",
                                                "message": "该期间尚未核定，不能重新打开"
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
                            "required": {
                                "summary": "No reason (required)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "此项为必填项",
                                        "fields": [
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
                            "short": {
                                "summary": "Reason of one character (reason.required)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "请填写变更原因",
                                        "fields": [
                                            {
                                                "field": "reason",
                                                "code": "reason.required",
                                                "label": "原因",
                                                "message": "请填写变更原因"
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

fn run_back_payments(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "assessments"
        ],
        "operationId": "runBackPayments",
        "summary": "Compute back payments (补差核定)",
        "description": "For every assessed period up to `upto`, compares what the rules and declared wages in force now give with what was assessed so far (regular plus earlier back payments) and writes the differences as `back_payment` rows (which may be negative). This is how a reference average wage published late, or a declaration applied after its periods were assessed, reaches the amounts due. Synchronous; running it again writes nothing unless something changed. Audited when rows were written.\n\n**Permission:** `assessment.run` (roles: clerk, reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::assessments::BackPayInput>(),
                    "examples": {
                        "upto": {
                            "summary": "Up to December 2026",
                            "value": {
                                "upto": "2026-12"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Done.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::assessments::BackPaymentResult>(),
                        "examples": {
                            "written": {
                                "summary": "3,120 rows written",
                                "value": {
                                    "upto": "2026-12",
                                    "rows_written": 3120
                                }
                            },
                            "nothing": {
                                "summary": "Nothing changed",
                                "value": {
                                    "upto": "2026-12",
                                    "rows_written": 0
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
                            "format": {
                                "summary": "Bad period (period.format)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "期间格式应为“年-月”，例如 2026-07",
                                        "fields": [
                                            {
                                                "field": "upto",
                                                "code": "period.format",
                                                "label": "截至期间",
                                                "message": "期间格式应为“年-月”，例如 2026-07"
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

fn get_job(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "assessments"
        ],
        "operationId": "getJob",
        "summary": "A background job (后台任务)",
        "description": "Progress and result of a long-running job such as an assessment run. Poll until `status` is `done` or `failed`. 404 for an unknown id or another tenant's job.\n\n**Permission:** `contribution.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/Id"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The job.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::jobs::Job>(),
                        "examples": {
                            "running": {
                                "summary": "Running",
                                "value": {
                                    "id": 310,
                                    "kind": "assessment",
                                    "params": {
                                        "period": "2026-12"
                                    },
                                    "status": "running",
                                    "total": 18650,
                                    "done": 10000,
                                    "result": null,
                                    "error": null,
                                    "created_at": "2027-01-05T02:08:01.551020Z",
                                    "started_at": "2027-01-05T02:08:01.551020Z",
                                    "finished_at": null
                                }
                            },
                            "done": {
                                "summary": "Done, with the summary",
                                "value": {
                                    "id": 310,
                                    "kind": "assessment",
                                    "params": {
                                        "period": "2026-12"
                                    },
                                    "status": "done",
                                    "total": 18650,
                                    "done": 18650,
                                    "result": {
                                        "period": "2026-12",
                                        "job_id": 310,
                                        "rows_written": 18432,
                                        "rows_total": 18432,
                                        "employer_fen": 1873265400,
                                        "employee_fen": 768452100,
                                        "already_assessed": false
                                    },
                                    "error": null,
                                    "created_at": "2027-01-05T02:08:01.551020Z",
                                    "started_at": "2027-01-05T02:08:01.551020Z",
                                    "finished_at": "2027-01-05T02:10:44.120385Z"
                                }
                            },
                            "failed": {
                                "summary": "Failed; run the period again to resume",
                                "value": {
                                    "id": 310,
                                    "kind": "assessment",
                                    "params": {
                                        "period": "2026-12"
                                    },
                                    "status": "failed",
                                    "total": 18650,
                                    "done": 10000,
                                    "result": null,
                                    "error": "database unavailable: connection closed",
                                    "created_at": "2027-01-05T02:08:01.551020Z",
                                    "started_at": "2027-01-05T02:08:01.551020Z",
                                    "finished_at": "2027-01-05T02:09:12.004511Z"
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

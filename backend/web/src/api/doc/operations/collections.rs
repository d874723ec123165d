//! Operations tagged `collections`: Payments, arrears and employer statements (征缴).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = get_employer_statement(d);
    d.op("get", "/api/v1/employers/{id}/statement", op);
    let op = record_collection(d);
    d.op("post", "/api/v1/collections", op);
    let op = list_arrears(d);
    d.op("get", "/api/v1/arrears", op);
}

fn get_employer_statement(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "collections"
        ],
        "operationId": "getEmployerStatement",
        "summary": "An employer's monthly statement (单位对账单)",
        "description": "Every assessed line of the employer for `period` — person × type × party, regular and back payment — with what the period's payments cover. **Allocation rule:** the payments recorded for the employer and the period are pooled and cover the period's lines in a fixed order: insurance type (pension, medical, unemployment, work injury, maternity), then the employee part before the employer part (it was withheld from wages), then person id, regular before back payment; the last line reached may be partly paid. Money beyond the period's total is an over-payment, shown as credit of that period in `/api/v1/arrears`, and is not moved to other periods. Allocation is derived when read, so a re-opened and re-assessed period is re-allocated without touching the payments. A period not assessed yet has no lines. 404 for an unknown id or another tenant's employer.\n\nWith `format=csv` the statement is a file (`text/csv; charset=utf-8`, UTF-8 with a byte-order mark so Excel on Chinese Windows opens it correctly, `Content-Disposition: attachment; filename=\"statement-{id}-{period}.csv\"`): header `姓名,身份证号码,险种,类别,缴费方,缴费基数,费率(‱),应缴金额,已缴金额`, one row per line (type, kind and party as codes, money in yuan, rate in basis points), and a last row `合计` with the totals due and paid.\n\n**Permission:** `contribution.read` (roles: clerk, reviewer, city_admin, auditor). The identity numbers are masked (`4110**********0044`) unless one of the caller's roles grants `person.reveal_id` (roles: reviewer); these rows carry no `id_number_masked` flag.",
        "parameters": [
            r("parameters/Id"),
            {
                "name": "period",
                "in": "query",
                "required": true,
                "description": "The period, `YYYY-MM` (`required`, `period.format`).",
                "schema": d.input::<jinbao_domain::Period>(),
                "example": "2026-12"
            },
            {
                "name": "format",
                "in": "query",
                "required": false,
                "description": "`csv` for the CSV file; JSON otherwise.",
                "schema": {
                    "type": "string",
                    "enum": [
                        "csv",
                        "json"
                    ]
                }
            },
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The statement, as JSON or (with `format=csv`) as CSV. Example: 1,000.00 paid against 1,770.00 due covers the pension employee part (400.00) and 600.00 of the pension employer part.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store"),
                    "Content-Disposition": {
                        "description": "Only with `format=csv`.",
                        "schema": {
                            "type": "string"
                        },
                        "example": "attachment; filename=\"statement-77-2026-12.csv\""
                    }
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::collections::Statement>(),
                        "examples": {
                            "partly_paid": {
                                "summary": "1,000.00 of 1,770.00 paid",
                                "value": {
                                    "employer_id": 77,
                                    "period": "2026-12",
                                    "lines": [
                                        {
                                            "person_id": 1024,
                                            "name": "李秀英",
                                            "id_number": "4110**********0044",
                                            "insurance_type": "pension",
                                            "kind": "regular",
                                            "party": "employee",
                                            "base_fen": 500000,
                                            "rate_bp": 800,
                                            "amount_fen": 40000,
                                            "paid_fen": 40000
                                        },
                                        {
                                            "person_id": 1024,
                                            "name": "李秀英",
                                            "id_number": "4110**********0044",
                                            "insurance_type": "pension",
                                            "kind": "regular",
                                            "party": "employer",
                                            "base_fen": 500000,
                                            "rate_bp": 1600,
                                            "amount_fen": 80000,
                                            "paid_fen": 60000
                                        },
                                        {
                                            "person_id": 1024,
                                            "name": "李秀英",
                                            "id_number": "4110**********0044",
                                            "insurance_type": "medical",
                                            "kind": "regular",
                                            "party": "employee",
                                            "base_fen": 500000,
                                            "rate_bp": 200,
                                            "amount_fen": 10000,
                                            "paid_fen": 0
                                        },
                                        {
                                            "person_id": 1024,
                                            "name": "李秀英",
                                            "id_number": "4110**********0044",
                                            "insurance_type": "medical",
                                            "kind": "regular",
                                            "party": "employer",
                                            "base_fen": 500000,
                                            "rate_bp": 800,
                                            "amount_fen": 40000,
                                            "paid_fen": 0
                                        },
                                        {
                                            "person_id": 1024,
                                            "name": "李秀英",
                                            "id_number": "4110**********0044",
                                            "insurance_type": "unemployment",
                                            "kind": "regular",
                                            "party": "employee",
                                            "base_fen": 500000,
                                            "rate_bp": 30,
                                            "amount_fen": 1500,
                                            "paid_fen": 0
                                        },
                                        {
                                            "person_id": 1024,
                                            "name": "李秀英",
                                            "id_number": "4110**********0044",
                                            "insurance_type": "unemployment",
                                            "kind": "regular",
                                            "party": "employer",
                                            "base_fen": 500000,
                                            "rate_bp": 70,
                                            "amount_fen": 3500,
                                            "paid_fen": 0
                                        },
                                        {
                                            "person_id": 1024,
                                            "name": "李秀英",
                                            "id_number": "4110**********0044",
                                            "insurance_type": "work_injury",
                                            "kind": "regular",
                                            "party": "employer",
                                            "base_fen": 500000,
                                            "rate_bp": 40,
                                            "amount_fen": 2000,
                                            "paid_fen": 0
                                        }
                                    ],
                                    "due_fen": 177000,
                                    "paid_fen": 100000,
                                    "due": "1770.00",
                                    "paid": "1000.00"
                                }
                            }
                        }
                    },
                    "text/csv": {
                        "schema": {
                            "type": "string",
                            "description": "UTF-8 with a byte-order mark (EF BB BF)."
                        },
                        "example": "﻿姓名,身份证号码,险种,类别,缴费方,缴费基数,费率(‱),应缴金额,已缴金额\n李秀英,4110**********0044,pension,regular,employee,5000.00,800,400.00,400.00\n李秀英,4110**********0044,pension,regular,employer,5000.00,1600,800.00,600.00\n李秀英,4110**********0044,medical,regular,employee,5000.00,200,100.00,0.00\n李秀英,4110**********0044,medical,regular,employer,5000.00,800,400.00,0.00\n李秀英,4110**********0044,unemployment,regular,employee,5000.00,30,15.00,0.00\n李秀英,4110**********0044,unemployment,regular,employer,5000.00,70,35.00,0.00\n李秀英,4110**********0044,work_injury,regular,employer,5000.00,40,20.00,0.00\n合计,,,,,,,1770.00,1000.00\n"
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
            "500": r("responses/InternalError")
        }
    })
}

fn record_collection(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "collections"
        ],
        "operationId": "recordCollection",
        "summary": "Record a payment of contributions (缴费登记)",
        "description": "Records money received from an employer for a period. Payments of a period are pooled and cover its assessed lines by the allocation rule (see the statement); a period may be paid before it is assessed. `bank_ref` is unique per channel in the tenant (409 `collection.duplicate_ref`), which stops a bank file being booked twice. Audited.\n\nAccepts `Idempotency-Key` (see the parameter): a retry with the same key and body returns the first response with `Idempotent-Replayed: true`; the same key with another body gets 422 `idempotency.mismatch`.\n\n**Permission:** `collection.write` (roles: clerk).",
        "parameters": [
            r("parameters/IdempotencyKey"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<jinbao_app::collection::CollectionInput>(),
                    "examples": {
                        "bank": {
                            "summary": "1,000.00 by bank transfer",
                            "value": {
                                "employer_id": 77,
                                "period": "2026-12",
                                "amount": "1000.00",
                                "paid_on": "2027-01-10",
                                "channel": "bank",
                                "bank_ref": "ICBC202701100000123"
                            }
                        },
                        "counter": {
                            "summary": "Cash at the counter, no reference",
                            "value": {
                                "employer_id": 77,
                                "period": "2026-12",
                                "amount": 770,
                                "paid_on": "2027-01-15",
                                "channel": "counter"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "201": {
                "description": "Recorded (or, with `Idempotent-Replayed: true`, the stored response of the first request with this key).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Idempotent-Replayed": r("headers/Idempotent-Replayed")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::collections::Collection>(),
                        "examples": {
                            "bank": {
                                "summary": "Recorded",
                                "value": {
                                    "id": 9001,
                                    "employer_id": 77,
                                    "period": "2026-12-01",
                                    "amount_fen": 100000,
                                    "paid_on": "2027-01-10",
                                    "channel": "bank",
                                    "bank_ref": "ICBC202701100000123",
                                    "created_at": "2027-01-10T07:45:12.083311Z"
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
                            "duplicate_ref": {
                                "summary": "Reference already recorded for this channel (collection.duplicate_ref)",
                                "value": {
                                    "error": {
                                        "code": "collection.duplicate_ref",
                                        "message": "该银行/邮局流水号已登记过",
                                        "fields": [
                                            {
                                                "field": "bank_ref",
                                                "code": "collection.duplicate_ref",
                                                "label": "流水号",
                                                "message": "该银行/邮局流水号已登记过"
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
                            "positive": {
                                "summary": "Zero amount (money.positive)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "金额必须大于零",
                                        "fields": [
                                            {
                                                "field": "amount",
                                                "code": "money.positive",
                                                "label": "金额",
                                                "message": "金额必须大于零"
                                            }
                                        ]
                                    }
                                }
                            },
                            "channel": {
                                "summary": "Unknown channel (collection.channel)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "缴费渠道只能是银行、邮局、柜台或网上",
                                        "fields": [
                                            {
                                                "field": "channel",
                                                "code": "collection.channel",
                                                "label": "缴费渠道",
                                                "message": "缴费渠道只能是银行、邮局、柜台或网上"
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
                                                "field": "period",
                                                "code": "period.format",
                                                "label": "期间",
                                                "message": "期间格式应为“年-月”，例如 2026-07"
                                            },
                                            {
                                                "field": "amount",
                                                "code": "money.format",
                                                "label": "金额",
                                                "message": "金额格式不正确，应为元，最多保留两位小数"
                                            },
                                            {
                                                "field": "paid_on",
                                                "code": "date.format",
                                                "label": "缴费日期",
                                                "message": "日期格式不正确，请按“年-月-日”填写，例如 2024-03-01"
                                            }
                                        ]
                                    }
                                }
                            },
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

fn list_arrears(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "collections"
        ],
        "operationId": "listArrears",
        "summary": "Arrears and credit by employer and period (欠费查询)",
        "description": "Employer × period balances: assessed (regular and back payments) against payments recorded. By default only unsettled balances (arrears, or credit from over-payment); `all=true` includes settled ones. Optionally one period and/or one employer. Newest period first, then largest arrears, then employer id.\n\n**Permission:** `contribution.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            {
                "name": "period",
                "in": "query",
                "required": false,
                "description": "Only this period, `YYYY-MM` (`period.format`); empty means all.",
                "schema": d.input::<jinbao_domain::Period>(),
                "example": "2026-12"
            },
            {
                "name": "employer_id",
                "in": "query",
                "required": false,
                "description": "Only this employer (an unknown id gives an empty page).",
                "schema": {
                    "type": "integer",
                    "format": "int64"
                },
                "example": 77
            },
            {
                "name": "all",
                "in": "query",
                "required": false,
                "description": "`true` to include settled balances (due = paid).",
                "schema": {
                    "type": "boolean",
                    "default": false
                }
            },
            r("parameters/Page"),
            r("parameters/PerPage"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "One page of balances (amounts in fen).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::Page<jinbao_store::repo::collections::Balance>>(),
                        "examples": {
                            "december": {
                                "summary": "One employer in arrears, one in credit",
                                "value": {
                                    "items": [
                                        {
                                            "employer_id": 77,
                                            "employer_name": "许昌瑞昌电气有限公司",
                                            "period": "2026-12-01",
                                            "due_fen": 177000,
                                            "paid_fen": 100000,
                                            "arrears_fen": 77000,
                                            "credit_fen": 0
                                        },
                                        {
                                            "employer_id": 81,
                                            "employer_name": "许昌市魏都区宏达商贸有限公司",
                                            "period": "2026-12-01",
                                            "due_fen": 531000,
                                            "paid_fen": 540000,
                                            "arrears_fen": 0,
                                            "credit_fen": 9000
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
                                                "field": "period",
                                                "code": "period.format",
                                                "label": "期间",
                                                "message": "期间格式应为“年-月”，例如 2026-07"
                                            }
                                        ]
                                    }
                                }
                            },
                            "page": {
                                "summary": "Page out of range (page.range)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "页码超出范围",
                                        "fields": [
                                            {
                                                "field": "page",
                                                "code": "page.range",
                                                "label": "页码",
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

//! Operations tagged `transfers`: Pension transfers between cities: each city on its own side, information and funds separately, maker-checker at the sending city, overdue after 15 working days (转移接续).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = open_transfer(d);
    d.op("post", "/api/v1/transfers", op);
    let op = list_transfers(d);
    d.op("get", "/api/v1/transfers", op);
    let parameters = json!([r("parameters/TransferUid")]);
    d.path_parameters("/api/v1/transfers/{uid}", parameters);
    let op = get_transfer(d);
    d.op("get", "/api/v1/transfers/{uid}", op);
    let parameters = json!([r("parameters/TransferUid")]);
    d.path_parameters("/api/v1/transfers/{uid}/accept", parameters);
    let op = accept_transfer_letter(d);
    d.op("post", "/api/v1/transfers/{uid}/accept", op);
    let parameters = json!([r("parameters/TransferUid")]);
    d.path_parameters("/api/v1/transfers/{uid}/refuse", parameters);
    let op = refuse_transfer_letter(d);
    d.op("post", "/api/v1/transfers/{uid}/refuse", op);
    let parameters = json!([r("parameters/TransferUid")]);
    d.path_parameters("/api/v1/transfers/{uid}/info", parameters);
    let op = produce_transfer_information(d);
    d.op("post", "/api/v1/transfers/{uid}/info", op);
    let parameters = json!([r("parameters/TransferUid")]);
    d.path_parameters("/api/v1/transfers/{uid}/approve", parameters);
    let op = approve_transfer_information(d);
    d.op("post", "/api/v1/transfers/{uid}/approve", op);
    let parameters = json!([r("parameters/TransferUid")]);
    d.path_parameters("/api/v1/transfers/{uid}/funds-sent", parameters);
    let op = record_transfer_funds_sent(d);
    d.op("post", "/api/v1/transfers/{uid}/funds-sent", op);
    let parameters = json!([r("parameters/TransferUid")]);
    d.path_parameters("/api/v1/transfers/{uid}/funds-received", parameters);
    let op = record_transfer_funds_received(d);
    d.op("post", "/api/v1/transfers/{uid}/funds-received", op);
    let parameters = json!([r("parameters/TransferUid")]);
    d.path_parameters("/api/v1/transfers/{uid}/complete", parameters);
    let op = complete_transfer(d);
    d.op("post", "/api/v1/transfers/{uid}/complete", op);
    let parameters = json!([r("parameters/TransferUid")]);
    d.path_parameters("/api/v1/transfers/{uid}/cancel", parameters);
    let op = cancel_transfer(d);
    d.op("post", "/api/v1/transfers/{uid}/cancel", op);
}

fn open_transfer(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "openTransfer",
        "summary": "Open a transfer-in: send the contact letter (受理转入，发出联系函)",
        "description": "At the **receiving city** (B): opens the transfer of pension insurance of a person registered here from the sending city `from_city` (A) by sending the **contact letter** (联系函). The database function `transfer_open` (owned by the role `jinbao_transfer`) checks **only this city's own records**, in this order: the same city (422 `transfer.same_city`), no such city (422 `transfer.unknown_city`), no such person here (422 `transfer.unknown_person`), another open transfer or letter of the person **in this city** (409 `transfer.already_open`), a pension being paid **here** (409 `transfer.pension_paid`). Nothing of A is read: the letter is created, in the state `letter`, on both sides (A's side carries the identity number and the name given, no person yet), and the answer is the same **whatever A holds** (whether A knows the person, pays them a pension or has another transfer of them open). A answers the letter (`/accept` or `/refuse`); B learns the outcome only from its own side's `state`, `refused_code` and `refused_reason`. Audited: `transfer.open` here and `transfer.letter_received` at A; **every refused attempt** (invalid input and malformed bodies included) as `transfer.open_refused` here, with the city code, person id and refusal code. **Limited per user** to 30 attempts an hour (refused ones included; counted in Redis, in memory while Redis is down): beyond it 429 `transfer.rate_limited`. See docs/transfers.md.\n\n**Permission:** `transfer.request` (roles: clerk, reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::transfers::OpenInput>(),
                    "examples": {
                        "open": {
                            "summary": "From Xuchang",
                            "value": {
                                "from_city": "411000",
                                "person_id": 2048
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
                "description": "The letter is sent: this city's side, state `letter`, waiting for the other city. Identical (but for the uid, ids and the person's own fields) whatever the sending city holds.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::transfers::TransferView>(),
                        "examples": {
                            "opened": {
                                "summary": "Opened at Zhoukou from Xuchang",
                                "value": {
                                    "id": 7,
                                    "uid": "5b0f3c2e-8d4a-4e61-9a57-0c3f2d1e9b84",
                                    "side": "in",
                                    "other_tenant_id": 11,
                                    "person_id": 2048,
                                    "id_number": "411002198001010312",
                                    "person_name": "周迁移",
                                    "state": "letter",
                                    "info": null,
                                    "info_total_fen": null,
                                    "info_proposed_by": null,
                                    "info_proposed_at": null,
                                    "info_approved_by": null,
                                    "info_approved_at": null,
                                    "info_received_at": null,
                                    "funds_sent_fen": null,
                                    "funds_sent_at": null,
                                    "funds_received_fen": null,
                                    "funds_received_at": null,
                                    "requested_at": "2026-11-27T02:10:41.120931Z",
                                    "completed_at": null,
                                    "due_since": "2026-11-27T02:10:41.120931Z",
                                    "working_days_waiting": 0,
                                    "overdue": false,
                                    "waiting_for": "other_city",
                                    "other_city": {
                                        "code": "411000",
                                        "name_zh": "许昌市",
                                        "name_en": "Xuchang"
                                    },
                                    "refused_code": null,
                                    "refused_reason": null,
                                    "answered_at": null
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "Conflict with the transfer's state. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "already_open": {
                                "summary": "Another transfer of the person is open (transfer.already_open)",
                                "value": {
                                    "error": {
                                        "code": "transfer.already_open",
                                        "message": "此人已有一笔尚未办结的转移，不能再申请",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.already_open",
                                                "label": "fields.transfer",
                                                "message": "此人已有一笔尚未办结的转移，不能再申请"
                                            }
                                        ]
                                    }
                                }
                            },
                            "pension_paid": {
                                "summary": "A pension is being paid (transfer.pension_paid)",
                                "value": {
                                    "error": {
                                        "code": "transfer.pension_paid",
                                        "message": "此人已在领取基本养老金，不能办理转移",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.pension_paid",
                                                "label": "fields.transfer",
                                                "message": "此人已在领取基本养老金，不能办理转移"
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
                            "same_city": {
                                "summary": "The sending city is this city (transfer.same_city)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "调出地和调入地不能是同一个城市",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.same_city",
                                                "label": "fields.transfer",
                                                "message": "调出地和调入地不能是同一个城市"
                                            }
                                        ]
                                    }
                                }
                            },
                            "unknown_in_sender": {
                                "summary": "Unknown at the sending city (transfer.unknown_in_sender)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "调出城市没有这个身份证号码的参保记录",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.unknown_in_sender",
                                                "label": "fields.transfer",
                                                "message": "调出城市没有这个身份证号码的参保记录"
                                            }
                                        ]
                                    }
                                }
                            },
                            "unknown_city": {
                                "summary": "No city has this code (transfer.unknown_city)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "没有这个城市代码",
                                        "fields": [
                                            {
                                                "field": "from_city",
                                                "code": "transfer.unknown_city",
                                                "label": "fields.from_city",
                                                "message": "没有这个城市代码"
                                            }
                                        ]
                                    }
                                }
                            },
                            "missing": {
                                "summary": "Nothing given",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "提交的信息有误，请按提示修改后重新提交。",
                                        "fields": [
                                            {
                                                "field": "from_city",
                                                "code": "required",
                                                "label": "fields.from_city",
                                                "message": "此项为必填项"
                                            },
                                            {
                                                "field": "person_id",
                                                "code": "required",
                                                "label": "人员",
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
            "429": r("responses/TooManyRequests"),
            "415": r("responses/UnsupportedMediaType")
        }
    })
}

fn list_transfers(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "listTransfers",
        "summary": "This city's transfers in and out (转移接续)",
        "description": "Both directions, each as this city's side: open ones first, then newest first, at most 200. `side` filters the direction (other values are ignored); `open=true` lists only open transfers (a sending city's work queue: `?side=out&open=true`).\n\n**Permission:** any of `transfer.request`, `transfer.process`, `transfer.approve` (roles: clerk, reviewer).",
        "parameters": [
            {
                "name": "side",
                "in": "query",
                "required": false,
                "schema": {
                    "type": "string",
                    "enum": [
                        "in",
                        "out"
                    ]
                },
                "description": "Only transfers in or out. Anything else is 422 `transfer.side`."
            },
            {
                "name": "open",
                "in": "query",
                "required": false,
                "schema": {
                    "type": "boolean",
                    "default": false
                },
                "description": "Only open transfers."
            },
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The transfers.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_app::transfers::TransferView>>(),
                        "examples": {
                            "queue": {
                                "summary": "Xuchang's queue of transfers out",
                                "value": {
                                    "items": [
                                        {
                                            "id": 41,
                                            "uid": "5b0f3c2e-8d4a-4e61-9a57-0c3f2d1e9b84",
                                            "side": "out",
                                            "other_tenant_id": 17,
                                            "person_id": 1033,
                                            "id_number": "411002198001010312",
                                            "person_name": "周迁移",
                                            "state": "requested",
                                            "info": {
                                                "months": 120,
                                                "pooled_months": 120,
                                                "pooled_base_sum_fen": 60000000,
                                                "years": [
                                                    {
                                                        "year": 2010,
                                                        "months": 12,
                                                        "base_sum": 6000000,
                                                        "pooled": true
                                                    },
                                                    {
                                                        "year": 2011,
                                                        "months": 12,
                                                        "base_sum": 6000000,
                                                        "pooled": true
                                                    }
                                                ],
                                                "periods": [
                                                    {
                                                        "period": "2010-01-01",
                                                        "base_fen": 500000,
                                                        "employee_fen": 40000
                                                    },
                                                    {
                                                        "period": "2010-02-01",
                                                        "base_fen": 500000,
                                                        "employee_fen": 40000
                                                    }
                                                ],
                                                "personal_account_fen": 9379469,
                                                "pooled_fund_fen": 7200000,
                                                "total_fen": 16579469,
                                                "interest": [
                                                    {
                                                        "year": 2010,
                                                        "rate_bp": 831
                                                    },
                                                    {
                                                        "year": 2016,
                                                        "rate_bp": 831
                                                    },
                                                    {
                                                        "year": 2026,
                                                        "rate_bp": 262
                                                    }
                                                ],
                                                "provisional_rate_years": [
                                                    2010,
                                                    2011,
                                                    2012,
                                                    2013,
                                                    2014,
                                                    2015,
                                                    2025,
                                                    2026
                                                ],
                                                "as_of": "2026-11-27"
                                            },
                                            "info_total_fen": 16579469,
                                            "info_proposed_by": 31,
                                            "info_proposed_at": "2026-11-27T03:00:12.004511Z",
                                            "info_approved_by": null,
                                            "info_approved_at": null,
                                            "info_received_at": null,
                                            "funds_sent_fen": null,
                                            "funds_sent_at": null,
                                            "funds_received_fen": null,
                                            "funds_received_at": null,
                                            "requested_at": "2026-11-27T02:10:41.120931Z",
                                            "completed_at": null,
                                            "due_since": "2026-11-27T02:10:41.120931Z",
                                            "working_days_waiting": 0,
                                            "overdue": false,
                                            "waiting_for": "info",
                                            "other_city": {
                                                "code": "411600",
                                                "name_zh": "周口市",
                                                "name_en": "Zhoukou"
                                            },
                                            "refused_code": null,
                                            "refused_reason": null,
                                            "answered_at": null
                                        }
                                    ]
                                }
                            }
                        }
                    }
                }
            },
            "400": r("responses/BadRequest"),
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
                            "side": {
                                "summary": "Unknown side (transfer.side)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "方向只能是转入（in）或转出（out）",
                                        "fields": [
                                            {
                                                "field": "side",
                                                "code": "transfer.side",
                                                "label": "方向",
                                                "message": "方向只能是转入（in）或转出（out）"
                                            }
                                        ]
                                    }
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

fn get_transfer(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "getTransfer",
        "summary": "One transfer, this city's side",
        "description": "This city's side of the transfer, with the step waiting (`waiting_for`), the working days waiting and whether it is overdue (more than 15 working days, Monday–Friday; public holidays not modelled). 404 when this city holds no side of it.\n\n**Permission:** any of `transfer.request`, `transfer.process`, `transfer.approve` (roles: clerk, reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "This city's side.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::transfers::TransferView>(),
                        "examples": {
                            "overdue": {
                                "summary": "Waiting for the other city for 30 working days",
                                "value": {
                                    "id": 9,
                                    "uid": "c3a1e2d4-5f60-4b7a-8c9d-0e1f2a3b4c5d",
                                    "side": "in",
                                    "other_tenant_id": 11,
                                    "person_id": 2051,
                                    "id_number": "411002198201010373",
                                    "person_name": "钱等待",
                                    "state": "requested",
                                    "info": null,
                                    "info_total_fen": null,
                                    "info_proposed_by": null,
                                    "info_proposed_at": null,
                                    "info_approved_by": null,
                                    "info_approved_at": null,
                                    "info_received_at": null,
                                    "funds_sent_fen": null,
                                    "funds_sent_at": null,
                                    "funds_received_fen": null,
                                    "funds_received_at": null,
                                    "requested_at": "2026-10-16T02:00:00.000000Z",
                                    "completed_at": null,
                                    "due_since": "2026-10-16T02:00:00.000000Z",
                                    "working_days_waiting": 30,
                                    "overdue": true,
                                    "waiting_for": "other_city",
                                    "other_city": {
                                        "code": "411000",
                                        "name_zh": "许昌市",
                                        "name_en": "Xuchang"
                                    },
                                    "refused_code": null,
                                    "refused_reason": null,
                                    "answered_at": null
                                }
                            },
                            "completed": {
                                "summary": "Completed at Zhoukou",
                                "value": {
                                    "id": 7,
                                    "uid": "5b0f3c2e-8d4a-4e61-9a57-0c3f2d1e9b84",
                                    "side": "in",
                                    "other_tenant_id": 11,
                                    "person_id": 2048,
                                    "id_number": "411002198001010312",
                                    "person_name": "周迁移",
                                    "state": "completed",
                                    "info": {
                                        "months": 120,
                                        "pooled_months": 120,
                                        "pooled_base_sum_fen": 60000000,
                                        "years": [
                                            {
                                                "year": 2010,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            },
                                            {
                                                "year": 2011,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            }
                                        ],
                                        "periods": [
                                            {
                                                "period": "2010-01-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            },
                                            {
                                                "period": "2010-02-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            }
                                        ],
                                        "personal_account_fen": 9379469,
                                        "pooled_fund_fen": 7200000,
                                        "total_fen": 16579469,
                                        "interest": [
                                            {
                                                "year": 2010,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2016,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2026,
                                                "rate_bp": 262
                                            }
                                        ],
                                        "provisional_rate_years": [
                                            2010,
                                            2011,
                                            2012,
                                            2013,
                                            2014,
                                            2015,
                                            2025,
                                            2026
                                        ],
                                        "as_of": "2026-11-27"
                                    },
                                    "info_total_fen": 16579469,
                                    "info_proposed_by": null,
                                    "info_proposed_at": null,
                                    "info_approved_by": null,
                                    "info_approved_at": null,
                                    "info_received_at": "2026-11-27T05:41:09.771203Z",
                                    "funds_sent_fen": 16579469,
                                    "funds_sent_at": "2026-11-27T06:02:33.910412Z",
                                    "funds_received_fen": 16579469,
                                    "funds_received_at": "2026-11-28T01:20:00.118237Z",
                                    "requested_at": "2026-11-27T02:10:41.120931Z",
                                    "completed_at": "2026-11-28T01:25:47.602311Z",
                                    "due_since": "2026-11-28T01:20:00.118237Z",
                                    "working_days_waiting": 0,
                                    "overdue": false,
                                    "waiting_for": "done",
                                    "other_city": {
                                        "code": "411000",
                                        "name_zh": "许昌市",
                                        "name_en": "Xuchang"
                                    },
                                    "refused_code": null,
                                    "refused_reason": null,
                                    "answered_at": null
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

fn accept_transfer_letter(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "acceptTransferLetter",
        "summary": "Accept the contact letter (受理联系函)",
        "description": "At the **sending city** (A): accepts a letter not yet answered. The function `transfer_accept` matches **this city's** person by the letter's identity number and checks, under the identity number's lock: a person with it here (else 422 `transfer.not_insured_here` — refuse the letter with that reason), no pension being paid here (409 `transfer.pension_paid`), no other open transfer of the identity number in any city (409 `transfer.already_open`). Both sides then become `requested` and the steps continue (`waiting_for` `info` here). Audited `transfer.accepted` in both cities. Also 409 `transfer.answered` (answered already), 422 `transfer.wrong_side` at the receiving city. No body is needed.\n\n**Permission:** `transfer.process` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "A's side, now naming A's own person, state `requested`.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::transfers::TransferView>()
                    }
                }
            },
            "409": {
                "description": "Conflict with the transfer's state. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "info_approved": {
                                "summary": "Already approved (transfer.info_approved)",
                                "value": {
                                    "error": {
                                        "code": "transfer.info_approved",
                                        "message": "转移信息已经审核，不能再修改",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.info_approved",
                                                "label": "fields.transfer",
                                                "message": "转移信息已经审核，不能再修改"
                                            }
                                        ]
                                    }
                                }
                            },
                            "closed": {
                                "summary": "The transfer is completed (transfer.closed)",
                                "value": {
                                    "error": {
                                        "code": "transfer.closed",
                                        "message": "这笔转移已经办结",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.closed",
                                                "label": "fields.transfer",
                                                "message": "这笔转移已经办结"
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
                                "summary": "The producer tries to approve (benefit.same_person)",
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
                            "no_info": {
                                "summary": "Nothing produced yet (transfer.no_info)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "尚未收到（或尚未出具）转移信息",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.no_info",
                                                "label": "fields.transfer",
                                                "message": "尚未收到（或尚未出具）转移信息"
                                            }
                                        ]
                                    }
                                }
                            },
                            "wrong_side": {
                                "summary": "A step of the other city (transfer.wrong_side)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "这一步应由另一方城市办理",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.wrong_side",
                                                "label": "fields.transfer",
                                                "message": "这一步应由另一方城市办理"
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

fn refuse_transfer_letter(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "refuseTransferLetter",
        "summary": "Refuse the contact letter (拒绝联系函)",
        "description": "At the **sending city** (A): refuses a letter not yet answered with a reason code — `not_insured_here` (本市无此人参保记录), `pension_paid` (已在本市领取基本养老金), `transfer_open` (已有另一笔转移在办理中) or `other` (with a note) — and an optional note (at most 200 characters). Both sides become `refused`; the receiving city sees `refused_code` and `refused_reason`. Audited `transfer.refused` in both cities (`transfer_refuse`). Refused: an unknown code (422 `transfer.refuse_code` on `code`), `other` without a note or a note too long (422 `transfer.refuse_note` on `note`), answered already (409 `transfer.answered`), at the receiving city (422 `transfer.wrong_side`).\n\n**Permission:** `transfer.process` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "A's side, refused.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::transfers::TransferView>()
                    }
                }
            },
            "409": {
                "description": "Conflict with the transfer's state. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "info_approved": {
                                "summary": "Already approved (transfer.info_approved)",
                                "value": {
                                    "error": {
                                        "code": "transfer.info_approved",
                                        "message": "转移信息已经审核，不能再修改",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.info_approved",
                                                "label": "fields.transfer",
                                                "message": "转移信息已经审核，不能再修改"
                                            }
                                        ]
                                    }
                                }
                            },
                            "closed": {
                                "summary": "The transfer is completed (transfer.closed)",
                                "value": {
                                    "error": {
                                        "code": "transfer.closed",
                                        "message": "这笔转移已经办结",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.closed",
                                                "label": "fields.transfer",
                                                "message": "这笔转移已经办结"
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
                                "summary": "The producer tries to approve (benefit.same_person)",
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
                            "no_info": {
                                "summary": "Nothing produced yet (transfer.no_info)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "尚未收到（或尚未出具）转移信息",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.no_info",
                                                "label": "fields.transfer",
                                                "message": "尚未收到（或尚未出具）转移信息"
                                            }
                                        ]
                                    }
                                }
                            },
                            "wrong_side": {
                                "summary": "A step of the other city (transfer.wrong_side)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "这一步应由另一方城市办理",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.wrong_side",
                                                "label": "fields.transfer",
                                                "message": "这一步应由另一方城市办理"
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
        },
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::transfers::RefuseInput>(),
                    "examples": {
                        "not_insured": {
                            "summary": "Not insured here",
                            "value": {
                                "code": "not_insured_here",
                                "note": "经核查本市无此人参保记录"
                            }
                        }
                    }
                }
            }
        }
    })
}

fn produce_transfer_information(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "produceTransferInformation",
        "summary": "Produce the transfer information (出具转移信息)",
        "description": "At the **sending city** (A): computes the transfer information from this city's pension months of its person — months and bases per year and per month, the personal account with interest, the pooled fund (12% of the bases since 1998-01, docs/rules.md §9: 120 months at 5,000.00 → 72,000.00) and the total — and stores it as produced by the caller. May be produced again (replacing it) until approved. No body is needed (any is ignored). Audited here (`transfer.info_proposed`). Refused: at the receiving city (422 `transfer.wrong_side`), no pension months here (422 `transfer.no_contributions`), no benefit parameters (422 `benefit.no_parameters`), already approved (409 `transfer.info_approved`), completed (409 `transfer.closed`), the letter not yet accepted (409 `transfer.letter_pending`).\n\n**Permission:** `transfer.process` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "A's side with the information.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::transfers::TransferView>(),
                        "examples": {
                            "produced": {
                                "summary": "120 months at 5,000: pooled fund 72,000.00",
                                "value": {
                                    "id": 41,
                                    "uid": "5b0f3c2e-8d4a-4e61-9a57-0c3f2d1e9b84",
                                    "side": "out",
                                    "other_tenant_id": 17,
                                    "person_id": 1033,
                                    "id_number": "411002198001010312",
                                    "person_name": "周迁移",
                                    "state": "requested",
                                    "info": {
                                        "months": 120,
                                        "pooled_months": 120,
                                        "pooled_base_sum_fen": 60000000,
                                        "years": [
                                            {
                                                "year": 2010,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            },
                                            {
                                                "year": 2011,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            }
                                        ],
                                        "periods": [
                                            {
                                                "period": "2010-01-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            },
                                            {
                                                "period": "2010-02-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            }
                                        ],
                                        "personal_account_fen": 9379469,
                                        "pooled_fund_fen": 7200000,
                                        "total_fen": 16579469,
                                        "interest": [
                                            {
                                                "year": 2010,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2016,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2026,
                                                "rate_bp": 262
                                            }
                                        ],
                                        "provisional_rate_years": [
                                            2010,
                                            2011,
                                            2012,
                                            2013,
                                            2014,
                                            2015,
                                            2025,
                                            2026
                                        ],
                                        "as_of": "2026-11-27"
                                    },
                                    "info_total_fen": 16579469,
                                    "info_proposed_by": 31,
                                    "info_proposed_at": "2026-11-27T03:00:12.004511Z",
                                    "info_approved_by": null,
                                    "info_approved_at": null,
                                    "info_received_at": null,
                                    "funds_sent_fen": null,
                                    "funds_sent_at": null,
                                    "funds_received_fen": null,
                                    "funds_received_at": null,
                                    "requested_at": "2026-11-27T02:10:41.120931Z",
                                    "completed_at": null,
                                    "due_since": "2026-11-27T02:10:41.120931Z",
                                    "working_days_waiting": 0,
                                    "overdue": false,
                                    "waiting_for": "info",
                                    "other_city": {
                                        "code": "411600",
                                        "name_zh": "周口市",
                                        "name_en": "Zhoukou"
                                    },
                                    "refused_code": null,
                                    "refused_reason": null,
                                    "answered_at": null
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "Conflict with the transfer's state. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "info_approved": {
                                "summary": "Already approved (transfer.info_approved)",
                                "value": {
                                    "error": {
                                        "code": "transfer.info_approved",
                                        "message": "转移信息已经审核，不能再修改",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.info_approved",
                                                "label": "fields.transfer",
                                                "message": "转移信息已经审核，不能再修改"
                                            }
                                        ]
                                    }
                                }
                            },
                            "closed": {
                                "summary": "The transfer is completed (transfer.closed)",
                                "value": {
                                    "error": {
                                        "code": "transfer.closed",
                                        "message": "这笔转移已经办结",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.closed",
                                                "label": "fields.transfer",
                                                "message": "这笔转移已经办结"
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
                            "wrong_side": {
                                "summary": "A step of the other city (transfer.wrong_side)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "这一步应由另一方城市办理",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.wrong_side",
                                                "label": "fields.transfer",
                                                "message": "这一步应由另一方城市办理"
                                            }
                                        ]
                                    }
                                }
                            },
                            "no_contributions": {
                                "summary": "No pension months here (transfer.no_contributions)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "本市没有此人的养老保险缴费记录，无法出具转移信息",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.no_contributions",
                                                "label": "fields.transfer",
                                                "message": "本市没有此人的养老保险缴费记录，无法出具转移信息"
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

fn approve_transfer_information(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "approveTransferInformation",
        "summary": "Approve the transfer information (复核)",
        "description": "At the **sending city** (A), by **another person** than the one who produced it (maker-checker; also a table constraint). On approval the information and its total are handed to the receiving city (`transfer_send_info`, audit rows `transfer.info_approved` here and `transfer.info_received` there). No body is needed. Refused: nothing produced yet (422 `transfer.no_info`), the caller produced it (422 `benefit.same_person` on `decided_by`), already approved (409 `transfer.info_approved`), at the receiving city (422 `transfer.wrong_side`), completed (409 `transfer.closed`), the letter not yet accepted (409 `transfer.letter_pending`).\n\n**Permission:** `transfer.approve` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "A's side, approved.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::transfers::TransferView>(),
                        "examples": {
                            "approved": {
                                "summary": "Approved; funds not yet sent",
                                "value": {
                                    "id": 41,
                                    "uid": "5b0f3c2e-8d4a-4e61-9a57-0c3f2d1e9b84",
                                    "side": "out",
                                    "other_tenant_id": 17,
                                    "person_id": 1033,
                                    "id_number": "411002198001010312",
                                    "person_name": "周迁移",
                                    "state": "requested",
                                    "info": {
                                        "months": 120,
                                        "pooled_months": 120,
                                        "pooled_base_sum_fen": 60000000,
                                        "years": [
                                            {
                                                "year": 2010,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            },
                                            {
                                                "year": 2011,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            }
                                        ],
                                        "periods": [
                                            {
                                                "period": "2010-01-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            },
                                            {
                                                "period": "2010-02-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            }
                                        ],
                                        "personal_account_fen": 9379469,
                                        "pooled_fund_fen": 7200000,
                                        "total_fen": 16579469,
                                        "interest": [
                                            {
                                                "year": 2010,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2016,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2026,
                                                "rate_bp": 262
                                            }
                                        ],
                                        "provisional_rate_years": [
                                            2010,
                                            2011,
                                            2012,
                                            2013,
                                            2014,
                                            2015,
                                            2025,
                                            2026
                                        ],
                                        "as_of": "2026-11-27"
                                    },
                                    "info_total_fen": 16579469,
                                    "info_proposed_by": 31,
                                    "info_proposed_at": "2026-11-27T03:00:12.004511Z",
                                    "info_approved_by": 32,
                                    "info_approved_at": "2026-11-27T05:41:09.771203Z",
                                    "info_received_at": null,
                                    "funds_sent_fen": null,
                                    "funds_sent_at": null,
                                    "funds_received_fen": null,
                                    "funds_received_at": null,
                                    "requested_at": "2026-11-27T02:10:41.120931Z",
                                    "completed_at": null,
                                    "due_since": "2026-11-27T05:41:09.771203Z",
                                    "working_days_waiting": 0,
                                    "overdue": false,
                                    "waiting_for": "funds_sent",
                                    "other_city": {
                                        "code": "411600",
                                        "name_zh": "周口市",
                                        "name_en": "Zhoukou"
                                    },
                                    "refused_code": null,
                                    "refused_reason": null,
                                    "answered_at": null
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "Conflict with the transfer's state. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "info_approved": {
                                "summary": "Already approved (transfer.info_approved)",
                                "value": {
                                    "error": {
                                        "code": "transfer.info_approved",
                                        "message": "转移信息已经审核，不能再修改",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.info_approved",
                                                "label": "fields.transfer",
                                                "message": "转移信息已经审核，不能再修改"
                                            }
                                        ]
                                    }
                                }
                            },
                            "closed": {
                                "summary": "The transfer is completed (transfer.closed)",
                                "value": {
                                    "error": {
                                        "code": "transfer.closed",
                                        "message": "这笔转移已经办结",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.closed",
                                                "label": "fields.transfer",
                                                "message": "这笔转移已经办结"
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
                                "summary": "The producer tries to approve (benefit.same_person)",
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
                            "no_info": {
                                "summary": "Nothing produced yet (transfer.no_info)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "尚未收到（或尚未出具）转移信息",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.no_info",
                                                "label": "fields.transfer",
                                                "message": "尚未收到（或尚未出具）转移信息"
                                            }
                                        ]
                                    }
                                }
                            },
                            "wrong_side": {
                                "summary": "A step of the other city (transfer.wrong_side)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "这一步应由另一方城市办理",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.wrong_side",
                                                "label": "fields.transfer",
                                                "message": "这一步应由另一方城市办理"
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

fn record_transfer_funds_sent(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "recordTransferFundsSent",
        "summary": "Record the transfer funds as sent (登记划出资金)",
        "description": "At the **sending city** (A), once the letter is accepted: records the amount sent; the receiving city is told the amount and the time (`transfer_funds_sent`; audit rows `transfer.funds_sent` here, `transfer.funds_notified` there). Recorded again it corrects the amount (audited with the old and the new amount; the receiving city is told again) until the transfer is completed. Independent of the information: funds and information travel separately and in either order. Refused: the letter not yet accepted (409 `transfer.letter_pending`), at the receiving city (422 `transfer.wrong_side`), completed (409 `transfer.closed`), amount missing or not yuan (422 `required`, `money.format`).\n\n**Permission:** `transfer.process` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::transfers::FundsInput>(),
                    "examples": {
                        "amount": {
                            "summary": "The information's total",
                            "value": {
                                "amount": "165794.69"
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
            "200": {
                "description": "A's side.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::transfers::TransferView>(),
                        "examples": {
                            "sent": {
                                "summary": "Information approved and funds sent",
                                "value": {
                                    "id": 41,
                                    "uid": "5b0f3c2e-8d4a-4e61-9a57-0c3f2d1e9b84",
                                    "side": "out",
                                    "other_tenant_id": 17,
                                    "person_id": 1033,
                                    "id_number": "411002198001010312",
                                    "person_name": "周迁移",
                                    "state": "requested",
                                    "info": {
                                        "months": 120,
                                        "pooled_months": 120,
                                        "pooled_base_sum_fen": 60000000,
                                        "years": [
                                            {
                                                "year": 2010,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            },
                                            {
                                                "year": 2011,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            }
                                        ],
                                        "periods": [
                                            {
                                                "period": "2010-01-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            },
                                            {
                                                "period": "2010-02-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            }
                                        ],
                                        "personal_account_fen": 9379469,
                                        "pooled_fund_fen": 7200000,
                                        "total_fen": 16579469,
                                        "interest": [
                                            {
                                                "year": 2010,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2016,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2026,
                                                "rate_bp": 262
                                            }
                                        ],
                                        "provisional_rate_years": [
                                            2010,
                                            2011,
                                            2012,
                                            2013,
                                            2014,
                                            2015,
                                            2025,
                                            2026
                                        ],
                                        "as_of": "2026-11-27"
                                    },
                                    "info_total_fen": 16579469,
                                    "info_proposed_by": 31,
                                    "info_proposed_at": "2026-11-27T03:00:12.004511Z",
                                    "info_approved_by": 32,
                                    "info_approved_at": "2026-11-27T05:41:09.771203Z",
                                    "info_received_at": null,
                                    "funds_sent_fen": 16579469,
                                    "funds_sent_at": "2026-11-27T06:02:33.910412Z",
                                    "funds_received_fen": null,
                                    "funds_received_at": null,
                                    "requested_at": "2026-11-27T02:10:41.120931Z",
                                    "completed_at": null,
                                    "due_since": "2026-11-27T06:02:33.910412Z",
                                    "working_days_waiting": 0,
                                    "overdue": false,
                                    "waiting_for": "other_city",
                                    "other_city": {
                                        "code": "411600",
                                        "name_zh": "周口市",
                                        "name_en": "Zhoukou"
                                    },
                                    "refused_code": null,
                                    "refused_reason": null,
                                    "answered_at": null
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "Conflict with the transfer's state. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "funds_sent": {
                                "summary": "Sent already (transfer.funds_sent)",
                                "value": {
                                    "error": {
                                        "code": "transfer.funds_sent",
                                        "message": "转移资金已登记为已划出",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.funds_sent",
                                                "label": "fields.transfer",
                                                "message": "转移资金已登记为已划出"
                                            }
                                        ]
                                    }
                                }
                            },
                            "closed": {
                                "summary": "The transfer is completed (transfer.closed)",
                                "value": {
                                    "error": {
                                        "code": "transfer.closed",
                                        "message": "这笔转移已经办结",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.closed",
                                                "label": "fields.transfer",
                                                "message": "这笔转移已经办结"
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
                            "amount": {
                                "summary": "Not an amount (money.format)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "金额格式不正确，应为元，最多保留两位小数",
                                        "fields": [
                                            {
                                                "field": "amount",
                                                "code": "money.format",
                                                "label": "金额",
                                                "message": "金额格式不正确，应为元，最多保留两位小数"
                                            }
                                        ]
                                    }
                                }
                            },
                            "wrong_side": {
                                "summary": "A step of the other city (transfer.wrong_side)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "这一步应由另一方城市办理",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.wrong_side",
                                                "label": "fields.transfer",
                                                "message": "这一步应由另一方城市办理"
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

fn record_transfer_funds_received(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "recordTransferFundsReceived",
        "summary": "Record the transfer funds as received (登记收到资金)",
        "description": "At the **receiving city** (B), once the sending city has sent them. Recording again corrects the amount (audited with the old and the new amount, `transfer.funds_received`). Refused: not sent yet (409 `transfer.funds_not_sent`), at the sending city (422 `transfer.wrong_side`), completed (409 `transfer.closed`), amount missing or not yuan (422).\n\n**Permission:** `transfer.request` (roles: clerk, reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::transfers::FundsInput>(),
                    "examples": {
                        "amount": {
                            "summary": "The information's total",
                            "value": {
                                "amount": "165794.69"
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
            "200": {
                "description": "B's side.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::transfers::TransferView>(),
                        "examples": {
                            "received": {
                                "summary": "Information and funds in: ready to complete",
                                "value": {
                                    "id": 7,
                                    "uid": "5b0f3c2e-8d4a-4e61-9a57-0c3f2d1e9b84",
                                    "side": "in",
                                    "other_tenant_id": 11,
                                    "person_id": 2048,
                                    "id_number": "411002198001010312",
                                    "person_name": "周迁移",
                                    "state": "requested",
                                    "info": {
                                        "months": 120,
                                        "pooled_months": 120,
                                        "pooled_base_sum_fen": 60000000,
                                        "years": [
                                            {
                                                "year": 2010,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            },
                                            {
                                                "year": 2011,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            }
                                        ],
                                        "periods": [
                                            {
                                                "period": "2010-01-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            },
                                            {
                                                "period": "2010-02-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            }
                                        ],
                                        "personal_account_fen": 9379469,
                                        "pooled_fund_fen": 7200000,
                                        "total_fen": 16579469,
                                        "interest": [
                                            {
                                                "year": 2010,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2016,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2026,
                                                "rate_bp": 262
                                            }
                                        ],
                                        "provisional_rate_years": [
                                            2010,
                                            2011,
                                            2012,
                                            2013,
                                            2014,
                                            2015,
                                            2025,
                                            2026
                                        ],
                                        "as_of": "2026-11-27"
                                    },
                                    "info_total_fen": 16579469,
                                    "info_proposed_by": null,
                                    "info_proposed_at": null,
                                    "info_approved_by": null,
                                    "info_approved_at": null,
                                    "info_received_at": "2026-11-27T05:41:09.771203Z",
                                    "funds_sent_fen": 16579469,
                                    "funds_sent_at": "2026-11-27T06:02:33.910412Z",
                                    "funds_received_fen": 16579469,
                                    "funds_received_at": "2026-11-28T01:20:00.118237Z",
                                    "requested_at": "2026-11-27T02:10:41.120931Z",
                                    "completed_at": null,
                                    "due_since": "2026-11-28T01:20:00.118237Z",
                                    "working_days_waiting": 0,
                                    "overdue": false,
                                    "waiting_for": "complete",
                                    "other_city": {
                                        "code": "411000",
                                        "name_zh": "许昌市",
                                        "name_en": "Xuchang"
                                    },
                                    "refused_code": null,
                                    "refused_reason": null,
                                    "answered_at": null
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "Conflict with the transfer's state. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "funds_not_sent": {
                                "summary": "Not sent yet (transfer.funds_not_sent)",
                                "value": {
                                    "error": {
                                        "code": "transfer.funds_not_sent",
                                        "message": "调出地尚未划出转移资金",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.funds_not_sent",
                                                "label": "fields.transfer",
                                                "message": "调出地尚未划出转移资金"
                                            }
                                        ]
                                    }
                                }
                            },
                            "closed": {
                                "summary": "The transfer is completed (transfer.closed)",
                                "value": {
                                    "error": {
                                        "code": "transfer.closed",
                                        "message": "这笔转移已经办结",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.closed",
                                                "label": "fields.transfer",
                                                "message": "这笔转移已经办结"
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
                            "amount": {
                                "summary": "Not an amount (money.format)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "金额格式不正确，应为元，最多保留两位小数",
                                        "fields": [
                                            {
                                                "field": "amount",
                                                "code": "money.format",
                                                "label": "金额",
                                                "message": "金额格式不正确，应为元，最多保留两位小数"
                                            }
                                        ]
                                    }
                                }
                            },
                            "wrong_side": {
                                "summary": "A step of the other city (transfer.wrong_side)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "这一步应由另一方城市办理",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.wrong_side",
                                                "label": "fields.transfer",
                                                "message": "这一步应由另一方城市办理"
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

fn complete_transfer(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "completeTransfer",
        "summary": "Check and complete the transfer (核对办结)",
        "description": "At the **receiving city** (B): checks the information has arrived (409 `transfer.no_info`), the funds are recorded as received (409 `transfer.funds_not_received`) and equal the information's total to the fen (409 `transfer.mismatch`) and the amount the sending city recorded as sent (409 `transfer.sent_mismatch`). `transfer_finish` checks both sides again itself — among others that the sending city's own side records the funds as sent with that amount — and closes both (422 `transfer.not_ready` otherwise). Then, in one transaction: the months are written into this city's record (`transferred_period`, counted with the person's own months for pension), both sides become `completed`, the sending city's active pension enrolment of the person is stopped with reason `transferred` (`transfer_finish`), the statistics `transfers_in`/`transfers_out` count it, the timeline shows `transfer_in` here (and one `transferred_years` entry per year naming the sending city) and `transfer_out` there, and both cities audit `transfer.completed`. No body is needed. Also 422 `transfer.wrong_side` at the sending city, 409 `transfer.closed` when completed.\n\n**Permission:** `transfer.request` (roles: clerk, reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "B's side, completed.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::transfers::TransferView>(),
                        "examples": {
                            "completed": {
                                "summary": "Completed",
                                "value": {
                                    "id": 7,
                                    "uid": "5b0f3c2e-8d4a-4e61-9a57-0c3f2d1e9b84",
                                    "side": "in",
                                    "other_tenant_id": 11,
                                    "person_id": 2048,
                                    "id_number": "411002198001010312",
                                    "person_name": "周迁移",
                                    "state": "completed",
                                    "info": {
                                        "months": 120,
                                        "pooled_months": 120,
                                        "pooled_base_sum_fen": 60000000,
                                        "years": [
                                            {
                                                "year": 2010,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            },
                                            {
                                                "year": 2011,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            }
                                        ],
                                        "periods": [
                                            {
                                                "period": "2010-01-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            },
                                            {
                                                "period": "2010-02-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            }
                                        ],
                                        "personal_account_fen": 9379469,
                                        "pooled_fund_fen": 7200000,
                                        "total_fen": 16579469,
                                        "interest": [
                                            {
                                                "year": 2010,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2016,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2026,
                                                "rate_bp": 262
                                            }
                                        ],
                                        "provisional_rate_years": [
                                            2010,
                                            2011,
                                            2012,
                                            2013,
                                            2014,
                                            2015,
                                            2025,
                                            2026
                                        ],
                                        "as_of": "2026-11-27"
                                    },
                                    "info_total_fen": 16579469,
                                    "info_proposed_by": null,
                                    "info_proposed_at": null,
                                    "info_approved_by": null,
                                    "info_approved_at": null,
                                    "info_received_at": "2026-11-27T05:41:09.771203Z",
                                    "funds_sent_fen": 16579469,
                                    "funds_sent_at": "2026-11-27T06:02:33.910412Z",
                                    "funds_received_fen": 16579469,
                                    "funds_received_at": "2026-11-28T01:20:00.118237Z",
                                    "requested_at": "2026-11-27T02:10:41.120931Z",
                                    "completed_at": "2026-11-28T01:25:47.602311Z",
                                    "due_since": "2026-11-28T01:20:00.118237Z",
                                    "working_days_waiting": 0,
                                    "overdue": false,
                                    "waiting_for": "done",
                                    "other_city": {
                                        "code": "411000",
                                        "name_zh": "许昌市",
                                        "name_en": "Xuchang"
                                    },
                                    "refused_code": null,
                                    "refused_reason": null,
                                    "answered_at": null
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "Conflict with the transfer's state. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "mismatch": {
                                "summary": "Funds received differ from the information (transfer.mismatch)",
                                "value": {
                                    "error": {
                                        "code": "transfer.mismatch",
                                        "message": "收到的资金与转移信息的金额不一致，请核实后更正",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.mismatch",
                                                "label": "fields.transfer",
                                                "message": "收到的资金与转移信息的金额不一致，请核实后更正"
                                            }
                                        ]
                                    }
                                }
                            },
                            "no_info": {
                                "summary": "The information has not arrived (transfer.no_info)",
                                "value": {
                                    "error": {
                                        "code": "transfer.no_info",
                                        "message": "尚未收到（或尚未出具）转移信息",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.no_info",
                                                "label": "fields.transfer",
                                                "message": "尚未收到（或尚未出具）转移信息"
                                            }
                                        ]
                                    }
                                }
                            },
                            "funds_not_received": {
                                "summary": "No funds recorded as received (transfer.funds_not_received)",
                                "value": {
                                    "error": {
                                        "code": "transfer.funds_not_received",
                                        "message": "尚未登记收到转移资金",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.funds_not_received",
                                                "label": "fields.transfer",
                                                "message": "尚未登记收到转移资金"
                                            }
                                        ]
                                    }
                                }
                            },
                            "closed": {
                                "summary": "The transfer is completed (transfer.closed)",
                                "value": {
                                    "error": {
                                        "code": "transfer.closed",
                                        "message": "这笔转移已经办结",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.closed",
                                                "label": "fields.transfer",
                                                "message": "这笔转移已经办结"
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
                            "wrong_side": {
                                "summary": "A step of the other city (transfer.wrong_side)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "这一步应由另一方城市办理",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.wrong_side",
                                                "label": "fields.transfer",
                                                "message": "这一步应由另一方城市办理"
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

fn cancel_transfer(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "transfers"
        ],
        "operationId": "cancelTransfer",
        "summary": "Withdraw an open transfer (either city)",
        "description": "Either city withdraws an open transfer with a reason (1–200 characters); the receiving city may also withdraw a letter not yet answered (the sending city answers a letter by accepting or refusing it: 422 `transfer.wrong_side`). Both sides close as `refused` with `refused_code` `withdrawn`, audited in both cities, and the person is free for another transfer. Refused with 409 `transfer.funds_received` once the sending city has recorded the funds as sent, and 409 `transfer.closed` on a closed transfer. Any transfer permission.",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "B's side, completed.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_app::transfers::TransferView>(),
                        "examples": {
                            "completed": {
                                "summary": "Completed",
                                "value": {
                                    "id": 7,
                                    "uid": "5b0f3c2e-8d4a-4e61-9a57-0c3f2d1e9b84",
                                    "side": "in",
                                    "other_tenant_id": 11,
                                    "person_id": 2048,
                                    "id_number": "411002198001010312",
                                    "person_name": "周迁移",
                                    "state": "completed",
                                    "info": {
                                        "months": 120,
                                        "pooled_months": 120,
                                        "pooled_base_sum_fen": 60000000,
                                        "years": [
                                            {
                                                "year": 2010,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            },
                                            {
                                                "year": 2011,
                                                "months": 12,
                                                "base_sum": 6000000,
                                                "pooled": true
                                            }
                                        ],
                                        "periods": [
                                            {
                                                "period": "2010-01-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            },
                                            {
                                                "period": "2010-02-01",
                                                "base_fen": 500000,
                                                "employee_fen": 40000
                                            }
                                        ],
                                        "personal_account_fen": 9379469,
                                        "pooled_fund_fen": 7200000,
                                        "total_fen": 16579469,
                                        "interest": [
                                            {
                                                "year": 2010,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2016,
                                                "rate_bp": 831
                                            },
                                            {
                                                "year": 2026,
                                                "rate_bp": 262
                                            }
                                        ],
                                        "provisional_rate_years": [
                                            2010,
                                            2011,
                                            2012,
                                            2013,
                                            2014,
                                            2015,
                                            2025,
                                            2026
                                        ],
                                        "as_of": "2026-11-27"
                                    },
                                    "info_total_fen": 16579469,
                                    "info_proposed_by": null,
                                    "info_proposed_at": null,
                                    "info_approved_by": null,
                                    "info_approved_at": null,
                                    "info_received_at": "2026-11-27T05:41:09.771203Z",
                                    "funds_sent_fen": 16579469,
                                    "funds_sent_at": "2026-11-27T06:02:33.910412Z",
                                    "funds_received_fen": 16579469,
                                    "funds_received_at": "2026-11-28T01:20:00.118237Z",
                                    "requested_at": "2026-11-27T02:10:41.120931Z",
                                    "completed_at": "2026-11-28T01:25:47.602311Z",
                                    "due_since": "2026-11-28T01:20:00.118237Z",
                                    "working_days_waiting": 0,
                                    "overdue": false,
                                    "waiting_for": "done",
                                    "other_city": {
                                        "code": "411000",
                                        "name_zh": "许昌市",
                                        "name_en": "Xuchang"
                                    },
                                    "refused_code": null,
                                    "refused_reason": null,
                                    "answered_at": null
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "Conflict with the transfer's state. `code` is the specific conflict code and `fields` names the field concerned.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "mismatch": {
                                "summary": "Funds received differ from the information (transfer.mismatch)",
                                "value": {
                                    "error": {
                                        "code": "transfer.mismatch",
                                        "message": "收到的资金与转移信息的金额不一致，请核实后更正",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.mismatch",
                                                "label": "fields.transfer",
                                                "message": "收到的资金与转移信息的金额不一致，请核实后更正"
                                            }
                                        ]
                                    }
                                }
                            },
                            "no_info": {
                                "summary": "The information has not arrived (transfer.no_info)",
                                "value": {
                                    "error": {
                                        "code": "transfer.no_info",
                                        "message": "尚未收到（或尚未出具）转移信息",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.no_info",
                                                "label": "fields.transfer",
                                                "message": "尚未收到（或尚未出具）转移信息"
                                            }
                                        ]
                                    }
                                }
                            },
                            "funds_not_received": {
                                "summary": "No funds recorded as received (transfer.funds_not_received)",
                                "value": {
                                    "error": {
                                        "code": "transfer.funds_not_received",
                                        "message": "尚未登记收到转移资金",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.funds_not_received",
                                                "label": "fields.transfer",
                                                "message": "尚未登记收到转移资金"
                                            }
                                        ]
                                    }
                                }
                            },
                            "closed": {
                                "summary": "The transfer is completed (transfer.closed)",
                                "value": {
                                    "error": {
                                        "code": "transfer.closed",
                                        "message": "这笔转移已经办结",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.closed",
                                                "label": "fields.transfer",
                                                "message": "这笔转移已经办结"
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
                            "wrong_side": {
                                "summary": "A step of the other city (transfer.wrong_side)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "这一步应由另一方城市办理",
                                        "fields": [
                                            {
                                                "field": "transfer",
                                                "code": "transfer.wrong_side",
                                                "label": "fields.transfer",
                                                "message": "这一步应由另一方城市办理"
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
        },
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                            "reason"
                        ],
                        "properties": {
                            "reason": {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": 200
                            }
                        }
                    },
                    "example": {
                        "reason": "申请人放弃转移"
                    }
                }
            }
        }
    })
}

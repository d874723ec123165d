//! Operations tagged `reconciliation`: Bank statements of the fund's accounts matched with the books, mismatches with handlers, resolution notes, sign-off (对账).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let parameters = json!([
        {
            "name": "account",
            "in": "path",
            "required": true,
            "schema": d.input::<crate::api::reconciliation::BankAccount>(),
            "description": "`income`, `expenditure` or `finance` (anything else: 404)."
        }
    ]);
    d.path_parameters("/api/v1/bank/statements/{account}", parameters);
    let op = import_bank_statement(d);
    d.op("post", "/api/v1/bank/statements/{account}", op);
    let parameters = json!([r("parameters/ReconciliationPeriod")]);
    d.path_parameters("/api/v1/reconciliation/{period}", parameters);
    let op = get_reconciliation(d);
    d.op("get", "/api/v1/reconciliation/{period}", op);
    let parameters = json!([
        r("parameters/ReconciliationPeriod"),
        {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": d.input::<crate::api::reconciliation::ItemKind>()
        },
        {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
                "type": "integer",
                "format": "int64",
                "minimum": 0
            },
            "description": "The item's `item_id` (0 for `income_not_emptied`)."
        }
    ]);
    d.path_parameters("/api/v1/reconciliation/{period}/items/{kind}/{id}/resolve", parameters);
    let op = resolve_reconciliation_item(d);
    d.op("post", "/api/v1/reconciliation/{period}/items/{kind}/{id}/resolve", op);
    let parameters = json!([r("parameters/ReconciliationPeriod")]);
    d.path_parameters("/api/v1/reconciliation/{period}/sign-off", parameters);
    let op = sign_off_reconciliation(d);
    d.op("post", "/api/v1/reconciliation/{period}/sign-off", op);
}

fn import_bank_statement(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "reconciliation"
        ],
        "operationId": "importBankStatement",
        "summary": "Import a bank statement (导入银行对账单)",
        "description": "The request body is the bank's statement CSV of one account (any content type; UTF-8 with or without BOM, or GBK/GB18030; at most 16 MiB): columns `交易日期` (`记账日期`, `date`: 2026-11-05, 2026/11/05 or 20261105), `交易流水号` (`流水号`, `reference`), `借方发生额` (`借方金额`, `支出`, `debit`), `贷方发生额` (`贷方金额`, `收入`, `credit`), optional `余额` (`balance`, may be negative), `对方户名` (`counterparty`), `摘要` (`memo`), in any order. Amounts in yuan (thousands separators accepted; empty = 0); each row has a debit or a credit, not both. **All or nothing:** if a row cannot be read nothing is imported (422 with `StatementProblems`). A reference already imported for the account with the same date and amounts is `present`; with other ones it is not changed and listed in `conflicts`. Lines are never changed or deleted. Audited (`bank.statement_import`). Format: docs/payment-files.md.\n\n**Permission:** `reconciliation.run` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "text/csv": {
                    "schema": {
                        "type": "string",
                        "format": "binary"
                    },
                    "examples": {
                        "income": {
                            "summary": "Income account, November",
                            "value": "交易日期,交易流水号,对方户名,借方发生额,贷方发生额,余额,摘要\n2026-11-05,C001,许昌纺织厂,,1770.00,1770.00,社保费\n2026-11-07,C999,不明来款,,300.00,2070.00,\n2026-11-30,T001,财政专户,1770.00,,300.00,划转\n"
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Imported.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::reconciliation::StatementImported>(),
                        "examples": {
                            "first": {
                                "summary": "Three new lines",
                                "value": {
                                    "applied": true,
                                    "inserted": 3,
                                    "present": 0,
                                    "conflicts": []
                                }
                            },
                            "again": {
                                "summary": "The same file again",
                                "value": {
                                    "applied": true,
                                    "inserted": 0,
                                    "present": 3,
                                    "conflicts": []
                                }
                            },
                            "conflict": {
                                "summary": "C001 again with another amount",
                                "value": {
                                    "applied": true,
                                    "inserted": 0,
                                    "present": 0,
                                    "conflicts": [
                                        "C001"
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
            "422": {
                "description": "Rows that could not be read (`StatementProblems`, nothing imported), or a header without the required columns (`Error`, `bank.statement_header` or `csv.header` on field `file`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                d.output::<crate::api::reconciliation::StatementProblems>(),
                                d.output::<crate::error::ErrorBody>()
                            ]
                        },
                        "examples": {
                            "rows": {
                                "summary": "An impossible date in row 2",
                                "value": {
                                    "applied": false,
                                    "problems": [
                                        {
                                            "row": 2,
                                            "code": "date.format"
                                        }
                                    ]
                                }
                            },
                            "header": {
                                "summary": "Required columns missing (bank.statement_header)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "银行对账单表头至少需要：交易日期、交易流水号、借方发生额、贷方发生额",
                                        "fields": [
                                            {
                                                "field": "file",
                                                "code": "bank.statement_header",
                                                "label": "文件",
                                                "message": "银行对账单表头至少需要：交易日期、交易流水号、借方发生额、贷方发生额"
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

fn get_reconciliation(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "reconciliation"
        ],
        "operationId": "getReconciliation",
        "summary": "A period's reconciliation (对账)",
        "description": "The period's books beside the fund's bank statements, computed on every read: the summary, day by day, and every mismatch with the person who handled it and its resolution. Collections (bank channel) are matched with income-account credits, paid bank payment lines of the period's batch with expenditure-account debits, by the bank's reference and exact amount; the income account's last balance of the month must be 0. The finance account is not used yet. See docs/payment-files.md.\n\n**Permission:** `reconciliation.run` or `finance.read` (roles: reviewer, finance_viewer, city_admin).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The reconciliation.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::reconciliation::Report>(),
                        "examples": {
                            "open": {
                                "summary": "Four mismatches open",
                                "value": {
                                    "period": "2026-11-01",
                                    "summary": {
                                        "assessed_fen": 0,
                                        "collected_fen": 227000,
                                        "collected_bank_fen": 227000,
                                        "bank_credits_fen": 207000,
                                        "benefits_due_fen": 1960000,
                                        "benefits_paid_fen": 1960000,
                                        "bank_debits_fen": 2460000,
                                        "income_month_end_balance_fen": 30000
                                    },
                                    "days": [
                                        {
                                            "day": "2026-11-05",
                                            "book_in_fen": 177000,
                                            "bank_in_fen": 177000,
                                            "book_out_fen": 0,
                                            "bank_out_fen": 0
                                        },
                                        {
                                            "day": "2026-11-06",
                                            "book_in_fen": 50000,
                                            "bank_in_fen": 0,
                                            "book_out_fen": 0,
                                            "bank_out_fen": 0
                                        },
                                        {
                                            "day": "2026-11-07",
                                            "book_in_fen": 0,
                                            "bank_in_fen": 30000,
                                            "book_out_fen": 0,
                                            "bank_out_fen": 0
                                        }
                                    ],
                                    "items": [
                                        {
                                            "kind": "collection_unmatched",
                                            "item_id": 12,
                                            "day": "2026-11-06",
                                            "amount_fen": 50000,
                                            "reference": "C002",
                                            "handler": "刘收款",
                                            "office": "许昌市社会保险中心",
                                            "note": null,
                                            "resolved_by": null,
                                            "resolved_at": null
                                        },
                                        {
                                            "kind": "bank_credit_unmatched",
                                            "item_id": 2,
                                            "day": "2026-11-07",
                                            "amount_fen": 30000,
                                            "reference": "C999",
                                            "handler": "张审核",
                                            "office": null,
                                            "note": null,
                                            "resolved_by": null,
                                            "resolved_at": null
                                        },
                                        {
                                            "kind": "bank_debit_unmatched",
                                            "item_id": 5,
                                            "day": "2026-11-21",
                                            "amount_fen": 500000,
                                            "reference": "P2",
                                            "handler": "张审核",
                                            "office": null,
                                            "note": null,
                                            "resolved_by": null,
                                            "resolved_at": null
                                        },
                                        {
                                            "kind": "income_not_emptied",
                                            "item_id": 0,
                                            "day": "2026-11-30",
                                            "amount_fen": 30000,
                                            "reference": "T001",
                                            "handler": "张审核",
                                            "office": null,
                                            "note": null,
                                            "resolved_by": null,
                                            "resolved_at": null
                                        }
                                    ],
                                    "open_items": 4,
                                    "signed_off": null
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
                            "period": {
                                "summary": "Not a month (period.format)",
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

fn resolve_reconciliation_item(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "reconciliation"
        ],
        "operationId": "resolveReconciliationItem",
        "summary": "Resolve a mismatch with a note (处理不符项)",
        "description": "Records what was found for one mismatch of the period. The item must be in the period's list (404 otherwise); a resolution is written once (409 `reconciliation.resolved`) and not after the sign-off (409 `reconciliation.signed`). The item stays listed with its note; nothing in the books or the statements is changed. Audited (`reconciliation.resolve`, the note as reason). Unknown body fields are ignored.\n\n**Permission:** `reconciliation.run` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::reconciliation::NoteInput>(),
                    "examples": {
                        "note": {
                            "summary": "Checked with the bank",
                            "value": {
                                "note": "已与银行核实"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "204": {
                "description": "Resolved.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                }
            },
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
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
                            "resolved": {
                                "summary": "Resolved already (reconciliation.resolved)",
                                "value": {
                                    "error": {
                                        "code": "reconciliation.resolved",
                                        "message": "这一不符项已处理，处理说明不能修改",
                                        "fields": [
                                            {
                                                "field": "item",
                                                "code": "reconciliation.resolved",
                                                "label": "fields.item",
                                                "message": "这一不符项已处理，处理说明不能修改"
                                            }
                                        ]
                                    }
                                }
                            },
                            "signed": {
                                "summary": "The period is signed off (reconciliation.signed)",
                                "value": {
                                    "error": {
                                        "code": "reconciliation.signed",
                                        "message": "该期对账已签认，不能再修改",
                                        "fields": [
                                            {
                                                "field": "period",
                                                "code": "reconciliation.signed",
                                                "label": "期间",
                                                "message": "该期对账已签认，不能再修改"
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
                            "note": {
                                "summary": "No note (required)",
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

fn sign_off_reconciliation(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "reconciliation"
        ],
        "operationId": "signOffReconciliation",
        "summary": "Sign the period off (签认)",
        "description": "Records who signed the period off and when, with the summary and the number of items at that moment. Refused while a mismatch is open (409 `reconciliation.unresolved`) or when signed already (409 `reconciliation.signed`). No body is needed. Audited (`reconciliation.sign_off`). The report stays computed from current data afterwards.\n\n**Permission:** `reconciliation.run` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The reconciliation after the sign-off.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::reconciliation::Report>(),
                        "examples": {
                            "signed": {
                                "summary": "Every mismatch resolved, signed off",
                                "value": {
                                    "period": "2026-11-01",
                                    "summary": {
                                        "assessed_fen": 0,
                                        "collected_fen": 227000,
                                        "collected_bank_fen": 227000,
                                        "bank_credits_fen": 207000,
                                        "benefits_due_fen": 1960000,
                                        "benefits_paid_fen": 1960000,
                                        "bank_debits_fen": 2460000,
                                        "income_month_end_balance_fen": 30000
                                    },
                                    "days": [
                                        {
                                            "day": "2026-11-05",
                                            "book_in_fen": 177000,
                                            "bank_in_fen": 177000,
                                            "book_out_fen": 0,
                                            "bank_out_fen": 0
                                        },
                                        {
                                            "day": "2026-11-06",
                                            "book_in_fen": 50000,
                                            "bank_in_fen": 0,
                                            "book_out_fen": 0,
                                            "bank_out_fen": 0
                                        },
                                        {
                                            "day": "2026-11-07",
                                            "book_in_fen": 0,
                                            "bank_in_fen": 30000,
                                            "book_out_fen": 0,
                                            "bank_out_fen": 0
                                        }
                                    ],
                                    "items": [
                                        {
                                            "kind": "collection_unmatched",
                                            "item_id": 12,
                                            "day": "2026-11-06",
                                            "amount_fen": 50000,
                                            "reference": "C002",
                                            "handler": "刘收款",
                                            "office": "许昌市社会保险中心",
                                            "note": "已与银行核实",
                                            "resolved_by": "张审核",
                                            "resolved_at": "2026-12-03T07:21:40.551023Z"
                                        },
                                        {
                                            "kind": "bank_credit_unmatched",
                                            "item_id": 2,
                                            "day": "2026-11-07",
                                            "amount_fen": 30000,
                                            "reference": "C999",
                                            "handler": "张审核",
                                            "office": null,
                                            "note": "已与银行核实",
                                            "resolved_by": "张审核",
                                            "resolved_at": "2026-12-03T07:21:40.551023Z"
                                        },
                                        {
                                            "kind": "bank_debit_unmatched",
                                            "item_id": 5,
                                            "day": "2026-11-21",
                                            "amount_fen": 500000,
                                            "reference": "P2",
                                            "handler": "张审核",
                                            "office": null,
                                            "note": "已与银行核实",
                                            "resolved_by": "张审核",
                                            "resolved_at": "2026-12-03T07:21:40.551023Z"
                                        },
                                        {
                                            "kind": "income_not_emptied",
                                            "item_id": 0,
                                            "day": "2026-11-30",
                                            "amount_fen": 30000,
                                            "reference": "T001",
                                            "handler": "张审核",
                                            "office": null,
                                            "note": "已与银行核实",
                                            "resolved_by": "张审核",
                                            "resolved_at": "2026-12-03T07:21:40.551023Z"
                                        }
                                    ],
                                    "open_items": 0,
                                    "signed_off": {
                                        "signed_by": "张审核",
                                        "signed_at": "2026-12-03T07:30:12.118204Z"
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
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
                            "unresolved": {
                                "summary": "Mismatches still open (reconciliation.unresolved)",
                                "value": {
                                    "error": {
                                        "code": "reconciliation.unresolved",
                                        "message": "还有未处理的不符项，全部处理后才能签认",
                                        "fields": [
                                            {
                                                "field": "period",
                                                "code": "reconciliation.unresolved",
                                                "label": "期间",
                                                "message": "还有未处理的不符项，全部处理后才能签认"
                                            }
                                        ]
                                    }
                                }
                            },
                            "signed": {
                                "summary": "Signed already (reconciliation.signed)",
                                "value": {
                                    "error": {
                                        "code": "reconciliation.signed",
                                        "message": "该期对账已签认，不能再修改",
                                        "fields": [
                                            {
                                                "field": "period",
                                                "code": "reconciliation.signed",
                                                "label": "期间",
                                                "message": "该期对账已签认，不能再修改"
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
                            "period": {
                                "summary": "Not a month (period.format)",
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

//! Operations tagged `payments`: Monthly payment batches, bank and post-office files, results and reissues (待遇发放).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = generate_payment_batch(d);
    d.op("post", "/api/v1/payments/batches", op);
    let op = list_payment_batches(d);
    d.op("get", "/api/v1/payments/batches", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/payments/batches/{id}", parameters);
    let op = get_payment_batch(d);
    d.op("get", "/api/v1/payments/batches/{id}", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/payments/batches/{id}/bank.csv", parameters);
    let op = download_bank_payment_file(d);
    d.op("get", "/api/v1/payments/batches/{id}/bank.csv", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/payments/batches/{id}/post.csv", parameters);
    let op = download_post_remittance_list(d);
    d.op("get", "/api/v1/payments/batches/{id}/post.csv", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/payments/batches/{id}/results", parameters);
    let op = import_payment_results(d);
    d.op("post", "/api/v1/payments/batches/{id}/results", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/payments/batches/{id}/export", parameters);
    let op = freeze_payment_batch(d);
    d.op("post", "/api/v1/payments/batches/{id}/export", op);
}

fn generate_payment_batch(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "payments"
        ],
        "operationId": "generatePaymentBatch",
        "summary": "Generate the month's payment batch (生成发放批次)",
        "description": "Creates the city's batch for `period`, or returns it. One batch per period. An `open` batch (not downloaded yet) receives: first, one reissue of every failed line of earlier batches not yet reissued (same claim, month and amount, through the claim's current channel); then every month of every approved or stopped monthly benefit from its first month to `period` (or to its last month) that has no pending or paid line yet — months missed earlier are paid now — and every approved one-off benefit due by `period` and not paid yet. Generating an open batch again adds only what has become due since; once the batch is `exported` or `closed` it is returned unchanged and anything due later goes into the next period's batch. At most one line per claim and month is ever pending or paid. Audited (`payment.generate`). Answers 200 in every case. Rules and files: `docs/payment-files.md`.\n\n**Permission:** `payment.run` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::payments::GenerateInput>(),
                    "examples": {
                        "november": {
                            "summary": "November 2026",
                            "value": {
                                "period": "2026-11"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "The batch.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::payments::Batch>(),
                        "examples": {
                            "open": {
                                "summary": "Generated, not downloaded yet",
                                "value": {
                                    "id": 12,
                                    "period": "2026-11-01",
                                    "status": "open",
                                    "created_at": "2026-11-28T02:10:41.120931Z",
                                    "exported_at": null,
                                    "lines": 4,
                                    "total_fen": 2652296,
                                    "bank_lines": 3,
                                    "post_lines": 1,
                                    "pending": 4,
                                    "paid": 0,
                                    "failed": 0,
                                    "paid_fen": 0,
                                    "reissues": 0
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
                            "future": {
                                "summary": "A month after the current one (period.future)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "年月不能晚于本月",
                                        "fields": [
                                            {
                                                "field": "period",
                                                "code": "period.future",
                                                "label": "期间",
                                                "message": "年月不能晚于本月"
                                            }
                                        ]
                                    }
                                }
                            },
                            "format": {
                                "summary": "Not YYYY-MM (period.format)",
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

fn list_payment_batches(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "payments"
        ],
        "operationId": "listPaymentBatches",
        "summary": "List payment batches (发放批次)",
        "description": "The city's batches with their counts, newest period first, at most 60.\n\n**Permission:** `payment.run` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The batches.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::payments::Batch>>(),
                        "examples": {
                            "list": {
                                "summary": "One batch",
                                "value": {
                                    "items": [
                                        {
                                            "id": 12,
                                            "period": "2026-11-01",
                                            "status": "exported",
                                            "created_at": "2026-11-28T02:10:41.120931Z",
                                            "exported_at": "2026-11-28T02:12:03.554012Z",
                                            "lines": 4,
                                            "total_fen": 2652296,
                                            "bank_lines": 3,
                                            "post_lines": 1,
                                            "pending": 4,
                                            "paid": 0,
                                            "failed": 0,
                                            "paid_fen": 0,
                                            "reissues": 0
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

fn get_payment_batch(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "payments"
        ],
        "operationId": "getPaymentBatch",
        "summary": "One payment batch (发放批次详情)",
        "description": "The batch and its counts. 404 for an unknown id or another city's batch.\n\n**Permission:** `payment.run` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The batch.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::payments::Batch>(),
                        "examples": {
                            "exported": {
                                "summary": "Exported, awaiting results",
                                "value": {
                                    "id": 12,
                                    "period": "2026-11-01",
                                    "status": "exported",
                                    "created_at": "2026-11-28T02:10:41.120931Z",
                                    "exported_at": "2026-11-28T02:12:03.554012Z",
                                    "lines": 4,
                                    "total_fen": 2652296,
                                    "bank_lines": 3,
                                    "post_lines": 1,
                                    "pending": 4,
                                    "paid": 0,
                                    "failed": 0,
                                    "paid_fen": 0,
                                    "reissues": 0
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

fn download_bank_payment_file(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "payments"
        ],
        "operationId": "downloadBankPaymentFile",
        "summary": "Download the bank payment file (银行代发文件)",
        "description": "The batch's **pending** lines paid by bank, in line-id order: UTF-8 without BOM, comma-separated, LF line ends, values quoted only when needed; the header `line_id,batch_id,name,id_number,bank_name,account_no,benefit,period,amount_yuan`, one row per line (`period` is the month the payment is for, `amount_yuan` two decimals), then `TOTAL,<rows>,<sum in yuan>` and `SHA256,<hex>` — the SHA-256 of every byte before that last line. Only for a frozen batch (`POST /api/v1/payments/batches/{id}/export`; 409 `payment.not_exported` while it is open); downloading changes nothing. Each line carries the account or address it was generated with, never the claim's current one. Downloading again gives the lines still pending. Each download is audited (`payment.download`). 404 for an unknown id or another city's batch. Format: `docs/payment-files.md`.\n\n**Permission:** `payment.run` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The file, `text/csv; charset=utf-8`, as an attachment named `batch-<id>-bank.csv`.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store"),
                    "Content-Disposition": {
                        "description": "`attachment; filename=\"batch-<id>-bank.csv\"`.",
                        "schema": {
                            "type": "string"
                        },
                        "example": "attachment; filename=\"batch-12-bank.csv\""
                    }
                },
                "content": {
                    "text/csv": {
                        "schema": {
                            "type": "string",
                            "format": "binary"
                        },
                        "examples": {
                            "batch12": {
                                "summary": "Batch 12 (identity and account numbers made up)",
                                "value": "line_id,batch_id,name,id_number,bank_name,account_no,benefit,period,amount_yuan\n1201,12,王退休,411002196406150015,中国工商银行许昌分行,6222020200001234567,pension,2026-10,2561.48\n1202,12,王退休,411002196406150015,中国工商银行许昌分行,6222020200001234567,pension,2026-11,2561.48\n1203,12,赵失业,411002199003030020,中国农业银行许昌分行,6228480000000000017,unemployment,2026-11,1800.00\nTOTAL,3,6922.96\nSHA256,d04373e48bfcc4ad5aa1a8f54c772de500c9bc6d90f9fbc776ae59b9d1b05259\n"
                            }
                        }
                    }
                }
            },
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError"),
            "409": {
                "description": "The batch is still open (`payment.not_exported`).",
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

fn download_post_remittance_list(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "payments"
        ],
        "operationId": "downloadPostRemittanceList",
        "summary": "Download the post-office remittance list (邮政汇款清单)",
        "description": "The batch's **pending** lines paid by post-office remittance, in line-id order: UTF-8 without BOM, comma-separated, LF line ends, values quoted only when needed; the header `line_id,batch_id,name,id_number,post_address,benefit,period,amount_yuan`, one row per line (`period` is the month the payment is for, `amount_yuan` two decimals), then `TOTAL,<rows>,<sum in yuan>` and `SHA256,<hex>` — the SHA-256 of every byte before that last line. Only for a frozen batch (`POST /api/v1/payments/batches/{id}/export`; 409 `payment.not_exported` while it is open); downloading changes nothing. Each line carries the account or address it was generated with, never the claim's current one. Downloading again gives the lines still pending. Each download is audited (`payment.download`). 404 for an unknown id or another city's batch. Format: `docs/payment-files.md`.\n\n**Permission:** `payment.run` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The file, `text/csv; charset=utf-8`, as an attachment named `batch-<id>-post.csv`.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store"),
                    "Content-Disposition": {
                        "description": "`attachment; filename=\"batch-<id>-post.csv\"`.",
                        "schema": {
                            "type": "string"
                        },
                        "example": "attachment; filename=\"batch-12-post.csv\""
                    }
                },
                "content": {
                    "text/csv": {
                        "schema": {
                            "type": "string",
                            "format": "binary"
                        },
                        "examples": {
                            "batch12": {
                                "summary": "Batch 12 (identity and account numbers made up)",
                                "value": "line_id,batch_id,name,id_number,post_address,benefit,period,amount_yuan\n1204,12,钱生育,411002199204040022,\"许昌市建安区椹涧乡邮政所, 椹涧村3组\",maternity,2026-11,19600.00\nTOTAL,1,19600.00\nSHA256,9673c2c812d4c0b09a5f71cca43ed03df49507d607ae623416b36fe7c6713257\n"
                            }
                        }
                    }
                }
            },
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError"),
            "409": {
                "description": "The batch is still open (`payment.not_exported`).",
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

fn import_payment_results(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "payments"
        ],
        "operationId": "importPaymentResults",
        "summary": "Import the bank's or post office's results (导入发放结果)",
        "description": "The request body is the results file itself (any content type; UTF-8 with or without BOM, or GBK/GB18030; at most 256 KiB — split larger files, each part with the header): CSV with the columns `line_id` (`明细号`) and `status` (`结果`: `paid`/`成功` or `failed`/`失败`), optionally `reason` (`失败原因`, required on failed rows) and `reference` (`流水号`), in any order. A pending line becomes paid or failed once; the same result again changes nothing (`unchanged`); a different result for a settled line is reported as `payment.result_conflict` and a line not in this batch as `payment.unknown_line`, neither applied. Unreadable rows are reported (`payment.line_id`, `payment.status`, `payment.reason_required`, `csv.row`) and the other rows still applied. The batch closes when no line is pending. Failed lines are reissued once in the next batch generated. A batch never downloaded is refused as a whole (409 `payment.not_exported`); a file without the required columns is 422 (`payment.results_header` or `csv.header` on field `file`). Paid lines count as expenditure in the ledger and in the statistics (`benefits_paid_fen`). Audited (`payment.results`). Format: `docs/payment-files.md`.\n\n**Permission:** `payment.run` (roles: reviewer).",
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
                        "results": {
                            "summary": "Three paid, one failed",
                            "value": "line_id,status,reason,reference\n1201,paid,,ICBC20261205000001\n1202,paid,,ICBC20261205000002\n1203,failed,账户已销户,\n1204,成功,,PO20261206000017\n"
                        },
                        "chinese": {
                            "summary": "Chinese headers",
                            "value": "明细号,结果,失败原因,流水号\n1203,失败,账户已销户,\n"
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Applied as far as possible; `problems` lists the rows not applied.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::payments::PaymentResults>(),
                        "examples": {
                            "closed": {
                                "summary": "All four lines settled: the batch is closed",
                                "value": {
                                    "applied": 4,
                                    "unchanged": 0,
                                    "problems": [],
                                    "batch": {
                                        "id": 12,
                                        "period": "2026-11-01",
                                        "status": "closed",
                                        "created_at": "2026-11-28T02:10:41.120931Z",
                                        "exported_at": "2026-11-28T02:12:03.554012Z",
                                        "lines": 4,
                                        "total_fen": 2652296,
                                        "bank_lines": 3,
                                        "post_lines": 1,
                                        "pending": 0,
                                        "paid": 3,
                                        "failed": 1,
                                        "paid_fen": 2472296,
                                        "reissues": 0
                                    }
                                }
                            },
                            "again": {
                                "summary": "The same file again, plus a wrong line and a contradiction",
                                "value": {
                                    "applied": 0,
                                    "unchanged": 4,
                                    "problems": [
                                        {
                                            "row": 6,
                                            "code": "payment.result_conflict",
                                            "message": "这笔发放已有不同的结果（已成功或已失败），本行未采用，请与银行或邮局核实"
                                        },
                                        {
                                            "row": 7,
                                            "code": "payment.unknown_line",
                                            "message": "本批次中没有这个明细号，请核对结果文件是否属于本批次"
                                        }
                                    ],
                                    "batch": {
                                        "id": 12,
                                        "period": "2026-11-01",
                                        "status": "closed",
                                        "created_at": "2026-11-28T02:10:41.120931Z",
                                        "exported_at": "2026-11-28T02:12:03.554012Z",
                                        "lines": 4,
                                        "total_fen": 2652296,
                                        "bank_lines": 3,
                                        "post_lines": 1,
                                        "pending": 0,
                                        "paid": 3,
                                        "failed": 1,
                                        "paid_fen": 2472296,
                                        "reissues": 0
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
                            "not_exported": {
                                "summary": "The batch has not been downloaded yet (payment.not_exported)",
                                "value": {
                                    "error": {
                                        "code": "payment.not_exported",
                                        "message": "该发放批次尚未导出发放文件，不能导入发放结果；请先下载银行代发文件或邮政汇款清单",
                                        "fields": [
                                            {
                                                "field": "batch",
                                                "code": "payment.not_exported",
                                                "label": "发放批次",
                                                "message": "该发放批次尚未导出发放文件，不能导入发放结果；请先下载银行代发文件或邮政汇款清单"
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
                            "header": {
                                "summary": "Required columns missing (payment.results_header)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "结果文件表头应包含“明细号”（line_id）和“结果”（status）两列，可另加“失败原因”（reason）和“流水号”（reference）",
                                        "fields": [
                                            {
                                                "field": "file",
                                                "code": "payment.results_header",
                                                "label": "文件",
                                                "message": "结果文件表头应包含“明细号”（line_id）和“结果”（status）两列，可另加“失败原因”（reason）和“流水号”（reference）"
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

fn freeze_payment_batch(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "payments"
        ],
        "operationId": "freezePaymentBatch",
        "summary": "Freeze a batch for export (锁定发放批次)",
        "description": "Marks the batch `exported`: no line is added to or removed from it afterwards, and its bank file and post-office list can be downloaded. Idempotent (an exported or closed batch is returned unchanged). Downloading never changes a batch. Audited (`payment.export`).\n\n**Permission:** `payment.run` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "The batch.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::payments::Batch>()
                    }
                }
            }
        }
    })
}

//! Operations tagged `finance`: Fund income and expenditure and the fiscal subsidy needed (基金收支).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = get_fund_ledger(d);
    d.op("get", "/api/v1/finance/ledger", op);
    let op = get_province_finance(d);
    d.op("get", "/api/v1/province/finance", op);
}

fn get_fund_ledger(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "finance"
        ],
        "operationId": "getFundLedger",
        "summary": "Fund income and expenditure by month and insurance type (基金收支)",
        "description": "The caller's city's fund ledger of a calendar year: per month and insurance type with any movement, the **income** — employers' payments for that contribution period allocated to the period's assessed amounts (employer plus employee, regular and back payments) in the order pension, medical, unemployment, work injury, maternity, as on the employer statement; over-payments are not income — the **expenditure** — benefit lines confirmed paid, by benefit type, in the month of their batch — the month's balance, the year-to-date sums, and the **subsidy** needed from the finance department (财政补助): year-to-date expenditure minus year-to-date income when positive. Computed on every read (a late payment changes its period's income). Where maternity insurance is merged into medical insurance there is no maternity income, so maternity allowances show as maternity subsidy. See `docs/benefits.md`.\n\n**Permission:** `finance.read` (roles: finance_viewer, reviewer, city_admin).",
        "parameters": [
            {
                "name": "year",
                "in": "query",
                "required": false,
                "description": "Calendar year, 2000–2100 (`year.range`); default the current year.",
                "schema": {
                    "type": "integer",
                    "minimum": 2000,
                    "maximum": 2100
                },
                "example": 2026
            },
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The ledger (amounts in fen).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::payments::Ledger>(),
                        "examples": {
                            "year": {
                                "summary": "Benefits paid, no contributions recorded yet",
                                "value": {
                                    "year": 2026,
                                    "lines": [
                                        {
                                            "period": "2026-11-01",
                                            "insurance_type": "pension",
                                            "income_fen": 0,
                                            "expenditure_fen": 7428292,
                                            "balance_fen": -7428292,
                                            "ytd_income_fen": 0,
                                            "ytd_expenditure_fen": 7428292,
                                            "subsidy_fen": 7428292
                                        },
                                        {
                                            "period": "2026-11-01",
                                            "insurance_type": "maternity",
                                            "income_fen": 0,
                                            "expenditure_fen": 1960000,
                                            "balance_fen": -1960000,
                                            "ytd_income_fen": 0,
                                            "ytd_expenditure_fen": 1960000,
                                            "subsidy_fen": 1960000
                                        }
                                    ],
                                    "by_kind": [
                                        {
                                            "period": "2026-11-01",
                                            "insurance_type": "pension",
                                            "kind": "pension",
                                            "expenditure_fen": 7428292
                                        },
                                        {
                                            "period": "2026-11-01",
                                            "insurance_type": "maternity",
                                            "kind": "maternity",
                                            "expenditure_fen": 1960000
                                        }
                                    ],
                                    "funds": [
                                        {
                                            "insurance_type": "pension",
                                            "income_fen": 0,
                                            "expenditure_fen": 7428292,
                                            "balance_fen": -7428292,
                                            "subsidy_fen": 7428292,
                                            "months_covered_tenths": 0
                                        },
                                        {
                                            "insurance_type": "medical",
                                            "income_fen": 0,
                                            "expenditure_fen": 0,
                                            "balance_fen": 0,
                                            "subsidy_fen": 0,
                                            "months_covered_tenths": null
                                        },
                                        {
                                            "insurance_type": "unemployment",
                                            "income_fen": 0,
                                            "expenditure_fen": 0,
                                            "balance_fen": 0,
                                            "subsidy_fen": 0,
                                            "months_covered_tenths": null
                                        },
                                        {
                                            "insurance_type": "work_injury",
                                            "income_fen": 0,
                                            "expenditure_fen": 0,
                                            "balance_fen": 0,
                                            "subsidy_fen": 0,
                                            "months_covered_tenths": null
                                        },
                                        {
                                            "insurance_type": "maternity",
                                            "income_fen": 0,
                                            "expenditure_fen": 1960000,
                                            "balance_fen": -1960000,
                                            "subsidy_fen": 1960000,
                                            "months_covered_tenths": 0
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
                            "range": {
                                "summary": "Year out of range (year.range)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "年度应在 2000 到 2100 之间",
                                        "fields": [
                                            {
                                                "field": "year",
                                                "code": "year.range",
                                                "label": "年度",
                                                "message": "年度应在 2000 到 2100 之间"
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

fn get_province_finance(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "finance"
        ],
        "operationId": "getProvinceFinance",
        "summary": "Every city's fund figures of a year (全省基金收支)",
        "description": "Every city's year, fund by fund (pension, medical, unemployment, work injury, maternity): income (contributions allocated to the fund by the allocation rule), expenditure (benefits paid), balance and the subsidy that fund needs. Funds are accounted separately (分账核算, 社会保险法 art. 64): one fund's surplus never covers another's deficit, and nothing is summed across funds. Equals the city's own fund ledger summed over the year. Read from the statistics (no personal data) after checking the caller's session and that the caller's tenant is the province.\n\n**Permission:** `finance.read` (roles: finance_viewer of the province tier).",
        "parameters": [
            {
                "name": "year",
                "in": "query",
                "required": false,
                "schema": {
                    "type": "integer"
                },
                "example": 2026,
                "description": "Calendar year; a year outside 2000–2100 or none gives the current year (no error)."
            },
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The year per tenant (amounts in fen).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::province::finance::ProvinceFinance>(),
                        "examples": {
                            "year": {
                                "summary": "Xuchang paid benefits, no contributions recorded: each fund accounted on its own",
                                "value": {
                                    "year": 2026,
                                    "cities": [
                                        {
                                            "code": "411000",
                                            "name_zh": "许昌市",
                                            "name_en": "Xuchang",
                                            "funds": [
                                                {
                                                    "insurance_type": "pension",
                                                    "income_fen": 0,
                                                    "expenditure_fen": 7172144,
                                                    "balance_fen": -7172144,
                                                    "subsidy_fen": 7172144,
                                                    "months_covered_tenths": 0
                                                },
                                                {
                                                    "insurance_type": "unemployment",
                                                    "income_fen": 0,
                                                    "expenditure_fen": 0,
                                                    "balance_fen": 0,
                                                    "subsidy_fen": 0,
                                                    "months_covered_tenths": null
                                                },
                                                {
                                                    "insurance_type": "maternity",
                                                    "income_fen": 0,
                                                    "expenditure_fen": 1960000,
                                                    "balance_fen": -1960000,
                                                    "subsidy_fen": 1960000,
                                                    "months_covered_tenths": 0
                                                }
                                            ]
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
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError")
        }
    })
}

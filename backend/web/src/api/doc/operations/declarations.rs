//! Operations tagged `declarations`: Annual contribution-base declaration (缴费基数申报).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = declare_bases(d);
    d.op("post", "/api/v1/declarations", op);
    let op = declare_bases_csv(d);
    d.op("post", "/api/v1/declarations/csv", op);
}

fn declare_bases(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "declarations"
        ],
        "operationId": "declareBases",
        "summary": "Declare contribution bases (缴费基数申报)",
        "description": "The annual base declaration of an employer as JSON: each insured employee's previous-year average monthly wage (上年月平均工资) for `base_year`. Rows are numbered from 1 in the report. Every row is checked (identity number rules, wage in yuan, person registered in this tenant, actively insured at this employer, not twice in the declaration); rows are applied **all or nothing** unless `valid_only` is set, in which case the valid rows are applied and the others reported. Each applied row becomes the person's declared wage at this employer from `effective_from`, the city's adjustment month of `base_year` (July in most cities, so base year 2026 applies from `2026-07`; January in 鹤壁 410600 and 济源 419001). Bases are then derived from the declared wages with the rule in force for each period; when the base year's reference average wage is published late, running back payments (补差) settles the periods already assessed. A `base_declared` event is added for each changed wage; the declaration is audited. **200** with the report when at least one row was applied (or nothing was wrong); **422 with the report** (not the Error body) when rows had problems and none was applied. Problem messages follow `Accept-Language`.\n\n**Permission:** `enrolment.write` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::declarations::DeclarationInput>(),
                    "examples": {
                        "two": {
                            "summary": "Two employees, base year 2026",
                            "value": {
                                "employer_id": 77,
                                "base_year": 2026,
                                "items": [
                                    {
                                        "id_number": "411002198511200044",
                                        "declared_wage": "5200.00"
                                    },
                                    {
                                        "id_number": "411002199203150027",
                                        "declared_wage": 6100
                                    }
                                ]
                            }
                        },
                        "valid_only": {
                            "summary": "Apply what is valid",
                            "value": {
                                "employer_id": 77,
                                "base_year": 2026,
                                "valid_only": true,
                                "items": [
                                    {
                                        "id_number": "411002198511200044",
                                        "declared_wage": "5200.00"
                                    },
                                    {
                                        "id_number": "410102199003071231",
                                        "declared_wage": "4800.00"
                                    }
                                ]
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Applied; the report.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::declarations::DeclarationReport>(),
                        "examples": {
                            "applied": {
                                "summary": "Both rows applied from July 2026 (许昌)",
                                "value": {
                                    "base_year": 2026,
                                    "effective_from": "2026-07",
                                    "adjust_month": 7,
                                    "applied": 2,
                                    "rejected_rows": 0,
                                    "problems": []
                                }
                            },
                            "hebi": {
                                "summary": "In 鹤壁 (adjustment month January) the same declaration applies from January",
                                "value": {
                                    "base_year": 2026,
                                    "effective_from": "2026-01",
                                    "adjust_month": 1,
                                    "applied": 2,
                                    "rejected_rows": 0,
                                    "problems": []
                                }
                            },
                            "partly": {
                                "summary": "valid_only: one row applied, one rejected",
                                "value": {
                                    "base_year": 2026,
                                    "effective_from": "2026-07",
                                    "adjust_month": 7,
                                    "applied": 1,
                                    "rejected_rows": 1,
                                    "problems": [
                                        {
                                            "row": 2,
                                            "column": "id_number",
                                            "value": "4101**********1231",
                                            "code": "id_number.checksum",
                                            "message": "身份证号码校验位不正确，请核对最后一位"
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
                "description": "Either the report, when rows had problems and nothing was applied (`DeclarationReport`), or a validation error of the request itself (`Error`, code `validation`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                d.output::<crate::api::declarations::DeclarationReport>(),
                                d.output::<crate::error::ErrorBody>()
                            ]
                        },
                        "examples": {
                            "nothing_applied": {
                                "summary": "All or nothing: rows with problems, nothing applied",
                                "value": {
                                    "base_year": 2026,
                                    "effective_from": "2026-07",
                                    "adjust_month": 7,
                                    "applied": 0,
                                    "rejected_rows": 2,
                                    "problems": [
                                        {
                                            "row": 2,
                                            "column": "id_number",
                                            "value": "4110**********0044",
                                            "code": "declaration.not_insured_here",
                                            "message": "该人员未在此单位参保"
                                        },
                                        {
                                            "row": 4,
                                            "column": "id_number",
                                            "value": "4110**********0027",
                                            "code": "declaration.duplicate_in_file",
                                            "message": "该身份证号码在文件中重复出现"
                                        }
                                    ]
                                }
                            },
                            "english": {
                                "summary": "The report with `Accept-Language: en`",
                                "value": {
                                    "base_year": 2026,
                                    "effective_from": "2026-07",
                                    "adjust_month": 7,
                                    "applied": 0,
                                    "rejected_rows": 1,
                                    "problems": [
                                        {
                                            "row": 2,
                                            "column": "id_number",
                                            "value": "4110**********0044",
                                            "code": "declaration.unknown_person",
                                            "message": "No such person is registered in this city"
                                        }
                                    ]
                                }
                            },
                            "request": {
                                "summary": "The request itself is invalid (Error body)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "提交的信息有误，请按提示修改后重新提交。",
                                        "fields": [
                                            {
                                                "field": "base_year",
                                                "code": "declaration.base_year",
                                                "label": "基数年度",
                                                "message": "基数年度不正确"
                                            },
                                            {
                                                "field": "items",
                                                "code": "required",
                                                "label": "申报明细",
                                                "message": "此项为必填项"
                                            }
                                        ]
                                    }
                                }
                            },
                            "employer": {
                                "summary": "Unknown employer (Error body; not_found on employer_id)",
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

fn declare_bases_csv(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "declarations"
        ],
        "operationId": "declareBasesCsv",
        "summary": "Declare contribution bases from a CSV file (缴费基数申报·文件导入)",
        "description": "The same declaration as an uploaded CSV file, the request body itself (any content type; at most 16 MiB). The file may be UTF-8, UTF-8 with a byte-order mark, or GBK/GB18030 as Excel on Chinese Windows saves it. The header row must have an identity-number column — `身份证号码` (also accepted: `证件号码`, `公民身份号码`, `id_number`) — and a wage column — `申报工资` (also accepted: `上年月平均工资`, `月平均工资`, `declared_wage`), in any order, other columns ignored (otherwise 422 `csv.header` on `file`). Cells are trimmed; blank rows are skipped; rows are numbered as Excel shows them (header = row 1). A row that cannot be read is reported as `csv.row` in column `*`. An empty body or a file without data rows is 422 `csv.empty`. Every row is checked (identity number rules, wage in yuan, person registered in this tenant, actively insured at this employer, not twice in the declaration); rows are applied **all or nothing** unless `valid_only` is set, in which case the valid rows are applied and the others reported. Each applied row becomes the person's declared wage at this employer from `effective_from`, the city's adjustment month of `base_year` (July in most cities, so base year 2026 applies from `2026-07`; January in 鹤壁 410600 and 济源 419001). Bases are then derived from the declared wages with the rule in force for each period; when the base year's reference average wage is published late, running back payments (补差) settles the periods already assessed. A `base_declared` event is added for each changed wage; the declaration is audited. **200** with the report when at least one row was applied (or nothing was wrong); **422 with the report** (not the Error body) when rows had problems and none was applied. Problem messages follow `Accept-Language`.\n\n**Permission:** `enrolment.write` (roles: clerk).",
        "parameters": [
            {
                "name": "employer_id",
                "in": "query",
                "required": true,
                "description": "The declaring employer (`required`, `not_found`).",
                "schema": {
                    "type": "integer",
                    "format": "int64"
                },
                "example": 77
            },
            {
                "name": "base_year",
                "in": "query",
                "required": true,
                "description": "The base year, 2000–2100 (`declaration.base_year`).",
                "schema": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 2000,
                    "maximum": 2100
                },
                "example": 2026
            },
            {
                "name": "valid_only",
                "in": "query",
                "required": false,
                "description": "`true` to apply the valid rows even when others are invalid (default `false`: all or nothing).",
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
            "description": "The CSV file: UTF-8 (with or without BOM) or GBK.",
            "content": {
                "text/csv": {
                    "schema": {
                        "type": "string",
                        "format": "binary"
                    },
                    "example": "身份证号码,姓名,申报工资\n411002198511200044,李秀英,5200.00\n411002199203150027,王芳,6100\n"
                },
                "application/octet-stream": {
                    "schema": {
                        "type": "string",
                        "format": "binary"
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Applied; the report.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::declarations::DeclarationReport>(),
                        "examples": {
                            "applied": {
                                "summary": "Both rows applied from July 2026 (许昌)",
                                "value": {
                                    "base_year": 2026,
                                    "effective_from": "2026-07",
                                    "adjust_month": 7,
                                    "applied": 2,
                                    "rejected_rows": 0,
                                    "problems": []
                                }
                            },
                            "partly": {
                                "summary": "valid_only=true: row 3 rejected (bad identity number and wage), row 2 applied",
                                "value": {
                                    "base_year": 2026,
                                    "effective_from": "2026-07",
                                    "adjust_month": 7,
                                    "applied": 1,
                                    "rejected_rows": 2,
                                    "problems": [
                                        {
                                            "row": 3,
                                            "column": "id_number",
                                            "value": "4101**********1231",
                                            "code": "id_number.checksum",
                                            "message": "身份证号码校验位不正确，请核对最后一位"
                                        },
                                        {
                                            "row": 3,
                                            "column": "declared_wage",
                                            "value": "abc",
                                            "code": "money.format",
                                            "message": "金额格式不正确，应为元，最多保留两位小数"
                                        }
                                    ]
                                }
                            }
                        }
                    }
                }
            },
            "400": {
                "description": "Malformed query: `employer_id` or `base_year` not an integer, `valid_only` not `true`/`false` (code `request.malformed`).",
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
            "413": {
                "description": "The file is larger than 16 MiB (plain-text body, not the Error schema).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                }
            },
            "422": {
                "description": "Either the report, when rows had problems and nothing was applied (`DeclarationReport`), or a validation error of the request itself (`Error`, code `validation`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                d.output::<crate::api::declarations::DeclarationReport>(),
                                d.output::<crate::error::ErrorBody>()
                            ]
                        },
                        "examples": {
                            "nothing_applied": {
                                "summary": "All or nothing: rows with problems, nothing applied",
                                "value": {
                                    "base_year": 2026,
                                    "effective_from": "2026-07",
                                    "adjust_month": 7,
                                    "applied": 0,
                                    "rejected_rows": 2,
                                    "problems": [
                                        {
                                            "row": 2,
                                            "column": "id_number",
                                            "value": "4110**********0044",
                                            "code": "declaration.not_insured_here",
                                            "message": "该人员未在此单位参保"
                                        },
                                        {
                                            "row": 4,
                                            "column": "id_number",
                                            "value": "4110**********0027",
                                            "code": "declaration.duplicate_in_file",
                                            "message": "该身份证号码在文件中重复出现"
                                        }
                                    ]
                                }
                            },
                            "english": {
                                "summary": "The report with `Accept-Language: en`",
                                "value": {
                                    "base_year": 2026,
                                    "effective_from": "2026-07",
                                    "adjust_month": 7,
                                    "applied": 0,
                                    "rejected_rows": 1,
                                    "problems": [
                                        {
                                            "row": 2,
                                            "column": "id_number",
                                            "value": "4110**********0044",
                                            "code": "declaration.unknown_person",
                                            "message": "No such person is registered in this city"
                                        }
                                    ]
                                }
                            },
                            "header": {
                                "summary": "No identity-number or wage column (Error body; csv.header)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "文件表头应包含“身份证号码”和“申报工资”两列",
                                        "fields": [
                                            {
                                                "field": "file",
                                                "code": "csv.header",
                                                "label": "文件",
                                                "message": "文件表头应包含“身份证号码”和“申报工资”两列"
                                            }
                                        ]
                                    }
                                }
                            },
                            "empty": {
                                "summary": "Empty file (Error body; csv.empty)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "文件中没有数据",
                                        "fields": [
                                            {
                                                "field": "file",
                                                "code": "csv.empty",
                                                "label": "文件",
                                                "message": "文件中没有数据"
                                            }
                                        ]
                                    }
                                }
                            },
                            "target": {
                                "summary": "Missing employer and bad base year (Error body)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "提交的信息有误，请按提示修改后重新提交。",
                                        "fields": [
                                            {
                                                "field": "employer_id",
                                                "code": "required",
                                                "label": "用人单位",
                                                "message": "此项为必填项"
                                            },
                                            {
                                                "field": "base_year",
                                                "code": "declaration.base_year",
                                                "label": "基数年度",
                                                "message": "基数年度不正确"
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

//! Operations tagged `imports`: Legacy data import: a city's persons, employers, employments, enrolments and contribution history files (CSV or .xlsx), reconciliation by year, per-row reports (历史数据导入).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = import_legacy_file(d);
    d.op("post", "/api/v1/imports/{kind}", op);
    let op = download_import_report(d);
    d.op("get", "/api/v1/imports/{job}/report.csv", op);
}

fn import_legacy_file(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "imports"
        ],
        "operationId": "importLegacyFile",
        "summary": "Import a legacy data file: persons, employers, employments, enrolments or contribution history (历史数据导入)",
        "description": "Imports one of a city's legacy files (from its old software or a spreadsheet) into the caller's city. `kind` says what the file holds: `persons` (人员), `employers` (单位), `employments` (任职), `enrolments` (参保) or `contributions` (缴费历史, contribution history); any other value is 404. Import persons first, then employers, then the other three: their rows name a person by identity number and an employer by credit code, and both must already be registered in the caller's city (otherwise `import.unknown_person` on `id_number`, `import.unknown_employer` on `credit_code`).\n\n**The file.** The request body is the file itself (any content type; at most 64 MiB): CSV with a header row in UTF-8, UTF-8 with a byte-order mark, or GBK/GB18030 as Excel on Chinese Windows saves it (detected), or an Excel `.xlsx` workbook, whose first worksheet is read (recognised from the content, a zip archive; the old `.xls` is not read). Column names in Chinese or English, in any order, other columns ignored; cells trimmed, blank rows skipped, rows numbered as a spreadsheet shows them (header = row 1). In a workbook whole numbers read without decimals and date cells as `YYYY-MM-DD`; identity numbers must be text cells.\n\n**Columns** (required unless marked optional):\n- `persons`: `身份证号码` (`公民身份号码`, `证件号码`, `id_number`), `姓名` (`name`, 1–50 characters); optional `户口性质` (`户籍性质`, `hukou_kind`: 城镇/非农业 → urban, 农村/农业 → rural), `联系电话` (`电话`, `phone`), `地址` (`住址`, `address`). Missing columns: `import.header`.\n- `employers`: `统一社会信用代码` (`信用代码`, `credit_code`), `单位名称` (`名称`, `name`, 1–100 characters), `工伤风险类别` (`风险类别`, `risk_class`, 1–8), `登记日期` (`成立日期`, `registered_on`); optional `行业代码` (`industry_code`), `地址` (`address`), `联系人` (`contact_name`), `联系电话` (`电话`, `contact_phone`). Missing columns: `import.employer_header`.\n- `employments`: `身份证号码`, `统一社会信用代码`, `入职日期` (`开始日期`, `start_date`); optional `离职日期` (`结束日期`, `end_date`; not before the start, `date.order`), `离职原因` (`end_reason`).\n- `enrolments`: `身份证号码`, `统一社会信用代码`, `险种` (`insurance_type`), `参保年月` (`开始年月`, `start_period`); optional `停保年月` (`结束年月`, `end_period`; not before the start, `period.order`; empty for an active enrolment), `停保原因` (`stop_reason`).\n- `contributions`: `身份证号码`, `统一社会信用代码`, `险种`, `费款所属期` (`缴费年月`, `period`), `缴费基数` (`base`), `单位缴费` (`单位缴纳`, `employer_amount`), `个人缴费` (`个人缴纳`, `employee_amount`).\nFor the last three, missing columns give `import.records_header`.\n\n**Formats.** Identity numbers GB 11643 (18 characters, or a 15-digit legacy number, upgraded); credit codes GB 32100. Dates `2019-07-01`, `2019/7/1` or `20190701`, not after today (`date.format`, `date.future`). Months `2019-07`, `2019/07` or `201907`, not after the current month (`period.format`, `period.future`). Insurance types by code (`pension`, `medical`, `unemployment`, `work_injury`, `maternity`) or Chinese name (`养老`, `养老保险`, `基本养老保险`, `职工养老保险`, `职工基本养老保险`, likewise 医疗, 失业, 工伤, 生育; otherwise `insurance_type.invalid`). Amounts in yuan with at most two decimals, never negative (`money.format`), stored in fen.\n\n**Already present, duplicates, conflicts.** A row already on the platform is *already present*, not a problem, and changes nothing, so importing the same file twice creates nothing the second time: persons and employers with the same number and name; an employment of the person at the employer starting that day; an enrolment of the person at the employer in that type starting that month; a contribution month of the person, employer and type with the same base and amounts. A record appearing earlier in the file is rejected (`import.duplicate_in_file`; persons and employers by number, employments by person, employer and start date, enrolments by person, type and start month, contributions by person, employer, type and month). Conflicts (`import.conflict`): a number registered under another name (column `name`); an active enrolment for a person who already has an active one of that type (column `insurance_type`); a contribution month already recorded with other amounts (column `base_fen`, value the file's base in fen). A second active enrolment of the same person and type within the file is `import.active_twice`.\n\n**Applying.** Rows are staged with `COPY` into a temporary table private to the importing session, validated set-based, and applied **all or nothing** unless `valid_only=true`, in which case the valid rows are applied and the others reported. **200** with the report when applied (also for a header-only file: `rows` 0); **422 with the same report body** (not the Error body) when problems stopped an all-or-nothing import and nothing was written. A problem with the file itself is a 422 Error body on field `file`. The reconciliation gives the rows, the records created, the rows already present and the rows rejected, and for employments, enrolments and contributions `by_year`: per year of the file, the file's rows (and, for contributions, employer plus employee amounts in fen) beside what the platform holds for that year after the import.\n\nEach import is audited and recorded as a job (kind `import.<kind>`, `GET /api/v1/jobs/{id}`); records it creates carry the job id; its per-row report is kept (`import_problem`) and can be downloaded as CSV (`GET /api/v1/imports/{job}/report.csv`). Imported persons get a `registered` timeline entry (source `import`); employments their `employed`/`left_employment` entries; enrolments their `enrolled` entry and statistics; contribution history one `contribution_history` entry per year and type. Problem messages follow `Accept-Language` and come in both languages too. The CLI does the same: `jinbao import <kind> --tenant 411000 file.csv [--valid-only]`. File format: `docs/import-format.md`.\n\n**Permission:** `import.run` (roles: city_admin).",
        "parameters": [
            {
                "name": "kind",
                "in": "path",
                "required": true,
                "description": "What the file holds: `persons` (人员), `employers` (单位), `employments` (任职), `enrolments` (参保), `contributions` (缴费历史). Any other value is answered with 404.",
                "schema": {
                    "type": "string",
                    "enum": [
                        "persons",
                        "employers",
                        "employments",
                        "enrolments",
                        "contributions"
                    ]
                },
                "example": "contributions"
            },
            {
                "name": "valid_only",
                "in": "query",
                "required": false,
                "description": "`true` to apply the valid rows even when others have problems (default `false`: all or nothing).",
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
            "description": "The file: CSV (UTF-8 with or without BOM, or GBK) or an .xlsx workbook (first sheet). The content type is not used; the format is recognised from the content.",
            "content": {
                "text/csv": {
                    "schema": {
                        "type": "string",
                        "format": "binary"
                    },
                    "examples": {
                        "persons": {
                            "summary": "persons",
                            "value": "身份证号码,姓名,户口性质,联系电话,地址\n411002198511200044,王芳,城镇,13800000001,许昌市魏都区\n410102900307123,李强,农村,,\n"
                        },
                        "employers": {
                            "summary": "employers",
                            "value": "统一社会信用代码,单位名称,工伤风险类别,登记日期,行业代码,联系人\n91411000MA3X5R7T2K,许昌市恒达机械有限公司,2,2012-05-18,C34,刘洋\n91411002MA40K6W8NH,许昌魏都区顺和商贸有限公司,1,2016/03/01,F52,\n"
                        },
                        "employments": {
                            "summary": "employments",
                            "value": "身份证号码,统一社会信用代码,入职日期,离职日期,离职原因\n411002198511200044,91411000MA3X5R7T2K,2012-06-01,2016-02-29,合同到期\n411002198511200044,91411002MA40K6W8NH,2016/3/1,,\n"
                        },
                        "enrolments": {
                            "summary": "enrolments",
                            "value": "身份证号码,统一社会信用代码,险种,参保年月,停保年月,停保原因\n411002198511200044,91411000MA3X5R7T2K,养老,2012-06,2016-02,离职\n411002198511200044,91411002MA40K6W8NH,基本养老保险,2016-03,,\n"
                        },
                        "contributions": {
                            "summary": "contributions",
                            "value": "身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n411002198511200044,91411002MA40K6W8NH,养老,2019-01,4500,720,360\n411002198511200044,91411002MA40K6W8NH,养老,2019/02,4500.00,720.00,360.00\n411002198511200044,91411002MA40K6W8NH,医疗,201901,4500,360,90\n411002198511200044,91411002MA40K6W8NH,工伤,2019-01,4500,18,0\n"
                        }
                    }
                },
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {
                        "type": "string",
                        "format": "binary"
                    }
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
                        "schema": d.output::<crate::api::imports::ImportReport>(),
                        "examples": {
                            "persons": {
                                "summary": "Persons: both rows registered",
                                "value": {
                                    "job_id": 511,
                                    "kind": "persons",
                                    "applied": true,
                                    "reconciliation": {
                                        "rows": 2,
                                        "inserted": 2,
                                        "already_present": 0,
                                        "rejected": 0,
                                        "by_year": []
                                    },
                                    "problems": []
                                }
                            },
                            "contributions": {
                                "summary": "Contribution history into an empty city: every year matches",
                                "value": {
                                    "job_id": 731,
                                    "kind": "contributions",
                                    "applied": true,
                                    "reconciliation": {
                                        "rows": 4,
                                        "inserted": 4,
                                        "already_present": 0,
                                        "rejected": 0,
                                        "by_year": [
                                            {
                                                "year": 2019,
                                                "source_rows": 4,
                                                "source_fen": 262800,
                                                "platform_rows": 4,
                                                "platform_fen": 262800
                                            }
                                        ]
                                    },
                                    "problems": []
                                }
                            },
                            "partly": {
                                "summary": "valid_only=true: enrolments, three written, one already present, two rejected",
                                "value": {
                                    "job_id": 742,
                                    "kind": "enrolments",
                                    "applied": true,
                                    "reconciliation": {
                                        "rows": 6,
                                        "inserted": 3,
                                        "already_present": 1,
                                        "rejected": 2,
                                        "by_year": [
                                            {
                                                "year": 2012,
                                                "source_rows": 2,
                                                "source_fen": 0,
                                                "platform_rows": 3,
                                                "platform_fen": 0
                                            },
                                            {
                                                "year": 2016,
                                                "source_rows": 3,
                                                "source_fen": 0,
                                                "platform_rows": 2,
                                                "platform_fen": 0
                                            },
                                            {
                                                "year": 2020,
                                                "source_rows": 1,
                                                "source_fen": 0,
                                                "platform_rows": 1,
                                                "platform_fen": 0
                                            }
                                        ]
                                    },
                                    "problems": [
                                        {
                                            "row": 4,
                                            "column": "credit_code",
                                            "value": "91411000MA3X5R7T2L",
                                            "code": "credit_code.checksum",
                                            "message": "统一社会信用代码校验位不正确",
                                            "message_zh": "统一社会信用代码校验位不正确",
                                            "message_en": "The unified social credit code's check character is wrong"
                                        },
                                        {
                                            "row": 6,
                                            "column": "end_period",
                                            "value": "3",
                                            "code": "import.active_twice",
                                            "message": "文件中该人员的同一险种已有一条在保（未填停保年月）的参保记录，一人一个险种只能有一条在保记录；显示的值为前一条所在的行号",
                                            "message_zh": "文件中该人员的同一险种已有一条在保（未填停保年月）的参保记录，一人一个险种只能有一条在保记录；显示的值为前一条所在的行号",
                                            "message_en": "A second active enrolment (no end month) for the same person and insurance type in the file; a person has one active enrolment per type. The value shown is the row of the first"
                                        }
                                    ]
                                }
                            },
                            "again": {
                                "summary": "The same file imported a second time: nothing changes",
                                "value": {
                                    "job_id": 732,
                                    "kind": "contributions",
                                    "applied": true,
                                    "reconciliation": {
                                        "rows": 4,
                                        "inserted": 0,
                                        "already_present": 4,
                                        "rejected": 0,
                                        "by_year": [
                                            {
                                                "year": 2019,
                                                "source_rows": 4,
                                                "source_fen": 262800,
                                                "platform_rows": 4,
                                                "platform_fen": 262800
                                            }
                                        ]
                                    },
                                    "problems": []
                                }
                            }
                        }
                    }
                }
            },
            "400": {
                "description": "Malformed query: `valid_only` not `true`/`false` (code `request.malformed`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "query": {
                                "summary": "valid_only=yes (request.malformed)",
                                "value": {
                                    "error": {
                                        "code": "request.malformed",
                                        "message": "提交的内容格式不正确，请刷新页面后重试",
                                        "fields": [],
                                        "detail": "Query deserialize error: provided string was not `true` or `false`"
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": {
                "description": "Not found (code `not_found`): `kind` is not one of `persons`, `employers`, `employments`, `enrolments`, `contributions`.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "not_found": {
                                "summary": "POST /api/v1/imports/wages (not_found)",
                                "value": {
                                    "error": {
                                        "code": "not_found",
                                        "message": "没有找到相关记录，可能已被删除或不属于本市",
                                        "fields": []
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "409": {
                "description": "The caller's city is suspended and read-only (code `tenant.suspended`); nothing is written.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "suspended": {
                                "summary": "Suspended city (tenant.suspended)",
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
                            },
                            "english": {
                                "summary": "The same with `Accept-Language: en`",
                                "value": {
                                    "error": {
                                        "code": "tenant.suspended",
                                        "message": "This city is suspended: records can be read but no business can be done",
                                        "fields": [
                                            {
                                                "field": "tenant",
                                                "code": "tenant.suspended",
                                                "label": "City",
                                                "message": "This city is suspended: records can be read but no business can be done"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "413": {
                "description": "The file is larger than 64 MiB (plain-text body, not the Error schema).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                }
            },
            "422": {
                "description": "Either the report, when rows had problems and nothing was written (`ImportReport`, `applied` false), or a problem with the file itself (`Error`, code `validation`, field `file`: `csv.empty`, `csv.header`, `import.header` (persons), `import.employer_header` (employers), `import.records_header` (employments, enrolments, contributions), `xlsx.invalid`, `xlsx.empty`; the job fails with that code and nothing is staged).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                d.output::<crate::api::imports::ImportReport>(),
                                d.output::<crate::error::ErrorBody>()
                            ]
                        },
                        "examples": {
                            "nothing_applied": {
                                "summary": "All or nothing: contribution rows with problems, nothing written",
                                "value": {
                                    "job_id": 733,
                                    "kind": "contributions",
                                    "applied": false,
                                    "reconciliation": {
                                        "rows": 6,
                                        "inserted": 0,
                                        "already_present": 1,
                                        "rejected": 4,
                                        "by_year": [
                                            {
                                                "year": 2019,
                                                "source_rows": 4,
                                                "source_fen": 448800,
                                                "platform_rows": 2,
                                                "platform_fen": 216000
                                            },
                                            {
                                                "year": 2020,
                                                "source_rows": 1,
                                                "source_fen": 15000,
                                                "platform_rows": 0,
                                                "platform_fen": 0
                                            }
                                        ]
                                    },
                                    "problems": [
                                        {
                                            "row": 3,
                                            "column": "period",
                                            "value": "2019-13",
                                            "code": "period.format",
                                            "message": "期间格式应为“年-月”，例如 2026-07",
                                            "message_zh": "期间格式应为“年-月”，例如 2026-07",
                                            "message_en": "Period must be year-month, e.g. 2026-07"
                                        },
                                        {
                                            "row": 4,
                                            "column": "*",
                                            "value": "2",
                                            "code": "import.duplicate_in_file",
                                            "message": "同一记录在文件中前面已出现过，以首次出现的行为准（人员、单位文件显示重复的号码；任职、参保、缴费历史文件显示首次出现的行号）",
                                            "message_zh": "同一记录在文件中前面已出现过，以首次出现的行为准（人员、单位文件显示重复的号码；任职、参保、缴费历史文件显示首次出现的行号）",
                                            "message_en": "The same record appears earlier in the file and the first row counts (persons and employers: the value shown is the repeated number; other files: the value shown is the first row)"
                                        },
                                        {
                                            "row": 5,
                                            "column": "id_number",
                                            "value": "4110**********0036",
                                            "code": "import.unknown_person",
                                            "message": "本市没有登记该身份证号码的人员，请先导入人员文件",
                                            "message_zh": "本市没有登记该身份证号码的人员，请先导入人员文件",
                                            "message_en": "No person with this ID number is registered in this city; import the persons file first"
                                        },
                                        {
                                            "row": 7,
                                            "column": "base_fen",
                                            "value": "520000",
                                            "code": "import.conflict",
                                            "message": "与平台已有记录冲突（姓名或名称不同、金额不同，或该人员已有同一险种的在保参保记录），请核实",
                                            "message_zh": "与平台已有记录冲突（姓名或名称不同、金额不同，或该人员已有同一险种的在保参保记录），请核实",
                                            "message_en": "Conflicts with a record already on the platform (a different name, different amounts, or an active enrolment of the same insurance type); please check"
                                        }
                                    ]
                                }
                            },
                            "english": {
                                "summary": "A report with `Accept-Language: en`",
                                "value": {
                                    "job_id": 743,
                                    "kind": "employments",
                                    "applied": false,
                                    "reconciliation": {
                                        "rows": 2,
                                        "inserted": 0,
                                        "already_present": 0,
                                        "rejected": 1,
                                        "by_year": [
                                            {
                                                "year": 2012,
                                                "source_rows": 1,
                                                "source_fen": 0,
                                                "platform_rows": 0,
                                                "platform_fen": 0
                                            },
                                            {
                                                "year": 2019,
                                                "source_rows": 1,
                                                "source_fen": 0,
                                                "platform_rows": 0,
                                                "platform_fen": 0
                                            }
                                        ]
                                    },
                                    "problems": [
                                        {
                                            "row": 3,
                                            "column": "credit_code",
                                            "value": "91411002MA40K6W8NH",
                                            "code": "import.unknown_employer",
                                            "message": "No employer with this unified social credit code is registered in this city; import the employers file first",
                                            "message_zh": "本市没有登记该统一社会信用代码的单位，请先导入单位文件",
                                            "message_en": "No employer with this unified social credit code is registered in this city; import the employers file first"
                                        }
                                    ]
                                }
                            },
                            "header": {
                                "summary": "A required column is missing (Error body; import.records_header)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "文件表头缺少必需的列：须有“身份证号码”和“统一社会信用代码”，以及该类文件的必需列（任职：入职日期；参保：险种、参保年月；缴费历史：险种、费款所属期、缴费基数、单位缴费、个人缴费），详见导入说明",
                                        "fields": [
                                            {
                                                "field": "file",
                                                "code": "import.records_header",
                                                "label": "文件",
                                                "message": "文件表头缺少必需的列：须有“身份证号码”和“统一社会信用代码”，以及该类文件的必需列（任职：入职日期；参保：险种、参保年月；缴费历史：险种、费款所属期、缴费基数、单位缴费、个人缴费），详见导入说明"
                                            }
                                        ]
                                    }
                                }
                            },
                            "xlsx": {
                                "summary": "A workbook that cannot be read (Error body; xlsx.invalid), with `Accept-Language: en`",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "The Excel file cannot be read; make sure it is an .xlsx workbook (the old .xls format is not supported), or save it as CSV and try again",
                                        "fields": [
                                            {
                                                "field": "file",
                                                "code": "xlsx.invalid",
                                                "label": "File",
                                                "message": "The Excel file cannot be read; make sure it is an .xlsx workbook (the old .xls format is not supported), or save it as CSV and try again"
                                            }
                                        ]
                                    }
                                }
                            },
                            "empty": {
                                "summary": "Empty body (Error body; csv.empty)",
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

fn download_import_report(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "imports"
        ],
        "operationId": "downloadImportReport",
        "summary": "Download an import's per-row report as CSV (导入问题清单下载)",
        "description": "The per-row report of an import job (`job_id` of `POST /api/v1/imports/{kind}`, job kind `import.persons`, `import.employers`, `import.employments`, `import.enrolments` or `import.contributions`) as a CSV file to open in a spreadsheet: UTF-8 with a byte-order mark (so Excel on Chinese Windows reads it), comma-separated, lines ending in LF, fields quoted only where needed, the header row `行 row,列 column,值 value,代码 code,问题 problem`, then one line per rejected row in row order: the row number as a spreadsheet shows it (header = row 1), the standard column name (`*` for a row that cannot be read), the value as given (identity numbers masked, first four and last four characters; names cut to 20 characters where too long; for `import.duplicate_in_file` and `import.active_twice` in employments, enrolments and contributions the row where the record first appears), the machine code (see `ErrorCode`) and the problem in the caller's language (`Accept-Language`: `en` for English, Chinese otherwise). The same rows as `problems` of the import's response; a file without problems, or a job that failed on the file itself (e.g. `import.header`, `xlsx.invalid`), gives the header row only. The report is complete once the job is `done` (`GET /api/v1/jobs/{id}`). 404 for an unknown id, another city's job or a job that is not an import (such as an assessment run). Read only; not audited.\n\n**Permission:** `import.run` (roles: city_admin).",
        "parameters": [
            {
                "name": "job",
                "in": "path",
                "required": true,
                "description": "The import's job id (`job_id` of the import's response; a non-numeric id is answered with 404).",
                "schema": {
                    "type": "integer",
                    "format": "int64",
                    "minimum": 1
                },
                "example": 522
            },
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The report, `text/csv; charset=utf-8`, as an attachment named `import-<job>-report.csv`. The body starts with the byte-order mark (EF BB BF), not shown in the examples.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store"),
                    "Content-Disposition": {
                        "description": "`attachment; filename=\"import-<job>-report.csv\"`.",
                        "schema": {
                            "type": "string"
                        },
                        "example": "attachment; filename=\"import-522-report.csv\""
                    }
                },
                "content": {
                    "text/csv": {
                        "schema": {
                            "type": "string",
                            "format": "binary"
                        },
                        "examples": {
                            "employers": {
                                "summary": "Employers import 522 (Chinese, the default)",
                                "value": "行 row,列 column,值 value,代码 code,问题 problem\n3,credit_code,91411000MA40A2B3C0,credit_code.checksum,统一社会信用代码校验位不正确\n4,risk_class,9,risk_class.range,工伤风险类别应在一类至八类之间\n6,registered_on,2019.08.22,date.format,日期格式不正确，请按“年-月-日”填写，例如 2024-03-01\n"
                            },
                            "english": {
                                "summary": "The same with `Accept-Language: en` (a value with a comma is quoted)",
                                "value": "行 row,列 column,值 value,代码 code,问题 problem\n3,credit_code,91411000MA40A2B3C0,credit_code.checksum,The unified social credit code's check character is wrong\n4,risk_class,9,risk_class.range,The work-injury risk class must be between 1 and 8\n6,registered_on,2019.08.22,date.format,\"The date is not valid; use year-month-day, for example 2024-03-01\"\n"
                            },
                            "persons": {
                                "summary": "Persons import 514 (identity numbers masked)",
                                "value": "行 row,列 column,值 value,代码 code,问题 problem\n3,id_number,4101**********1231,id_number.checksum,身份证号码校验位不正确，请核对最后一位\n4,id_number,4110**********0044,import.duplicate_in_file,同一记录在文件中前面已出现过，以首次出现的行为准（人员、单位文件显示重复的号码；任职、参保、缴费历史文件显示首次出现的行号）\n5,name,王小芳,import.conflict,与平台已有记录冲突（姓名或名称不同、金额不同，或该人员已有同一险种的在保参保记录），请核实\n"
                            },
                            "contributions": {
                                "summary": "Contribution history import 733",
                                "value": "行 row,列 column,值 value,代码 code,问题 problem\n3,period,2019-13,period.format,期间格式应为“年-月”，例如 2026-07\n4,*,2,import.duplicate_in_file,同一记录在文件中前面已出现过，以首次出现的行为准（人员、单位文件显示重复的号码；任职、参保、缴费历史文件显示首次出现的行号）\n5,id_number,4110**********0036,import.unknown_person,本市没有登记该身份证号码的人员，请先导入人员文件\n7,base_fen,520000,import.conflict,与平台已有记录冲突（姓名或名称不同、金额不同，或该人员已有同一险种的在保参保记录），请核实\n"
                            },
                            "none": {
                                "summary": "No problems: the header row only",
                                "value": "行 row,列 column,值 value,代码 code,问题 problem\n"
                            }
                        }
                    }
                }
            },
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": {
                "description": "Not found (code `not_found`): no such job in the caller's city, or the job is not an import (such as an assessment run). A job of another city and a non-numeric id get the same answer.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "not_found": {
                                "summary": "No such record in the caller's tenant (not_found)",
                                "value": {
                                    "error": {
                                        "code": "not_found",
                                        "message": "没有找到相关记录，可能已被删除或不属于本市",
                                        "fields": []
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

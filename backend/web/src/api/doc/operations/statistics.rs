//! Operations tagged `statistics`: Province dashboard, cross-city duplicate checks and the monthly statistics package (统计监管与报送).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = get_province_dashboard(d);
    d.op("get", "/api/v1/province/dashboard", op);
    let op = list_province_duplicates(d);
    d.op("get", "/api/v1/province/duplicates", op);
    let op = download_province_report(d);
    d.op("get", "/api/v1/province/report", op);
    let op = list_city_duplicates(d);
    d.op("get", "/api/v1/duplicates", op);
    let op = download_city_report(d);
    d.op("get", "/api/v1/report", op);
    let op = get_province_transfers(d);
    d.op("get", "/api/v1/province/transfers", op);
}

fn get_province_dashboard(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "statistics"
        ],
        "operationId": "getProvinceDashboard",
        "summary": "Province dashboard (全省统计概览)",
        "description": "Aggregates for the province as a whole and for every tenant: persons and employers registered, active enrolments by insurance type, persons registered unemployed now, and per contribution period new and stopped enrolments, assessed, collected, arrears, the collection rate, benefits paid, re-employed registrants, trainees and completed transfers in and out; transfers in progress. Read through the analytics role from the statistics the business writes keep (never from person-level tables), so the figures are exact; the answer is cached in Redis for 10 seconds (computed directly when Redis is down). **Small counts (statistical disclosure control):** every count of 1–4 is suppressed (`threshold` 5; 0 is always shown), and wherever a published total would give a suppressed count back by subtraction, the next smallest count of that total is suppressed too (complementary suppression, repeated until every total has no suppressed count or at least two). One pattern is computed for all province outputs — the dashboard, its page and exports, the province package and the transfer counts — so no output undoes another; no role sees small counts. A suppressed count reads `null` and the area (or item) has `suppressed: true`; pages, CSV and workbooks show \"<5\". Money is never suppressed. Also per area: transfers open in and out, steps overdue and transfers completed in and out (all months). The same figures are shown on the page `/province`.\n\n**Permission:** `stats.province` (roles: province_supervisor).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The dashboard.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::province::model::Dashboard>(),
                        "examples": {
                            "supervisor": {
                                "summary": "As a province supervisor sees it (abridged to three tenants): the provincial tier's small counts hidden (null, -1), Hebi's 4 employers and November stops of 2 and 3 too (the province's sum of 5 is shown); nothing assessed yet for Hebi's December; labour and benefit figures only in the newest months",
                                "value": {
                                    "province": {
                                        "code": "410000",
                                        "name_zh": "河南省",
                                        "name_en": "Henan",
                                        "status": "",
                                        "wave": 0,
                                        "persons": 57333,
                                        "employers": 1271,
                                        "insured": {
                                            "maternity": 21412,
                                            "medical": 22043,
                                            "pension": 21740,
                                            "unemployment": 21160,
                                            "work_injury": 21500
                                        },
                                        "insured_total": 107855,
                                        "registered_unemployed": 1553,
                                        "months": [
                                            {
                                                "period": "2026-12",
                                                "new_enrolments": 255,
                                                "stopped_enrolments": 43,
                                                "assessed_fen": 2642425500i64,
                                                "collected_fen": 2519638000i64,
                                                "arrears_fen": 122787500,
                                                "collection_rate_permille": 953,
                                                "benefits_paid_fen": 0,
                                                "re_employed": 24,
                                                "trainees": 26,
                                                "transfers_in": 4,
                                                "transfers_out": 1
                                            },
                                            {
                                                "period": "2026-11",
                                                "new_enrolments": 233,
                                                "stopped_enrolments": 5,
                                                "assessed_fen": 3093308000i64,
                                                "collected_fen": 3032078000i64,
                                                "arrears_fen": 61230000,
                                                "collection_rate_permille": 980,
                                                "benefits_paid_fen": 453940000,
                                                "re_employed": 18,
                                                "trainees": 31,
                                                "transfers_in": 2,
                                                "transfers_out": 2
                                            }
                                        ],
                                        "suppressed": false,
                                        "open_in": 0,
                                        "open_out": 0,
                                        "overdue": 0,
                                        "completed_in": 0,
                                        "completed_out": 0
                                    },
                                    "cities": [
                                        {
                                            "code": "410000",
                                            "name_zh": "河南省（省本级）",
                                            "name_en": "Henan provincial tier",
                                            "status": "live",
                                            "wave": 0,
                                            "persons": null,
                                            "employers": null,
                                            "insured": {
                                                "maternity": 0,
                                                "medical": null,
                                                "pension": null,
                                                "unemployment": 0,
                                                "work_injury": 0
                                            },
                                            "insured_total": 6,
                                            "registered_unemployed": 0,
                                            "months": [
                                                {
                                                    "period": "2026-12",
                                                    "new_enrolments": -1,
                                                    "stopped_enrolments": 0,
                                                    "assessed_fen": 708000,
                                                    "collected_fen": 708000,
                                                    "arrears_fen": 0,
                                                    "collection_rate_permille": 1000,
                                                    "benefits_paid_fen": 0,
                                                    "re_employed": 0,
                                                    "trainees": 0,
                                                    "transfers_in": 0,
                                                    "transfers_out": 0
                                                },
                                                {
                                                    "period": "2026-11",
                                                    "new_enrolments": 0,
                                                    "stopped_enrolments": 0,
                                                    "assessed_fen": 708000,
                                                    "collected_fen": 708000,
                                                    "arrears_fen": 0,
                                                    "collection_rate_permille": 1000,
                                                    "benefits_paid_fen": 0,
                                                    "re_employed": 0,
                                                    "trainees": 0,
                                                    "transfers_in": 0,
                                                    "transfers_out": 0
                                                }
                                            ],
                                            "suppressed": true,
                                            "open_in": null,
                                            "open_out": null,
                                            "overdue": null,
                                            "completed_in": null,
                                            "completed_out": null
                                        },
                                        {
                                            "code": "410600",
                                            "name_zh": "鹤壁市",
                                            "name_en": "Hebi",
                                            "status": "pilot",
                                            "wave": 1,
                                            "persons": 9120,
                                            "employers": null,
                                            "insured": {
                                                "maternity": 3310,
                                                "medical": 3390,
                                                "pension": 3305,
                                                "unemployment": 3180,
                                                "work_injury": 3290
                                            },
                                            "insured_total": 16475,
                                            "registered_unemployed": 211,
                                            "months": [
                                                {
                                                    "period": "2026-12",
                                                    "new_enrolments": 41,
                                                    "stopped_enrolments": 6,
                                                    "assessed_fen": 0,
                                                    "collected_fen": 0,
                                                    "arrears_fen": 0,
                                                    "collection_rate_permille": null,
                                                    "benefits_paid_fen": 0,
                                                    "re_employed": 6,
                                                    "trainees": 0,
                                                    "transfers_in": 1,
                                                    "transfers_out": 0
                                                },
                                                {
                                                    "period": "2026-11",
                                                    "new_enrolments": 35,
                                                    "stopped_enrolments": -1,
                                                    "assessed_fen": 462380000,
                                                    "collected_fen": 401150000,
                                                    "arrears_fen": 61230000,
                                                    "collection_rate_permille": 867,
                                                    "benefits_paid_fen": 61540000,
                                                    "re_employed": -1,
                                                    "trainees": 9,
                                                    "transfers_in": 0,
                                                    "transfers_out": 2
                                                }
                                            ],
                                            "suppressed": true,
                                            "open_in": 0,
                                            "open_out": 0,
                                            "overdue": 0,
                                            "completed_in": 0,
                                            "completed_out": 0
                                        },
                                        {
                                            "code": "411000",
                                            "name_zh": "许昌市",
                                            "name_en": "Xuchang",
                                            "status": "pilot",
                                            "wave": 1,
                                            "persons": 48210,
                                            "employers": 1265,
                                            "insured": {
                                                "maternity": 18102,
                                                "medical": 18650,
                                                "pension": 18432,
                                                "unemployment": 17980,
                                                "work_injury": 18210
                                            },
                                            "insured_total": 91374,
                                            "registered_unemployed": 1342,
                                            "months": [
                                                {
                                                    "period": "2026-12",
                                                    "new_enrolments": 212,
                                                    "stopped_enrolments": 37,
                                                    "assessed_fen": 2641717500i64,
                                                    "collected_fen": 2518930000i64,
                                                    "arrears_fen": 122787500,
                                                    "collection_rate_permille": 953,
                                                    "benefits_paid_fen": 0,
                                                    "re_employed": 18,
                                                    "trainees": 26,
                                                    "transfers_in": 3,
                                                    "transfers_out": 1
                                                },
                                                {
                                                    "period": "2026-11",
                                                    "new_enrolments": 198,
                                                    "stopped_enrolments": -1,
                                                    "assessed_fen": 2630220000i64,
                                                    "collected_fen": 2630220000i64,
                                                    "arrears_fen": 0,
                                                    "collection_rate_permille": 1000,
                                                    "benefits_paid_fen": 392400000,
                                                    "re_employed": 15,
                                                    "trainees": 22,
                                                    "transfers_in": 2,
                                                    "transfers_out": 0
                                                }
                                            ],
                                            "suppressed": true,
                                            "open_in": 0,
                                            "open_out": 0,
                                            "overdue": 0,
                                            "completed_in": 0,
                                            "completed_out": 0
                                        }
                                    ],
                                    "source": null
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

fn list_province_duplicates(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "statistics"
        ],
        "operationId": "listProvinceDuplicates",
        "summary": "Cross-city duplicates by pair of cities (跨地市重复参保统计)",
        "description": "Counts of the latest cross-city duplicate check (`jinbao province duplicates`): for each city and each other city, how many persons actively insured for pension in the one are actively insured for pension in the other too. Counts only: no person, name or identity number is ever shown to the province (read through the analytics role, which may read only the tenant columns of the findings). A count of 1–4 is suppressed (`persons` `null`, `suppressed` `true`); no total is published, so no complementary suppression is needed. Each city sees its own persons with `GET /api/v1/duplicates`.\n\n**Permission:** `stats.province` (roles: province_supervisor).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "Counts per pair of cities.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<crate::province::api::DuplicatePair>>(),
                        "examples": {
                            "pairs": {
                                "summary": "Hebi and Xuchang share 12 persons, Xuchang and Zhoukou 3",
                                "value": {
                                    "items": [
                                        {
                                            "tenant": "410600",
                                            "other": "411000",
                                            "persons": 12,
                                            "suppressed": false
                                        },
                                        {
                                            "tenant": "411000",
                                            "other": "410600",
                                            "persons": 12,
                                            "suppressed": false
                                        },
                                        {
                                            "tenant": "411000",
                                            "other": "411600",
                                            "persons": 3,
                                            "suppressed": false
                                        },
                                        {
                                            "tenant": "411600",
                                            "other": "411000",
                                            "persons": 3,
                                            "suppressed": false
                                        }
                                    ]
                                }
                            },
                            "none": {
                                "summary": "No findings (or no check run yet)",
                                "value": {
                                    "items": []
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

fn download_province_report(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "statistics"
        ],
        "operationId": "downloadProvinceReport",
        "summary": "Monthly statistics package of the province (全省月度统计报送包)",
        "description": "The month's statistics of every tenant and the province total as one versioned, machine-readable package for submission to the ministry. `areas` holds every tenant in the platform's order (the provincial tier 410000 河南省（省本级） included, `kind` `province`), then the province total (`code` `total`, `name_zh` 河南省合计, `name_en` Henan total, `kind` `total`, `status` empty); `scope` lists every tenant's code. Read through the analytics role from the statistics (never from person-level tables).\n\nA zip file (deflate) with three files, format `jinbao.monthly-statistics` version 2:\n\n- `report.json` — `{format, version, period, suppression, areas}` (see `StatisticsReport`, `StatisticsArea`): per area `code`, `name_zh`, `name_en`, `kind`, `status`, `persons`, `employers` (at the time of download), `active_enrolments` (at the time of download), `new_enrolments`, `stopped_enrolments`, `assessed_fen` (each by insurance type: `pension`, `medical`, `unemployment`, `work_injury`, `maternity`) `collected_fen` for the period, and `suppressed`;\n- `areas.csv` — the same areas as a table (UTF-8 without BOM, comma-separated, header row): `code`, `name_zh`, `persons`, `employers`, then `active_enrolments.{type}`, `new_enrolments.{type}`, `stopped_enrolments.{type}`, `assessed_fen.{type}` for the five types in that order, then `collected_fen` (23 columns);\n- `manifest.json` — `format`, `version`, `period`, `generated_at` (RFC 3339), `scope` (tenant codes) and `files`: name, size in bytes and SHA-256 (hex) of `report.json` and `areas.csv` (see `StatisticsManifest`).\n\nCounts are suppressed as on the dashboard: `null` in `report.json` (the area has `suppressed: true`) and `<5` in `areas.csv` — every count of 1–4 and, complementarily, the next smallest count of any total that would give one back (the province total over the areas, an area's total over the types as the dashboard publishes it). The province package uses the province-wide pattern, which hides at least what each city's own package hides; a city package is suppressed within the city. `report.json` also states the rule: `suppression: {threshold: 5, shown_as: null, in_csv: \"<5\"}`. Money in integer fen is never suppressed. Version 2 (counts may be `null`); a new version of the format says in `version` which fields to expect. Described in `docs/exchange-format.md`.\n\n**Permission:** `stats.province` (roles: province_supervisor).",
        "parameters": [
            {
                "name": "period",
                "in": "query",
                "required": true,
                "description": "The period reported, `YYYY-MM` (`2026-7` accepted too); missing or malformed is 422 `period.format`.",
                "schema": d.input::<jinbao_domain::Period>(),
                "example": "2026-12"
            },
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The package, as an attachment named `henan-2026-12-v1.zip` (always `henan-<period>-v1.zip`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store"),
                    "Content-Disposition": {
                        "description": "`attachment; filename=\"henan-2026-12-v1.zip\"` — `<code>-<period>-v<version>.zip`.",
                        "schema": {
                            "type": "string"
                        },
                        "example": "attachment; filename=\"henan-2026-12-v1.zip\""
                    }
                },
                "content": {
                    "application/zip": {
                        "schema": {
                            "type": "string",
                            "format": "binary"
                        }
                    }
                }
            },
            "400": {
                "description": "Malformed query string, e.g. `period` given twice (code `request.malformed`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "query": {
                                "summary": "The query cannot be parsed (request.malformed)",
                                "value": {
                                    "error": {
                                        "code": "request.malformed",
                                        "message": "提交的内容格式不正确，请刷新页面后重试",
                                        "fields": [],
                                        "detail": "Query deserialize error: duplicate field `period`"
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
                "description": "Missing or malformed `period` (code `validation`, field `period`, `period.format`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "format": {
                                "summary": "Missing or bad period (period.format)",
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
                            "english": {
                                "summary": "The same with `Accept-Language: en`",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "Period must be year-month, e.g. 2026-07",
                                        "fields": [
                                            {
                                                "field": "period",
                                                "code": "period.format",
                                                "label": "Period",
                                                "message": "Period must be year-month, e.g. 2026-07"
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

fn list_city_duplicates(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "statistics"
        ],
        "operationId": "listCityDuplicates",
        "summary": "Own persons insured in other cities too (本市跨地市重复参保人员)",
        "description": "The caller's city's findings of the latest cross-city duplicate check: its own persons actively insured for pension here and in other cities too, with the division codes of those cities (nothing else about the person there), by name. The check compares identity numbers city by city and writes each city only its own findings. Identity numbers are masked (`4110**********0044`) unless one of the caller's roles grants `person.reveal_id` (roles: reviewer).\n\n**Permission:** `person.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The findings.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<crate::province::api::DuplicateFinding>>(),
                        "examples": {
                            "found": {
                                "summary": "Two persons also insured elsewhere: one in Hebi, one in Hebi and Zhoukou (masked)",
                                "value": {
                                    "items": [
                                        {
                                            "person_id": 1024,
                                            "name": "李秀英",
                                            "id_number": "4110**********0044",
                                            "found_at": "2026-12-01T01:00:03.118406Z",
                                            "insured_elsewhere": true,
                                            "other_city_count": 1
                                        },
                                        {
                                            "person_id": 2318,
                                            "name": "王建国",
                                            "id_number": "4110**********1235",
                                            "found_at": "2026-12-01T01:00:03.118406Z",
                                            "insured_elsewhere": true,
                                            "other_city_count": 1
                                        }
                                    ]
                                }
                            },
                            "none": {
                                "summary": "No findings",
                                "value": {
                                    "items": []
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

fn download_city_report(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "statistics"
        ],
        "operationId": "downloadCityReport",
        "summary": "Monthly statistics package of the own city (本市月度统计报送包)",
        "description": "The month's statistics of the caller's own city (the tenant of the token, never another) as one versioned, machine-readable package for submission to the province: `areas` and `scope` hold the own city only. Read from the city's own statistics.\n\nA zip file (deflate) with three files, format `jinbao.monthly-statistics` version 2:\n\n- `report.json` — `{format, version, period, suppression, areas}` (see `StatisticsReport`, `StatisticsArea`): per area `code`, `name_zh`, `name_en`, `kind`, `status`, `persons`, `employers` (at the time of download), `active_enrolments` (at the time of download), `new_enrolments`, `stopped_enrolments`, `assessed_fen` (each by insurance type: `pension`, `medical`, `unemployment`, `work_injury`, `maternity`) `collected_fen` for the period, and `suppressed`;\n- `areas.csv` — the same areas as a table (UTF-8 without BOM, comma-separated, header row): `code`, `name_zh`, `persons`, `employers`, then `active_enrolments.{type}`, `new_enrolments.{type}`, `stopped_enrolments.{type}`, `assessed_fen.{type}` for the five types in that order, then `collected_fen` (23 columns);\n- `manifest.json` — `format`, `version`, `period`, `generated_at` (RFC 3339), `scope` (tenant codes) and `files`: name, size in bytes and SHA-256 (hex) of `report.json` and `areas.csv` (see `StatisticsManifest`).\n\nCounts are suppressed as on the dashboard: `null` in `report.json` (the area has `suppressed: true`) and `<5` in `areas.csv` — every count of 1–4 and, complementarily, the next smallest count of any total that would give one back (the province total over the areas, an area's total over the types as the dashboard publishes it). The province package uses the province-wide pattern, which hides at least what each city's own package hides; a city package is suppressed within the city. `report.json` also states the rule: `suppression: {threshold: 5, shown_as: null, in_csv: \"<5\"}`. Money in integer fen is never suppressed. Version 2 (counts may be `null`); a new version of the format says in `version` which fields to expect. Described in `docs/exchange-format.md`.\n\n**Permission:** `contribution.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            {
                "name": "period",
                "in": "query",
                "required": true,
                "description": "The period reported, `YYYY-MM` (`2026-7` accepted too); missing or malformed is 422 `period.format`.",
                "schema": d.input::<jinbao_domain::Period>(),
                "example": "2026-12"
            },
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The package, as an attachment named `411000-2026-12-v1.zip` (`<city code>-<period>-v1.zip`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store"),
                    "Content-Disposition": {
                        "description": "`attachment; filename=\"411000-2026-12-v1.zip\"` — `<code>-<period>-v<version>.zip`.",
                        "schema": {
                            "type": "string"
                        },
                        "example": "attachment; filename=\"411000-2026-12-v1.zip\""
                    }
                },
                "content": {
                    "application/zip": {
                        "schema": {
                            "type": "string",
                            "format": "binary"
                        }
                    }
                }
            },
            "400": {
                "description": "Malformed query string, e.g. `period` given twice (code `request.malformed`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "query": {
                                "summary": "The query cannot be parsed (request.malformed)",
                                "value": {
                                    "error": {
                                        "code": "request.malformed",
                                        "message": "提交的内容格式不正确，请刷新页面后重试",
                                        "fields": [],
                                        "detail": "Query deserialize error: duplicate field `period`"
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
                "description": "Missing or malformed `period` (code `validation`, field `period`, `period.format`).",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "format": {
                                "summary": "Missing or bad period (period.format)",
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
                            "english": {
                                "summary": "The same with `Accept-Language: en`",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "Period must be year-month, e.g. 2026-07",
                                        "fields": [
                                            {
                                                "field": "period",
                                                "code": "period.format",
                                                "label": "Period",
                                                "message": "Period must be year-month, e.g. 2026-07"
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

fn get_province_transfers(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "statistics",
            "transfers"
        ],
        "operationId": "getProvinceTransfers",
        "summary": "Transfers between cities per city (跨市转移统计)",
        "description": "For every city: open transfers in and out, open transfers whose step waits more than 15 working days, and transfers completed in and out (all time). Counts only — no person, name or identity number (read through the analytics role and `transfer_overview()`). The same counts as the dashboard, from the same suppression pattern (its 10-second cache included): a count of 1–4 and any count that would give one back — from the province's total, or because every transfer is open out of one city and into another — reads `null`, with `suppressed: true`.\n\n**Permission:** `stats.province` (roles: province_supervisor).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "Counts per city.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<crate::province::api::ProvinceTransferCity>>(),
                        "examples": {
                            "counts": {
                                "summary": "One open and overdue transfer from Xuchang to Zhoukou, one completed",
                                "value": {
                                    "items": [
                                        {
                                            "code": "411000",
                                            "name_zh": "许昌市",
                                            "name_en": "Xuchang",
                                            "open_in": 0,
                                            "open_out": 1,
                                            "overdue": 1,
                                            "completed_in": 0,
                                            "completed_out": 1,
                                            "suppressed": false
                                        },
                                        {
                                            "code": "411600",
                                            "name_zh": "周口市",
                                            "name_en": "Zhoukou",
                                            "open_in": 1,
                                            "open_out": 0,
                                            "overdue": 1,
                                            "completed_in": 1,
                                            "completed_out": 0,
                                            "suppressed": false
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

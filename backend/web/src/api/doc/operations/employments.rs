//! Operations tagged `employments`: Hiring and leaving (就业).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = create_employment(d);
    d.op("post", "/api/v1/employments", op);
    let op = end_employment(d);
    d.op("post", "/api/v1/employments/{id}/end", op);
}

fn create_employment(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "employments"
        ],
        "operationId": "createEmployment",
        "summary": "Record a hire (办理入职)",
        "description": "Records that a person works at an employer from `start_date`. Both must exist in the caller's tenant; an unknown (or other-tenant) id is reported as a field problem (422 `not_found` on `person_id` or `employer_id`), not as 404. A person can hold only one open employment per employer (409 `employment.already_open`). An `employed` event is added to the person's timeline; the write is audited. The hire also stops a running unemployment benefit of the person (with the month before the hire month) and ends the person's open unemployment registration as `re_employed` (dated the start date, or the registration date if later; a `re_employed` event, counted in the month's `re_employed`). The response carries no `Location` header (there is no GET for a single employment).\n\n**Permission:** `employment.write` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::employments::HireInput>(),
                    "examples": {
                        "hire": {
                            "summary": "Hire from 1 December",
                            "value": {
                                "person_id": 1024,
                                "employer_id": 77,
                                "start_date": "2026-12-01"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "201": {
                "description": "Recorded.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::employments::Employment>(),
                        "examples": {
                            "hired": {
                                "summary": "Open employment",
                                "value": {
                                    "id": 5001,
                                    "person_id": 1024,
                                    "employer_id": 77,
                                    "start_date": "2026-12-01",
                                    "end_date": null,
                                    "end_reason": null
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
                            "already_open": {
                                "summary": "Already employed there (employment.already_open)",
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
                            "not_found": {
                                "summary": "Unknown person (not_found on person_id)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "没有找到相关记录，可能已被删除或不属于本市",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "not_found",
                                                "label": "人员",
                                                "message": "没有找到相关记录，可能已被删除或不属于本市"
                                            }
                                        ]
                                    }
                                }
                            },
                            "date": {
                                "summary": "Bad date (date.format)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "日期格式不正确，请按“年-月-日”填写，例如 2024-03-01",
                                        "fields": [
                                            {
                                                "field": "start_date",
                                                "code": "date.format",
                                                "label": "入职日期",
                                                "message": "日期格式不正确，请按“年-月-日”填写，例如 2024-03-01"
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

fn end_employment(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "employments"
        ],
        "operationId": "endEmployment",
        "summary": "End an employment (办理离职)",
        "description": "Ends an open employment on `end_date` with an optional reason. The end date may not be earlier than the start date (422 `employment.end_before_start`); an employment that has already ended is a conflict (409 `employment.already_ended`). A `left_employment` event is added to the person's timeline; the write is audited. 404 for an unknown id or another tenant's employment.\n\n**Permission:** `employment.write` (roles: clerk).",
        "parameters": [
            r("parameters/Id"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::employments::EndInput>(),
                    "examples": {
                        "end": {
                            "summary": "End of contract",
                            "value": {
                                "end_date": "2027-06-30",
                                "reason": "合同期满"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "The employment after ending it.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::employments::Employment>(),
                        "examples": {
                            "ended": {
                                "summary": "Ended",
                                "value": {
                                    "id": 5001,
                                    "person_id": 1024,
                                    "employer_id": 77,
                                    "start_date": "2026-12-01",
                                    "end_date": "2027-06-30",
                                    "end_reason": "合同期满"
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
                            "already_ended": {
                                "summary": "Already ended (employment.already_ended)",
                                "value": {
                                    "error": {
                                        "code": "employment.already_ended",
                                        "message": "该就业记录已办理离职",
                                        "fields": [
                                            {
                                                "field": "end_date",
                                                "code": "employment.already_ended",
                                                "label": "离职日期",
                                                "message": "该就业记录已办理离职"
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
                            "before_start": {
                                "summary": "End before start (employment.end_before_start)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "离职日期不能早于入职日期",
                                        "fields": [
                                            {
                                                "field": "end_date",
                                                "code": "employment.end_before_start",
                                                "label": "离职日期",
                                                "message": "离职日期不能早于入职日期"
                                            }
                                        ]
                                    }
                                }
                            },
                            "required": {
                                "summary": "Missing end date (required)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "此项为必填项",
                                        "fields": [
                                            {
                                                "field": "end_date",
                                                "code": "required",
                                                "label": "离职日期",
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

//! Operations tagged `persons`: Unified person registry (人员).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = create_person(d);
    d.op("post", "/api/v1/persons", op);
    let op = search_persons(d);
    d.op("post", "/api/v1/persons/search", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/persons/{id}", parameters);
    let op = get_person(d);
    d.op("get", "/api/v1/persons/{id}", op);
    let op = update_person(d);
    d.op("patch", "/api/v1/persons/{id}", op);
    let op = get_person_timeline(d);
    d.op("get", "/api/v1/persons/{id}/timeline", op);
    let op = list_person_employments(d);
    d.op("get", "/api/v1/persons/{id}/employments", op);
}

fn create_person(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "persons"
        ],
        "operationId": "createPerson",
        "summary": "Register a person (人员登记)",
        "description": "Registers a person in the caller's tenant. Gender and birth date are derived from the identity number; a 15-digit legacy number is upgraded to 18 characters and a lower-case `x` is stored upper-case. All field problems are reported at once (422). A number already registered in this tenant is a conflict (409 `person.duplicate`). A `registered` event starts the person's timeline; the write is audited (with the identity number masked).\n\n**Permission:** `person.write` (roles: clerk). The identity number is masked (`4110**********0044`, first four and last four characters) and `id_number_masked` is `true` unless one of the caller's roles grants `person.reveal_id` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<jinbao_app::registry::PersonInput>(),
                    "examples": {
                        "full": {
                            "summary": "All fields",
                            "value": {
                                "id_number": "411002198511200044",
                                "name": "李秀英",
                                "ethnicity": "汉族",
                                "hukou_kind": "urban",
                                "address": "河南省许昌市魏都区七一路 88 号",
                                "phone": "13803740044"
                            }
                        },
                        "minimal": {
                            "summary": "Required fields only",
                            "value": {
                                "id_number": "411002198511200044",
                                "name": "李秀英"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "201": {
                "description": "Registered.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Location": {
                        "description": "Path of the created person.",
                        "schema": {
                            "type": "string"
                        },
                        "example": "/api/v1/persons/1024"
                    }
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::persons::PersonView>(),
                        "examples": {
                            "masked": {
                                "summary": "Caller without person.reveal_id",
                                "value": {
                                    "id": 1024,
                                    "id_number": "4110**********0044",
                                    "id_number_masked": true,
                                    "name": "李秀英",
                                    "gender": "female",
                                    "birth_date": "1985-11-20",
                                    "ethnicity": "汉族",
                                    "hukou_kind": "urban",
                                    "address": "河南省许昌市魏都区七一路 88 号",
                                    "phone": "13803740044",
                                    "status": "active",
                                    "version": 1,
                                    "created_at": "2026-11-27T08:30:12.345678Z",
                                    "updated_at": "2026-11-27T08:30:12.345678Z"
                                }
                            },
                            "revealed": {
                                "summary": "Caller with person.reveal_id",
                                "value": {
                                    "id": 1024,
                                    "id_number": "411002198511200044",
                                    "id_number_masked": false,
                                    "name": "李秀英",
                                    "gender": "female",
                                    "birth_date": "1985-11-20",
                                    "ethnicity": "汉族",
                                    "hukou_kind": "urban",
                                    "address": "河南省许昌市魏都区七一路 88 号",
                                    "phone": "13803740044",
                                    "status": "active",
                                    "version": 1,
                                    "created_at": "2026-11-27T08:30:12.345678Z",
                                    "updated_at": "2026-11-27T08:30:12.345678Z"
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
                            "duplicate": {
                                "summary": "Already registered in this tenant (person.duplicate)",
                                "value": {
                                    "error": {
                                        "code": "person.duplicate",
                                        "message": "该身份证号码已在本市登记",
                                        "fields": [
                                            {
                                                "field": "id_number",
                                                "code": "person.duplicate",
                                                "label": "身份证号码",
                                                "message": "该身份证号码已在本市登记"
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
                            "checksum": {
                                "summary": "Wrong check character (id_number.checksum)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "身份证号码校验位不正确，请核对最后一位",
                                        "fields": [
                                            {
                                                "field": "id_number",
                                                "code": "id_number.checksum",
                                                "label": "身份证号码",
                                                "message": "身份证号码校验位不正确，请核对最后一位"
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
                                                "field": "hukou_kind",
                                                "code": "hukou_kind.invalid",
                                                "label": "户口性质",
                                                "message": "户口性质只能是城镇或农村"
                                            },
                                            {
                                                "field": "name",
                                                "code": "required",
                                                "label": "姓名",
                                                "message": "此项为必填项"
                                            },
                                            {
                                                "field": "id_number",
                                                "code": "id_number.length",
                                                "label": "身份证号码",
                                                "message": "身份证号码应为 18 位（或 15 位旧号码）"
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
                                        "message": "The ID number's check character is wrong; please check the last character",
                                        "fields": [
                                            {
                                                "field": "id_number",
                                                "code": "id_number.checksum",
                                                "label": "ID number",
                                                "message": "The ID number's check character is wrong; please check the last character"
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

fn search_persons(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "persons"
        ],
        "operationId": "searchPersons",
        "summary": "Search persons (人员查询)",
        "description": "Either an exact identity number (at most one hit; `page` is then always 1 and `has_more` false) or a name prefix (ordered by name, then id; paged). Exactly one criterion must be given (empty strings count as absent), otherwise 422 `search.criteria` on `id_number`. This is a POST so that identity numbers travel in the body and never appear in URLs, access logs or browser history.\n\n**Permission:** `person.read` (roles: clerk, reviewer, city_admin, auditor). The identity number is masked (`4110**********0044`, first four and last four characters) and `id_number_masked` is `true` unless one of the caller's roles grants `person.reveal_id` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::persons::SearchInput>(),
                    "examples": {
                        "by_id_number": {
                            "summary": "Exact identity number",
                            "value": {
                                "id_number": "411002198511200044"
                            }
                        },
                        "by_name": {
                            "summary": "Name prefix, second page of 20",
                            "value": {
                                "name_prefix": "李",
                                "page": 2,
                                "per_page": 20
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "One page of matches.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::Page<crate::api::persons::PersonView>>(),
                        "examples": {
                            "hit": {
                                "summary": "One match",
                                "value": {
                                    "items": [
                                        {
                                            "id": 1024,
                                            "id_number": "4110**********0044",
                                            "id_number_masked": true,
                                            "name": "李秀英",
                                            "gender": "female",
                                            "birth_date": "1985-11-20",
                                            "ethnicity": "汉族",
                                            "hukou_kind": "urban",
                                            "address": "河南省许昌市魏都区七一路 88 号",
                                            "phone": "13803740044",
                                            "status": "active",
                                            "version": 1,
                                            "created_at": "2026-11-27T08:30:12.345678Z",
                                            "updated_at": "2026-11-27T08:30:12.345678Z"
                                        }
                                    ],
                                    "page": 1,
                                    "per_page": 20,
                                    "has_more": false
                                }
                            },
                            "none": {
                                "summary": "No match",
                                "value": {
                                    "items": [],
                                    "page": 1,
                                    "per_page": 20,
                                    "has_more": false
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
                            "criteria": {
                                "summary": "Neither or both criteria (search.criteria)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "请输入查询条件",
                                        "fields": [
                                            {
                                                "field": "id_number",
                                                "code": "search.criteria",
                                                "label": "身份证号码",
                                                "message": "请输入查询条件"
                                            }
                                        ]
                                    }
                                }
                            },
                            "checksum": {
                                "summary": "Invalid identity number (id_number.checksum)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "身份证号码校验位不正确，请核对最后一位",
                                        "fields": [
                                            {
                                                "field": "id_number",
                                                "code": "id_number.checksum",
                                                "label": "身份证号码",
                                                "message": "身份证号码校验位不正确，请核对最后一位"
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
            "500": r("responses/InternalError"),
            "415": r("responses/UnsupportedMediaType")
        }
    })
}

fn get_person(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "persons"
        ],
        "operationId": "getPerson",
        "summary": "Get a person (人员详情)",
        "description": "One person of the caller's tenant; 404 for an unknown id or another tenant's person.\n\n**Permission:** `person.read` (roles: clerk, reviewer, city_admin, auditor). The identity number is masked (`4110**********0044`, first four and last four characters) and `id_number_masked` is `true` unless one of the caller's roles grants `person.reveal_id` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The person.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::persons::PersonView>(),
                        "examples": {
                            "masked": {
                                "summary": "Caller without person.reveal_id",
                                "value": {
                                    "id": 1024,
                                    "id_number": "4110**********0044",
                                    "id_number_masked": true,
                                    "name": "李秀英",
                                    "gender": "female",
                                    "birth_date": "1985-11-20",
                                    "ethnicity": "汉族",
                                    "hukou_kind": "urban",
                                    "address": "河南省许昌市魏都区七一路 88 号",
                                    "phone": "13803740044",
                                    "status": "active",
                                    "version": 1,
                                    "created_at": "2026-11-27T08:30:12.345678Z",
                                    "updated_at": "2026-11-27T08:30:12.345678Z"
                                }
                            },
                            "revealed": {
                                "summary": "Caller with person.reveal_id",
                                "value": {
                                    "id": 1024,
                                    "id_number": "411002198511200044",
                                    "id_number_masked": false,
                                    "name": "李秀英",
                                    "gender": "female",
                                    "birth_date": "1985-11-20",
                                    "ethnicity": "汉族",
                                    "hukou_kind": "urban",
                                    "address": "河南省许昌市魏都区七一路 88 号",
                                    "phone": "13803740044",
                                    "status": "active",
                                    "version": 1,
                                    "created_at": "2026-11-27T08:30:12.345678Z",
                                    "updated_at": "2026-11-27T08:30:12.345678Z"
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

fn update_person(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "persons"
        ],
        "operationId": "updatePerson",
        "summary": "Update a person with a reason (人员信息变更)",
        "description": "Changes the editable fields. An absent field is left unchanged; an empty string clears `ethnicity`, `hukou_kind`, `address` or `phone` (`name` cannot be cleared). The identity number, gender and birth date cannot be changed. `reason` (2–200 characters) is required; it is written to the person's timeline (`updated` event) and, with the before and after values, to the audit log. `version` increases by one.\n\n**Permission:** `person.write` (roles: clerk). The identity number is masked (`4110**********0044`, first four and last four characters) and `id_number_masked` is `true` unless one of the caller's roles grants `person.reveal_id` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::persons::UpdateInput>(),
                    "examples": {
                        "phone": {
                            "summary": "New phone, address cleared",
                            "value": {
                                "phone": "13937400044",
                                "address": "",
                                "reason": "本人申请变更联系电话"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "The person after the change.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::persons::PersonView>(),
                        "examples": {
                            "updated": {
                                "summary": "Updated",
                                "value": {
                                    "id": 1024,
                                    "id_number": "4110**********0044",
                                    "id_number_masked": true,
                                    "name": "李秀英",
                                    "gender": "female",
                                    "birth_date": "1985-11-20",
                                    "ethnicity": "汉族",
                                    "hukou_kind": "urban",
                                    "address": null,
                                    "phone": "13937400044",
                                    "status": "active",
                                    "version": 2,
                                    "created_at": "2026-11-27T08:30:12.345678Z",
                                    "updated_at": "2026-11-28T02:15:40.120033Z"
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
                            "reason": {
                                "summary": "Missing reason (reason.required)",
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
                            },
                            "hukou": {
                                "summary": "Invalid household registration (hukou_kind.invalid)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "户口性质只能是城镇或农村",
                                        "fields": [
                                            {
                                                "field": "hukou_kind",
                                                "code": "hukou_kind.invalid",
                                                "label": "户口性质",
                                                "message": "户口性质只能是城镇或农村"
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

fn get_person_timeline(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "persons"
        ],
        "operationId": "getPersonTimeline",
        "summary": "A person's life timeline (记录一生)",
        "description": "Events of the person, together with monthly contribution entries derived from the assessments and payments (`assessed`, `paid`), newest first (by date, then id), at most 500. 404 for an unknown id or another tenant's person.\n\n**Permission:** `person.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/Id"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The timeline.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::events::Event>>(),
                        "examples": {
                            "timeline": {
                                "summary": "Registered, employed, updated",
                                "value": {
                                    "items": [
                                        {
                                            "id": 90012,
                                            "occurred_on": "2026-12-01",
                                            "kind": "employed",
                                            "detail": {
                                                "employer_id": 77,
                                                "employer_name": "许昌瑞昌电气有限公司"
                                            },
                                            "created_at": "2026-11-28T06:10:00.000000Z"
                                        },
                                        {
                                            "id": 90011,
                                            "occurred_on": "2026-11-28",
                                            "kind": "updated",
                                            "detail": {
                                                "reason": "本人申请变更联系电话"
                                            },
                                            "created_at": "2026-11-28T02:15:40.120033Z"
                                        },
                                        {
                                            "id": 90010,
                                            "occurred_on": "2026-11-27",
                                            "kind": "registered",
                                            "detail": {
                                                "name": "李秀英"
                                            },
                                            "created_at": "2026-11-27T08:30:12.345678Z"
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

fn list_person_employments(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "persons"
        ],
        "operationId": "listPersonEmployments",
        "summary": "A person's employments (就业记录)",
        "description": "All employments of the person with the employer's name, newest start date first. 404 for an unknown id or another tenant's person.\n\n**Permission:** `person.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/Id"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The employments.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::employments::EmploymentView>>(),
                        "examples": {
                            "one": {
                                "summary": "One open employment",
                                "value": {
                                    "items": [
                                        {
                                            "id": 5001,
                                            "person_id": 1024,
                                            "employer_id": 77,
                                            "employer_name": "许昌瑞昌电气有限公司",
                                            "start_date": "2026-12-01",
                                            "end_date": null
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

//! Operations tagged `labour`: Unemployment registration, re-employment, vocational training and employment-service contacts (就业失业登记与就业服务).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/persons/{id}/unemployment", parameters);
    let op = register_unemployment(d);
    d.op("post", "/api/v1/persons/{id}/unemployment", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/persons/{id}/trainings", parameters);
    let op = add_training(d);
    d.op("post", "/api/v1/persons/{id}/trainings", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/persons/{id}/contacts", parameters);
    let op = add_service_contact(d);
    d.op("post", "/api/v1/persons/{id}/contacts", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/persons/{id}/labour", parameters);
    let op = get_person_labour(d);
    d.op("get", "/api/v1/persons/{id}/labour", op);
    let op = list_unemployment_registrations(d);
    d.op("get", "/api/v1/labour/registrations", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/labour/registrations/{id}/close", parameters);
    let op = close_unemployment_registration(d);
    d.op("post", "/api/v1/labour/registrations/{id}/close", op);
    let op = list_trainings(d);
    d.op("get", "/api/v1/labour/trainings", op);
}

fn register_unemployment(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "labour"
        ],
        "operationId": "registerUnemployment",
        "summary": "Register a person as unemployed (失业登记)",
        "description": "Registers the person as unemployed and seeking work from `registered_on` for a `reason`. A person has at most one open registration (status `seeking`; a unique index): another one is a conflict (409 `labour.already_registered`). An unknown person, or another tenant's, is a field problem (422 `person.unknown` on `person_id`), not 404. The open registration is the condition of the unemployment benefit (`POST /api/v1/benefits/unemployment`, `unemployment.not_registered`). It ends by itself when a hire of the person is recorded (status `re_employed`), or by `POST /api/v1/labour/registrations/{id}/close`. Adds `unemployment_registered` to the timeline, one to the city's `registered_unemployed` count, and is audited (`labour.register`). Problems are reported together.\n\n**Permission:** `labour.write` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<jinbao_app::labour::RegisterInput>(),
                    "examples": {
                        "register": {
                            "summary": "Dismissed, registered two days later",
                            "value": {
                                "registered_on": "2026-02-02",
                                "reason": "dismissed"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "201": {
                "description": "Registered: the open registration.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::labour::Registration>(),
                        "examples": {
                            "registered": {
                                "summary": "Open registration",
                                "value": {
                                    "id": 31,
                                    "person_id": 2048,
                                    "person_name": "赵失业",
                                    "registered_on": "2026-02-02",
                                    "reason": "dismissed",
                                    "status": "seeking",
                                    "ended_on": null,
                                    "end_reason": null,
                                    "office_name": "许昌市社会保险中心"
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
                            "already_registered": {
                                "summary": "Already registered (labour.already_registered)",
                                "value": {
                                    "error": {
                                        "code": "labour.already_registered",
                                        "message": "此人已有未结束的失业登记",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "labour.already_registered",
                                                "label": "人员",
                                                "message": "此人已有未结束的失业登记"
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
                            "problems": {
                                "summary": "Future date and no reason (date.future, labour.reason)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "提交的信息有误，请按提示修改后重新提交。",
                                        "fields": [
                                            {
                                                "field": "registered_on",
                                                "code": "date.future",
                                                "label": "登记日期",
                                                "message": "日期不能晚于今天"
                                            },
                                            {
                                                "field": "reason",
                                                "code": "labour.reason",
                                                "label": "原因",
                                                "message": "请选择失业原因"
                                            }
                                        ]
                                    }
                                }
                            },
                            "unknown_person": {
                                "summary": "Unknown person (person.unknown)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "本市没有找到该人员，请核对后重新选择",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "person.unknown",
                                                "label": "人员",
                                                "message": "本市没有找到该人员，请核对后重新选择"
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

fn add_training(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "labour"
        ],
        "operationId": "addTraining",
        "summary": "Record a vocational training (职业培训登记)",
        "description": "Records a course the person takes or took, with its provider, dates, certificate and training subsidy (培训补贴, in yuan; stored and returned in fen). No unemployment registration is needed. An unknown person, or another tenant's, is 422 `person.unknown` on `person_id`. Adds a `training` event dated the start date, one trainee to the statistics of the start month (`trainees`), and is audited (`labour.training`). The subsidy is recorded, not paid: it is in no payment batch or fund ledger.\n\n**Permission:** `labour.write` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<jinbao_app::labour::TrainingInput>(),
                    "examples": {
                        "training": {
                            "summary": "Electrician course with a subsidy",
                            "value": {
                                "course": "电工（初级）",
                                "provider": "许昌市职业技能培训中心",
                                "start_date": "2026-03-02",
                                "end_date": "2026-04-30",
                                "certificate_no": "HN2026-DG-000321",
                                "subsidy": "1200.00"
                            }
                        },
                        "minimal": {
                            "summary": "Running course, no certificate yet, no subsidy",
                            "value": {
                                "course": "育婴员",
                                "provider": "许昌市家政服务职业培训学校",
                                "start_date": "2026-02-16"
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
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::labour::Training>(),
                        "examples": {
                            "training": {
                                "summary": "The training",
                                "value": {
                                    "id": 12,
                                    "person_id": 2048,
                                    "person_name": "赵失业",
                                    "course": "电工（初级）",
                                    "provider": "许昌市职业技能培训中心",
                                    "start_date": "2026-03-02",
                                    "end_date": "2026-04-30",
                                    "certificate_no": "HN2026-DG-000321",
                                    "subsidy_fen": 120000
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
                            "unknown_person": {
                                "summary": "Unknown person (person.unknown)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "本市没有找到该人员，请核对后重新选择",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "person.unknown",
                                                "label": "人员",
                                                "message": "本市没有找到该人员，请核对后重新选择"
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

fn add_service_contact(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "labour"
        ],
        "operationId": "addServiceContact",
        "summary": "Record an employment-service contact (就业服务记录)",
        "description": "Records a service given to the person: a job referral, career counselling, a job fair, policy advice or another service, with an optional note. No unemployment registration is needed. An unknown person, or another tenant's, is 422 `person.unknown` on `person_id`; an unknown kind is `labour.contact_kind`. Adds a `service_contact` event and is audited (`labour.contact`). Answers only the new id; the contact is read back with `GET /api/v1/persons/{id}/labour`.\n\n**Permission:** `labour.write` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<jinbao_app::labour::ContactInput>(),
                    "examples": {
                        "referral": {
                            "summary": "Job referral",
                            "value": {
                                "contacted_on": "2026-02-20",
                                "kind": "job_referral",
                                "note": "推荐至许昌瑞昌电气有限公司面试（装配工）"
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
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Created>(),
                        "examples": {
                            "created": {
                                "summary": "The new id",
                                "value": {
                                    "id": 45
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
                            "unknown_person": {
                                "summary": "Unknown person (person.unknown)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "本市没有找到该人员，请核对后重新选择",
                                        "fields": [
                                            {
                                                "field": "person_id",
                                                "code": "person.unknown",
                                                "label": "人员",
                                                "message": "本市没有找到该人员，请核对后重新选择"
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

fn get_person_labour(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "labour"
        ],
        "operationId": "getPersonLabour",
        "summary": "A person's labour-market record (就业失业记录)",
        "description": "The open unemployment registration (or `null`), the trainings (newest first, at most 100) and every employment-service contact (newest first). 404 for an unknown id or another tenant's person. Ended registrations appear on the timeline (`re_employed`, `unemployment_closed`) and in `GET /api/v1/labour/registrations`.\n\n**Permission:** `person.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The record.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::labour::LabourRecord>(),
                        "examples": {
                            "seeking": {
                                "summary": "Registered, in training, two contacts",
                                "value": {
                                    "open_registration": {
                                        "id": 31,
                                        "person_id": 2048,
                                        "person_name": "赵失业",
                                        "registered_on": "2026-02-02",
                                        "reason": "dismissed",
                                        "status": "seeking",
                                        "ended_on": null,
                                        "end_reason": null,
                                        "office_name": "许昌市社会保险中心"
                                    },
                                    "trainings": [
                                        {
                                            "id": 12,
                                            "person_id": 2048,
                                            "person_name": "赵失业",
                                            "course": "电工（初级）",
                                            "provider": "许昌市职业技能培训中心",
                                            "start_date": "2026-03-02",
                                            "end_date": "2026-04-30",
                                            "certificate_no": "HN2026-DG-000321",
                                            "subsidy_fen": 120000
                                        }
                                    ],
                                    "contacts": [
                                        {
                                            "id": 45,
                                            "contacted_on": "2026-02-20",
                                            "kind": "job_referral",
                                            "note": "推荐至许昌瑞昌电气有限公司面试（装配工）",
                                            "handler": "张敏",
                                            "created_at": "2026-02-20T03:12:45.118200Z"
                                        },
                                        {
                                            "id": 44,
                                            "contacted_on": "2026-02-02",
                                            "kind": "policy_advice",
                                            "note": null,
                                            "handler": "张敏",
                                            "created_at": "2026-02-02T02:40:10.004512Z"
                                        }
                                    ]
                                }
                            },
                            "nothing": {
                                "summary": "Nothing recorded",
                                "value": {
                                    "open_registration": null,
                                    "trainings": [],
                                    "contacts": []
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

fn list_unemployment_registrations(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "labour"
        ],
        "operationId": "listUnemploymentRegistrations",
        "summary": "Unemployment registrations (登记失业人员)",
        "description": "The city's registrations, newest registration date first (then id), optionally of one status and by the start of the person's name. Paged by over-fetching (`has_more`; no total).\n\n**Permission:** `person.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            {
                "name": "status",
                "in": "query",
                "required": false,
                "description": "Only this status. Any other value is ignored (all statuses are listed); the page `/labour` shows `seeking` by default, the API all.",
                "schema": d.input::<jinbao_store::kinds::RegistrationStatus>()
            },
            {
                "name": "name",
                "in": "query",
                "required": false,
                "description": "Only persons whose name starts with this (trimmed; empty: all; `%` and `_` match literally).",
                "schema": {
                    "type": "string"
                },
                "example": "赵"
            },
            r("parameters/Page"),
            r("parameters/PerPage"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "A page of registrations.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::Page<jinbao_store::repo::labour::Registration>>(),
                        "examples": {
                            "all": {
                                "summary": "Every status",
                                "value": {
                                    "items": [
                                        {
                                            "id": 31,
                                            "person_id": 2048,
                                            "person_name": "赵失业",
                                            "registered_on": "2026-02-02",
                                            "reason": "dismissed",
                                            "status": "re_employed",
                                            "ended_on": "2026-09-01",
                                            "end_reason": "re_employed",
                                            "office_name": "许昌市社会保险中心"
                                        },
                                        {
                                            "id": 27,
                                            "person_id": 1536,
                                            "person_name": "孙红梅",
                                            "registered_on": "2026-01-12",
                                            "reason": "contract_ended",
                                            "status": "closed",
                                            "ended_on": "2026-08-15",
                                            "end_reason": "本人申请注销，已自主创业",
                                            "office_name": "许昌市社会保险中心"
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

fn close_unemployment_registration(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "labour"
        ],
        "operationId": "closeUnemploymentRegistration",
        "summary": "Close an unemployment registration (注销失业登记)",
        "description": "Ends an open registration (the path id is the registration's) for a reason other than a job: status `closed`, with `ended_on` and the reason as `end_reason`. A recorded hire ends it by itself as `re_employed` (`POST /api/v1/employments`, or an enrolment with a hire), so this is not needed then. A registration that has already ended is a conflict (409 `labour.not_open`); an end date before the registration date is 422 `date.order`. 404 for an unknown id or another tenant's registration. Adds `unemployment_closed` to the timeline, takes one off `registered_unemployed`, and is audited (`labour.end`). Closing does not by itself stop a running unemployment benefit (the registration is checked when the benefit is proposed; a hire stops it).\n\n**Permission:** `labour.write` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::labour::EndInput>(),
                    "examples": {
                        "close": {
                            "summary": "Closed at the person's request",
                            "value": {
                                "ended_on": "2026-08-15",
                                "reason": "本人申请注销，已自主创业"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "The registration after closing it.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::labour::Registration>(),
                        "examples": {
                            "closed": {
                                "summary": "Closed",
                                "value": {
                                    "id": 27,
                                    "person_id": 1536,
                                    "person_name": "孙红梅",
                                    "registered_on": "2026-01-12",
                                    "reason": "contract_ended",
                                    "status": "closed",
                                    "ended_on": "2026-08-15",
                                    "end_reason": "本人申请注销，已自主创业",
                                    "office_name": "许昌市社会保险中心"
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
                            "not_open": {
                                "summary": "Already ended (labour.not_open)",
                                "value": {
                                    "error": {
                                        "code": "labour.not_open",
                                        "message": "这条失业登记已经结束",
                                        "fields": [
                                            {
                                                "field": "status",
                                                "code": "labour.not_open",
                                                "label": "状态",
                                                "message": "这条失业登记已经结束"
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
                            "required": {
                                "summary": "No reason (required)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "此项为必填项",
                                        "fields": [
                                            {
                                                "field": "reason",
                                                "code": "required",
                                                "label": "原因",
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

fn list_trainings(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "labour"
        ],
        "operationId": "listTrainings",
        "summary": "Vocational trainings (职业培训)",
        "description": "The city's trainings, newest start date first (then id), optionally of one person (an unknown person gives an empty page, not 404). Paged by over-fetching (`has_more`; no total).\n\n**Permission:** `person.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            {
                "name": "person_id",
                "in": "query",
                "required": false,
                "description": "Only this person's trainings.",
                "schema": {
                    "type": "integer",
                    "format": "int64"
                },
                "example": 2048
            },
            r("parameters/Page"),
            r("parameters/PerPage"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "A page of trainings.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::Page<jinbao_store::repo::labour::Training>>(),
                        "examples": {
                            "trainings": {
                                "summary": "Two trainings",
                                "value": {
                                    "items": [
                                        {
                                            "id": 12,
                                            "person_id": 2048,
                                            "person_name": "赵失业",
                                            "course": "电工（初级）",
                                            "provider": "许昌市职业技能培训中心",
                                            "start_date": "2026-03-02",
                                            "end_date": "2026-04-30",
                                            "certificate_no": "HN2026-DG-000321",
                                            "subsidy_fen": 120000
                                        },
                                        {
                                            "id": 9,
                                            "person_id": 1536,
                                            "person_name": "孙红梅",
                                            "course": "育婴员",
                                            "provider": "许昌市家政服务职业培训学校",
                                            "start_date": "2026-02-16",
                                            "end_date": null,
                                            "certificate_no": null,
                                            "subsidy_fen": 0
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

//! Operations tagged `employers`: Employer registry (单位).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = create_employer(d);
    d.op("post", "/api/v1/employers", op);
    let op = search_employers(d);
    d.op("post", "/api/v1/employers/search", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/employers/{id}", parameters);
    let op = get_employer(d);
    d.op("get", "/api/v1/employers/{id}", op);
    let op = update_employer(d);
    d.op("patch", "/api/v1/employers/{id}", op);
    let op = list_employer_employees(d);
    d.op("get", "/api/v1/employers/{id}/employees", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/employers/{id}/injury-rate", parameters);
    let op = employer_injury_floats(d);
    d.op("get", "/api/v1/employers/{id}/injury-rate", op);
    let op = decide_injury_float(d);
    d.op("post", "/api/v1/employers/{id}/injury-rate", op);
    let parameters = json!([r("parameters/Id")]);
    d.path_parameters("/api/v1/employers/{id}/injury-record", parameters);
    let op = employer_injury_record(d);
    d.op("get", "/api/v1/employers/{id}/injury-record", op);
}

fn employer_injury_record(d: &mut Doc) -> Value {
    json!({
        "tags": ["employers"],
        "operationId": "employerInjuryRecord",
        "summary": "An employer's work-injury record (工伤记录)",
        "description": "By accident year, the last three years, the latest first: cases reported and recognised, the benefits of those cases the work-injury fund has paid and their medical costs it settled — what the yearly floating-rate decision weighs (人社部发〔2015〕71号).\n\n**Permission:** `employer.read`.",
        "parameters": [r("parameters/AcceptLanguage"), r("parameters/XRequestIdIn")],
        "responses": {
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "The record.",
                "headers": {"X-Request-Id": r("headers/X-Request-Id")},
                "content": {"application/json": {"schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::injury_cases::EmployerYear>>()}}
            }
        }
    })
}

fn create_employer(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "employers"
        ],
        "operationId": "createEmployer",
        "summary": "Register an employer (单位登记)",
        "description": "Registers an employer in the caller's tenant. The unified social credit code is checked per GB 32100-2015 (lower case accepted, stored upper case). `registered_on` may not lie in the future. A code already registered in this tenant is a conflict (409 `employer.duplicate`). The write is audited.\n\n**Permission:** `employer.write` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<jinbao_app::registry::EmployerInput>(),
                    "examples": {
                        "full": {
                            "summary": "All fields",
                            "value": {
                                "credit_code": "914110001725001321",
                                "name": "许昌瑞昌电气有限公司",
                                "industry_code": "C3821",
                                "risk_class": 3,
                                "address": "河南省许昌市魏都区瑞祥路 1 号",
                                "contact_name": "王建国",
                                "contact_phone": "0374-2961234",
                                "registered_on": "2004-06-18"
                            }
                        },
                        "form_style": {
                            "summary": "risk_class as a string, as a form sends it",
                            "value": {
                                "credit_code": "914110001725001321",
                                "name": "许昌瑞昌电气有限公司",
                                "risk_class": "3",
                                "registered_on": "2004-06-18"
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
                        "description": "Path of the created employer.",
                        "schema": {
                            "type": "string"
                        },
                        "example": "/api/v1/employers/77"
                    }
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::employers::Employer>(),
                        "examples": {
                            "employer": {
                                "summary": "Registered employer",
                                "value": {
                                    "id": 77,
                                    "credit_code": "914110001725001321",
                                    "name": "许昌瑞昌电气有限公司",
                                    "industry_code": "C3821",
                                    "risk_class": 3,
                                    "address": "河南省许昌市魏都区瑞祥路 1 号",
                                    "contact_name": "王建国",
                                    "contact_phone": "0374-2961234",
                                    "registered_on": "2004-06-18",
                                    "status": "active",
                                    "office_id": 1,
                                    "version": 1,
                                    "created_at": "2026-11-27T08:41:03.004512Z",
                                    "updated_at": "2026-11-27T08:41:03.004512Z"
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
                                "summary": "Already registered in this tenant (employer.duplicate)",
                                "value": {
                                    "error": {
                                        "code": "employer.duplicate",
                                        "message": "该统一社会信用代码已在本市登记",
                                        "fields": [
                                            {
                                                "field": "credit_code",
                                                "code": "employer.duplicate",
                                                "label": "统一社会信用代码",
                                                "message": "该统一社会信用代码已在本市登记"
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
                                "summary": "Wrong check character (credit_code.checksum)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "统一社会信用代码校验位不正确",
                                        "fields": [
                                            {
                                                "field": "credit_code",
                                                "code": "credit_code.checksum",
                                                "label": "统一社会信用代码",
                                                "message": "统一社会信用代码校验位不正确"
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
                                                "field": "name",
                                                "code": "required",
                                                "label": "姓名",
                                                "message": "此项为必填项"
                                            },
                                            {
                                                "field": "risk_class",
                                                "code": "risk_class.range",
                                                "label": "工伤风险类别",
                                                "message": "工伤风险类别应在一类至八类之间"
                                            },
                                            {
                                                "field": "registered_on",
                                                "code": "date.future",
                                                "label": "登记日期",
                                                "message": "日期不能晚于今天"
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

fn search_employers(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "employers"
        ],
        "operationId": "searchEmployers",
        "summary": "Search employers (单位查询)",
        "description": "Either an exact unified social credit code (at most one hit; `page` is then always 1 and `has_more` false) or a name prefix (ordered by name, then id; paged). Exactly one criterion must be given (empty strings count as absent), otherwise 422 `search.criteria` on `credit_code`.\n\n**Permission:** `employer.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::employers::SearchInput>(),
                    "examples": {
                        "by_code": {
                            "summary": "Exact credit code",
                            "value": {
                                "credit_code": "914110001725001321"
                            }
                        },
                        "by_name": {
                            "summary": "Name prefix",
                            "value": {
                                "name_prefix": "许昌",
                                "page": 1,
                                "per_page": 50
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
                        "schema": d.output::<jinbao_store::repo::Page<jinbao_store::repo::employers::Employer>>(),
                        "examples": {
                            "hit": {
                                "summary": "One match",
                                "value": {
                                    "items": [
                                        {
                                            "id": 77,
                                            "credit_code": "914110001725001321",
                                            "name": "许昌瑞昌电气有限公司",
                                            "industry_code": "C3821",
                                            "risk_class": 3,
                                            "address": "河南省许昌市魏都区瑞祥路 1 号",
                                            "contact_name": "王建国",
                                            "contact_phone": "0374-2961234",
                                            "registered_on": "2004-06-18",
                                            "status": "active",
                                            "office_id": 1,
                                            "version": 1,
                                            "created_at": "2026-11-27T08:41:03.004512Z",
                                            "updated_at": "2026-11-27T08:41:03.004512Z"
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
                            "criteria": {
                                "summary": "Neither or both criteria (search.criteria)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "请输入查询条件",
                                        "fields": [
                                            {
                                                "field": "credit_code",
                                                "code": "search.criteria",
                                                "label": "统一社会信用代码",
                                                "message": "请输入查询条件"
                                            }
                                        ]
                                    }
                                }
                            },
                            "format": {
                                "summary": "Invalid characters (credit_code.format)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "统一社会信用代码含有无效字符",
                                        "fields": [
                                            {
                                                "field": "credit_code",
                                                "code": "credit_code.format",
                                                "label": "统一社会信用代码",
                                                "message": "统一社会信用代码含有无效字符"
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

fn get_employer(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "employers"
        ],
        "operationId": "getEmployer",
        "summary": "Get an employer (单位详情)",
        "description": "One employer of the caller's tenant; 404 for an unknown id or another tenant's employer.\n\n**Permission:** `employer.read` (roles: clerk, reviewer, city_admin, auditor).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The employer.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::employers::Employer>(),
                        "examples": {
                            "employer": {
                                "summary": "Employer",
                                "value": {
                                    "id": 77,
                                    "credit_code": "914110001725001321",
                                    "name": "许昌瑞昌电气有限公司",
                                    "industry_code": "C3821",
                                    "risk_class": 3,
                                    "address": "河南省许昌市魏都区瑞祥路 1 号",
                                    "contact_name": "王建国",
                                    "contact_phone": "0374-2961234",
                                    "registered_on": "2004-06-18",
                                    "status": "active",
                                    "office_id": 1,
                                    "version": 1,
                                    "created_at": "2026-11-27T08:41:03.004512Z",
                                    "updated_at": "2026-11-27T08:41:03.004512Z"
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

fn update_employer(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "employers"
        ],
        "operationId": "updateEmployer",
        "summary": "Update an employer with a reason (单位信息变更)",
        "description": "Changes the editable fields. An absent field is left unchanged; an empty string clears `industry_code`, `address`, `contact_name` or `contact_phone` (`name` cannot be cleared). The credit code and registration date cannot be changed. Here `risk_class` must be a JSON integer (a string is a malformed request, 400). `reason` (2–200 characters) is required and is written with the before and after values to the audit log. `version` increases by one.\n\n**Permission:** `employer.write` (roles: clerk).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::employers::UpdateInput>(),
                    "examples": {
                        "contact": {
                            "summary": "New contact and risk class",
                            "value": {
                                "risk_class": 4,
                                "contact_name": "赵丽",
                                "contact_phone": "0374-2965678",
                                "reason": "单位变更联系人，行业风险重新评定"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "The employer after the change.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::employers::Employer>(),
                        "examples": {
                            "updated": {
                                "summary": "Updated",
                                "value": {
                                    "id": 77,
                                    "credit_code": "914110001725001321",
                                    "name": "许昌瑞昌电气有限公司",
                                    "industry_code": "C3821",
                                    "risk_class": 4,
                                    "address": "河南省许昌市魏都区瑞祥路 1 号",
                                    "contact_name": "赵丽",
                                    "contact_phone": "0374-2965678",
                                    "registered_on": "2004-06-18",
                                    "status": "active",
                                    "office_id": 1,
                                    "version": 2,
                                    "created_at": "2026-11-27T08:41:03.004512Z",
                                    "updated_at": "2026-11-28T03:02:11.501200Z"
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
                            "risk": {
                                "summary": "Risk class out of range (risk_class.range)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "工伤风险类别应在一类至八类之间",
                                        "fields": [
                                            {
                                                "field": "risk_class",
                                                "code": "risk_class.range",
                                                "label": "工伤风险类别",
                                                "message": "工伤风险类别应在一类至八类之间"
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

fn list_employer_employees(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "employers"
        ],
        "operationId": "listEmployerEmployees",
        "summary": "An employer's employees (职工名单)",
        "description": "Employees of the employer, paged: current employees first (no end date), then by start date and id, newest first. 404 for an unknown id or another tenant's employer.\n\n**Permission:** `employer.read` (roles: clerk, reviewer, city_admin, auditor). The identity numbers are masked (`4110**********0044`) unless one of the caller's roles grants `person.reveal_id` (roles: reviewer); these rows carry no `id_number_masked` flag.",
        "parameters": [
            r("parameters/Id"),
            r("parameters/Page"),
            r("parameters/PerPage"),
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "One page of employees.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::Page<jinbao_store::repo::employments::EmployeeView>>(),
                        "examples": {
                            "page": {
                                "summary": "First page",
                                "value": {
                                    "items": [
                                        {
                                            "employment_id": 5001,
                                            "person_id": 1024,
                                            "name": "李秀英",
                                            "id_number": "4110**********0044",
                                            "start_date": "2026-12-01",
                                            "end_date": null
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
            "400": {
                "description": "Malformed request: the body is not valid JSON, is not `application/json`, is larger than 256 KiB, has a value of the wrong type, or has a field the endpoint does not know (bodies are parsed with `deny_unknown_fields`). Code `request.malformed`; `detail` tells the parser's reason.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "query": {
                                "summary": "A non-integer `page` or `per_page` is rejected by the query parser (400; this body is not guaranteed to be JSON)",
                                "value": {
                                    "error": {
                                        "code": "request.malformed",
                                        "message": "提交的内容格式不正确，请刷新页面后重试",
                                        "fields": []
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
                                "summary": "Page size out of range (page.range)",
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

fn employer_injury_floats(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "employers"
        ],
        "operationId": "employerInjuryFloats",
        "summary": "Floating work-injury rate decisions (工伤保险浮动费率)",
        "description": "Newest first.\n\n**Permission:** `employer.read`.",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "200": {
                "description": "The decisions.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::shapes::Items<jinbao_store::repo::injury_rates::Decision>>()
                    }
                }
            }
        }
    })
}

fn decide_injury_float(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "employers"
        ],
        "operationId": "decideInjuryFloat",
        "summary": "Decide an employer's floating work-injury rate",
        "description": "The yearly decision (人社部发〔2015〕71号): 50, 80, 100, 120 or 150 % of the class rate, class 1 upward only, effective from a month; one decision per month (409 `injury.decided`). Preview, enrolment and the monthly assessment use the decision in force for the month. Audited (`employer.injury_float`).\n\n**Permission:** `injury_rate.decide` (roles: reviewer).",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::employers::InjuryFloatInput>()
                }
            }
        },
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "403": r("responses/Forbidden"),
            "404": r("responses/NotFound"),
            "201": {
                "description": "The decision.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<jinbao_store::repo::injury_rates::Decision>()
                    }
                }
            },
            "409": {
                "description": "Already decided for that month.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>()
                    }
                }
            },
            "415": r("responses/UnsupportedMediaType"),
            "422": {
                "description": "`required`, `period.format`, `injury.float_percent`, `injury.class_one_upward`.",
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

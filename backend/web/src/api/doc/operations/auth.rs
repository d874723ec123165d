//! Operations tagged `auth`: Sign in, sign out, the current user (认证).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = login(d);
    d.op("post", "/api/v1/auth/login", op);
    let op = logout(d);
    d.op("post", "/api/v1/auth/logout", op);
    let op = get_me(d);
    d.op("get", "/api/v1/me", op);
    let op = change_password(d);
    d.op("post", "/api/v1/me/password", op);
}

fn login(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "auth"
        ],
        "operationId": "login",
        "summary": "Sign in and obtain a token (登录)",
        "description": "Checks the credentials of a user of the given tenant (six-digit division code, e.g. `411000` 许昌市) and issues an HS256 JWT valid for 30 minutes (configurable with `JINBAO_TOKEN_TTL_MINUTES`). The username is trimmed and compared in lower case. Every refusal for an unknown user, a disabled user or a wrong password looks the same (401 `auth.invalid_credentials`). After 5 consecutive failures the account is locked for 15 minutes (401 `auth.locked`); repeated failures from one address or for one user are throttled (429). A tenant whose status does not accept logins answers 401 `auth.tenant_suspended`.\n\n**Permission:** none (no token needed).",
        "security": [],
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::auth::LoginInput>(),
                    "examples": {
                        "clerk": {
                            "summary": "A clerk of 许昌市",
                            "value": {
                                "tenant": "411000",
                                "username": "xc_clerk01",
                                "password": "Jinbao#2026xc"
                            }
                        }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "Signed in. Use `token` as `Authorization: Bearer <token>` until `expires_at`.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::auth::LoginResponse>(),
                        "examples": {
                            "clerk": {
                                "summary": "Token for a clerk",
                                "value": {
                                    "token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiIsImtpZCI6ImsxYTJiM2M0ZCJ9.eyJpc3MiOiJqaW5iYW8iLCJhdWQiOiJqaW5iYW8iLCJzdWIiOiIxMiIsInRpZCI6MTEsInRjb2RlIjoiNDExMDAwIn0.c2lnbmF0dXJlLW5vdC1yZWFs",
                                    "token_type": "Bearer",
                                    "expires_at": "2026-11-27T09:00:12.345678901+00:00",
                                    "tenant": "411000",
                                    "roles": [
                                        "clerk"
                                    ]
                                }
                            }
                        }
                    }
                }
            },
            "400": r("responses/BadRequest"),
            "401": {
                "description": "Not authenticated: no `Authorization: Bearer` token, or the token is invalid, expired or revoked (code `auth.unauthorized`). Sent with `WWW-Authenticate: Bearer`.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store"),
                    "WWW-Authenticate": r("headers/WWW-Authenticate")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::error::ErrorBody>(),
                        "examples": {
                            "invalid_credentials": {
                                "summary": "Wrong username or password (auth.invalid_credentials)",
                                "value": {
                                    "error": {
                                        "code": "auth.invalid_credentials",
                                        "message": "用户名或密码不正确",
                                        "fields": []
                                    }
                                }
                            },
                            "locked": {
                                "summary": "Account locked after too many failures (auth.locked)",
                                "value": {
                                    "error": {
                                        "code": "auth.locked",
                                        "message": "账号因多次登录失败已被锁定，请联系系统管理员解锁",
                                        "fields": []
                                    }
                                }
                            },
                            "tenant_suspended": {
                                "summary": "Tenant suspended (auth.tenant_suspended)",
                                "value": {
                                    "error": {
                                        "code": "auth.tenant_suspended",
                                        "message": "该地市已暂停使用本系统，暂时不能登录",
                                        "fields": []
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
                                "summary": "Missing fields (required)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "提交的信息有误，请按提示修改后重新提交。",
                                        "fields": [
                                            {
                                                "field": "username",
                                                "code": "required",
                                                "label": "用户名",
                                                "message": "此项为必填项"
                                            },
                                            {
                                                "field": "password",
                                                "code": "required",
                                                "label": "密码",
                                                "message": "此项为必填项"
                                            }
                                        ]
                                    }
                                }
                            },
                            "unknown_tenant": {
                                "summary": "Unknown tenant code (auth.unknown_tenant)",
                                "value": {
                                    "error": {
                                        "code": "validation",
                                        "message": "所选地市不存在，请重新选择",
                                        "fields": [
                                            {
                                                "field": "tenant",
                                                "code": "auth.unknown_tenant",
                                                "label": "所属地市",
                                                "message": "所选地市不存在，请重新选择"
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "429": r("responses/TooManyRequests"),
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError"),
            "415": r("responses/UnsupportedMediaType")
        }
    })
}

fn logout(_d: &mut Doc) -> Value {
    json!({
        "tags": [
            "auth"
        ],
        "operationId": "logout",
        "summary": "Sign out and revoke the token (退出登录)",
        "description": "Revokes the caller's token by its `jti` (recorded in the database, which is authoritative, and cached in Redis). Any later request with the same token gets 401. No request body.\n\n**Permission:** none beyond a valid token.",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "204": {
                "description": "Signed out; the token is revoked.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                }
            },
            "401": r("responses/Unauthorized"),
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError")
        }
    })
}

fn get_me(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "auth"
        ],
        "operationId": "getMe",
        "summary": "The signed-in user (我的信息)",
        "description": "Profile, tenant, roles and the effective permissions (sorted) of the caller.\n\n**Permission:** none beyond a valid token.",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "responses": {
            "200": {
                "description": "The caller.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::auth::Me>(),
                        "examples": {
                            "clerk": {
                                "summary": "A clerk of 许昌市",
                                "value": {
                                    "user": {
                                        "id": 12,
                                        "username": "xc_clerk01",
                                        "display_name": "张敏",
                                        "office_code": "411000",
                                        "office_name_zh": "许昌市本级",
                                        "office_name_en": "Xuchang city bureau",
                                        "lang": "zh-CN"
                                    },
                                    "tenant": "411000",
                                    "roles": [
                                        "clerk"
                                    ],
                                    "permissions": [
                                        "assessment.run",
                                        "benefit.propose",
                                        "collection.write",
                                        "contribution.read",
                                        "employer.read",
                                        "employer.write",
                                        "employment.write",
                                        "enrolment.write",
                                        "labour.write",
                                        "person.read",
                                        "person.write",
                                        "transfer.process",
                                        "transfer.request"
                                    ]
                                }
                            }
                        }
                    }
                }
            },
            "401": r("responses/Unauthorized"),
            "404": r("responses/NotFound"),
            "503": r("responses/Unavailable"),
            "500": r("responses/InternalError")
        }
    })
}

fn change_password(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "auth"
        ],
        "operationId": "changePassword",
        "summary": "Change the caller's password (修改密码)",
        "description": "Checks the current password and answers a renewed token; every other token of the user stops working (the user's token epoch is raised). A user holding a one-time password (first login, reset by an administrator) gets 403 `auth.password_change_required` on every other route except `GET /api/v1/me` and `POST /api/v1/auth/logout` until this is done.\n\n**Permission:** none beyond a valid token.",
        "parameters": [
            r("parameters/AcceptLanguage"),
            r("parameters/XRequestIdIn")
        ],
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": d.input::<crate::api::auth::PasswordInput>()
                }
            }
        },
        "responses": {
            "400": r("responses/BadRequest"),
            "401": r("responses/Unauthorized"),
            "200": {
                "description": "The renewed token.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id"),
                    "Cache-Control": r("headers/Cache-Control-No-Store")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::api::auth::PasswordChanged>()
                    }
                }
            },
            "415": r("responses/UnsupportedMediaType"),
            "422": {
                "description": "`password.wrong_current`, `password.weak`, `password.same` or `password.mismatch`.",
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

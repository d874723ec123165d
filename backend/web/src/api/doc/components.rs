//! The head of the document: info, tags, security and the shared parameters, headers and responses.

use serde_json::{json, Value};

use super::Doc;

pub(super) fn head(d: &mut Doc) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Jinbao 金保 API",
            "version": "1.0.0",
            "description": "JSON API of 金保 (Jinbao), the labour and social-security platform of Henan province (河南省人社一体化平台). Each city (地市) is a tenant identified by its six-digit division code, e.g. `411000` 许昌市.\n\n**Tenancy.** The tenant of every request comes only from the verified token (claims `tid`/`tcode`), never from the URL or the body. Records of another tenant are answered with 404, exactly as records that do not exist.\n\n**Authentication.** `POST /api/v1/auth/login` returns a token; send it as `Authorization: Bearer <token>`. Tokens are HS256 JWTs valid for 30 minutes, with claims including `sub` (user id), `tid` (tenant id), `tcode` (tenant code), `office`, `roles` and `jti` (token id); `POST /api/v1/auth/logout` revokes the token; disabling a user, resetting or changing a password and changing roles end every token of that user at once (token epoch, checked in the database with every request). A one-time password must be changed first (`POST /api/v1/me/password`; other routes answer 403 `auth.password_change_required`). The pages' session cookie is accepted by the API only for reads, or for writes with the session's CSRF token in `X-CSRF-Token` (403 `csrf.invalid` otherwise); writes with a body must be `application/json` (415 `request.content_type`), except the file uploads. Logins answer an unknown user, a disabled user and a wrong password alike (401 `auth.invalid_credentials`); repeated failures slow down the address they come from (429 `auth.rate_limited`) and never lock an account. Missing, expired or revoked tokens get 401 with `WWW-Authenticate: Bearer`. Everything except login, this document and `/healthz`, `/readyz`, `/metrics` needs a token.\n\n**Authorisation.** Each operation names the permission it needs; permissions are granted to roles (clerk 经办员: person.read, person.write, employer.read, employer.write, employment.write, labour.write, enrolment.write, contribution.read, assessment.run, collection.write, benefit.propose, transfer.request, transfer.process; reviewer 审核员: person.read, person.reveal_id, employer.read, contribution.read, assessment.run, assessment.reopen, benefit.approve, payment.run, finance.read, reconciliation.run, transfer.request, transfer.approve; city_admin 城市管理员: person.read, employer.read, contribution.read, import.run, finance.read; finance_viewer 财政查看: finance.read; auditor 审计员: person.read, employer.read, contribution.read; province_supervisor 省级监管: stats.province). Without it the answer is 403.\n\n**Personal data.** Identity numbers are masked in responses (e.g. `4110**********0044`) unless the caller's role has `person.reveal_id`. Identity numbers are only ever sent in request bodies (searching is a POST) so they never land in URLs or access logs. Responses with personal data carry `Cache-Control: no-store`.\n\n**Errors.** Errors share one body, `{\"error\": {\"code\", \"message\", \"fields\": [{\"field\", \"code\", \"label\", \"message\"}], \"detail\"?}}`, worded in Chinese by default and in English with `Accept-Language: en`. Status codes: 400 malformed JSON or unknown fields (bodies are strict), 401 unauthenticated, 403 forbidden, 404 not found (also another tenant's record), 405 a known path asked with a method it does not answer (`request.method`), 409 conflict, 422 validation (all field problems at once), 429 throttled, 503 database unavailable, 500 unexpected. Exceptions: the base declarations answer 422 with their per-row report (`DeclarationReport`) when no row could be applied, and the legacy imports answer 422 with their report (`ImportReport`) when problems stopped an all-or-nothing import.\n\n**Suspended cities.** A city (tenant) whose status is `suspended` (暂停) is read-only: new logins are refused (401 `auth.tenant_suspended`); tokens issued before the suspension still read, but every write of its users — registrations, updates, hires, enrolments, declarations, assessment runs, payments, imports — is refused by the database itself (the transaction is read-only) and answered **409 `tenant.suspended`** (`fields`: `tenant`; “本市已暂停使用，当前只能查询，不能办理业务” / “This city is suspended: records can be read but no business can be done”). Nothing is written. The status is changed by platform administrators (`jinbao tenants status <code> suspended --reason …`); other cities are not affected.\n\n**Money.** Amounts are exact, never floating point. Requests give yuan, as a string (`\"5000.00\"`; `\"5000\"`, `\"5,000.5\"` and `\"¥5000\"` are accepted too) or as a JSON number (`5000`), with at most two decimals and never negative (`money.format`). Responses give yuan as strings with two decimals (`\"800.00\"`) and integer fen (1 yuan = 100 fen) in the matching `*_fen` field (`80000`); some fields come in one form only (the totals of `Amounts` only as yuan; assessment rows, statement lines, balances, payments and run summaries only as fen), as each schema says. Rates are basis points in `rate_bp` (1 bp = 0.01 % = 1 ‱: 16 % is `1600`), with a display form such as `\"0.7%\"` in `AmountLine.rate`.\n\n**Periods.** A contribution period (缴费期间) is a calendar month, written `YYYY-MM` (`2026-07`; `2026-7` is accepted too; otherwise `period.format`). Responses give periods as `YYYY-MM` where a schema says `Period`; periods read back from stored rows (enrolments, assessment rows, period states, payments, balances) are the first day of the month as a date (`2026-07-01`).\n\n**Contribution rules.** Each city's rules (reference average monthly wage, floor and ceiling percentages of it, rates, rounding, adjustment month) are versions that take effect from a period. The base (缴费基数) of a period is the declared monthly wage in force for that period (rounded to whole yuan where the city does so) held within [floor, ceiling] of the reference average wage of the rule in force for that period; each amount is base × rate, rounded to the fen. The base year starts in the city's adjustment month: July in most cities, January in 鹤壁 Hebi (410600) and 济源 Jiyuan (419001). A declaration for base year 2026 therefore applies from `2026-07` in 许昌 and from `2026-01` in 鹤壁. Because bases are computed from the declared wages with the rule in force for each period, a reference average wage published late (a new rule version taking effect from the adjustment month) changes periods already assessed; `POST /api/v1/assessments/back-payments` writes the differences as back-payment rows (补差, kind `back_payment`). Only pension, medical and unemployment insurance have an employee part; the work-injury rate depends on the employer's risk class (1–8). Maternity insurance is merged into medical insurance in most cities (all but 济源 Jiyuan 419001): there an enrolment in maternity is recorded but gives no amounts, no assessment rows and no statement lines. Worked example, 许昌 411000 (2025 rule: average 6,385 yuan, floor 60 % = 3,831, ceiling 300 % = 19,155): a declared wage of 5,000.00 gives base 5,000.00 and per month pension 800.00 (employer 16 %) + 400.00 (employee 8 %), medical 400.00 (8 %) + 100.00 (2 %), unemployment 35.00 (0.7 %) + 15.00 (0.3 %), work injury 20.00 (risk class 2, 0.4 %, employer only): employer 1,255.00, employee 515.00, total 1,770.00.\n\n**Idempotent writes.** `POST /api/v1/enrolments`, `/api/v1/enrolments/stop` and `/api/v1/collections` accept an optional `Idempotency-Key` header of 8–100 visible ASCII characters (otherwise 422 `idempotency.format`). The first request with a key does the work and stores its response in the same transaction; a retry with the same key and the same body gets that first response again (same status and body) with `Idempotent-Replayed: true`, and nothing is done twice. The same key with a different body is refused (422 `idempotency.mismatch`). Keys belong to the tenant and the operation. A request that fails stores nothing, so it may be retried with the same key.\n\n**Audit.** Every write (registration, update with its reason, hire, end of employment, enrolment, stop with its reason, base declaration, assessment run, re-opening with its reason, back payments, recorded payment, benefit proposal, decision, stop and change of payment channel, payment batch, file download and results upload, bank statement import, reconciliation resolution and sign-off, every step of a transfer — cross-city steps in both cities, unemployment registration and its end, training, employment-service contact) is recorded in the audit log with the acting user, office, token id and request id. Each city's audit rows form a SHA-256 hash chain, sealed in batches every few seconds by the server, checked by `jinbao audit verify --tenant <code>|all` (see docs/benefits.md).\n\n**Request ids.** Every response carries `X-Request-Id`: the caller's own value when it is sane (1–64 characters of letters, digits, `-`, `_`), otherwise a generated one. Quote it when reporting a problem."
        },
        "servers": [
            {
                "url": "/",
                "description": "The serving host"
            }
        ],
        "tags": [
            {
                "name": "auth",
                "description": "Sign in, sign out, the current user (认证)"
            },
            {
                "name": "persons",
                "description": "Unified person registry (人员)"
            },
            {
                "name": "employers",
                "description": "Employer registry (单位)"
            },
            {
                "name": "employments",
                "description": "Hiring and leaving (就业)"
            },
            {
                "name": "labour",
                "description": "Unemployment registration, re-employment, vocational training and employment-service contacts (就业失业登记与就业服务)"
            },
            {
                "name": "enrolments",
                "description": "Enrolment in the five insurances, stopping, insured lists (参保登记)"
            },
            {
                "name": "declarations",
                "description": "Annual contribution-base declaration (缴费基数申报)"
            },
            {
                "name": "assessments",
                "description": "Monthly assessment, re-opening, back payments, jobs, contribution history (核定)"
            },
            {
                "name": "collections",
                "description": "Payments, arrears and employer statements (征缴)"
            },
            {
                "name": "imports",
                "description": "Legacy data import: a city's persons, employers, employments, enrolments and contribution history files (CSV or .xlsx), reconciliation by year, per-row reports (历史数据导入)"
            },
            {
                "name": "statistics",
                "description": "Province dashboard, cross-city duplicate checks and the monthly statistics package (统计监管与报送)"
            },
            {
                "name": "benefits",
                "description": "Pension, unemployment benefit and maternity allowance: proposal with every figure kept, maker-checker decision, stop (待遇)"
            },
            {
                "name": "work_injury",
                "description": "Work-injury cases: report, recognition decided by a second person, ability assessment, and their benefits (工伤认定与工伤待遇)"
            },
            {
                "name": "medical",
                "description": "Employees' medical bills settled into fund, serious-illness insurance, personal account and self-paid parts; personal accounts and their monthly credits (医疗费用结算与个人账户)"
            },
            {
                "name": "payments",
                "description": "Monthly payment batches, bank and post-office files, results and reissues (待遇发放)"
            },
            {
                "name": "finance",
                "description": "Fund income and expenditure and the fiscal subsidy needed (基金收支)"
            },
            {
                "name": "transfers",
                "description": "Pension transfers between cities: each city on its own side, information and funds separately, maker-checker at the sending city, overdue after 15 working days (转移接续)"
            },
            {
                "name": "reconciliation",
                "description": "Bank statements of the fund's accounts matched with the books, mismatches with handlers, resolution notes, sign-off (对账)"
            },
            {
                "name": "operations",
                "description": "API description, health, readiness and metrics (运维)"
            }
        ],
        "security": [
            {
                "bearerAuth": []
            }
        ],
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "Token from `POST /api/v1/auth/login` (HS256, 30 minutes; claims include `tid`, `tcode`, `roles`, `jti`). The tenant comes only from this token."
                }
            },
            "responses": {
                "BadRequest": {
                    "description": "Malformed request: the body is not valid JSON, is not `application/json`, is larger than 256 KiB, has a value of the wrong type, or has a field the endpoint does not know (bodies are parsed with `deny_unknown_fields`). Code `request.malformed`; `detail` tells the parser's reason.",
                    "headers": {
                        "X-Request-Id": {
                            "$ref": "#/components/headers/X-Request-Id"
                        },
                        "Cache-Control": {
                            "$ref": "#/components/headers/Cache-Control-No-Store"
                        }
                    },
                    "content": {
                        "application/json": {
                            "schema": d.output::<crate::error::ErrorBody>(),
                            "examples": {
                                "malformed": {
                                    "summary": "Malformed JSON or an unknown field (request.malformed)",
                                    "value": {
                                        "error": {
                                            "code": "request.malformed",
                                            "message": "提交的内容格式不正确，请刷新页面后重试",
                                            "fields": [],
                                            "detail": "Json deserialize error: unknown field `gender`, expected one of `id_number`, `name`, `ethnicity`, `hukou_kind`, `address`, `phone` at line 1 column 9"
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
                "Unauthorized": {
                    "description": "Not authenticated: no `Authorization: Bearer` token, or the token is invalid, expired or revoked (code `auth.unauthorized`). Sent with `WWW-Authenticate: Bearer`.",
                    "headers": {
                        "X-Request-Id": {
                            "$ref": "#/components/headers/X-Request-Id"
                        },
                        "Cache-Control": {
                            "$ref": "#/components/headers/Cache-Control-No-Store"
                        },
                        "WWW-Authenticate": {
                            "$ref": "#/components/headers/WWW-Authenticate"
                        }
                    },
                    "content": {
                        "application/json": {
                            "schema": d.output::<crate::error::ErrorBody>(),
                            "examples": {
                                "unauthorized": {
                                    "summary": "Missing, invalid, expired or revoked token (auth.unauthorized)",
                                    "value": {
                                        "error": {
                                            "code": "auth.unauthorized",
                                            "message": "登录已失效，请重新登录",
                                            "fields": []
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
                "Forbidden": {
                    "description": "Forbidden: the caller is authenticated but none of its roles grants the required permission (code `auth.forbidden`).",
                    "headers": {
                        "X-Request-Id": {
                            "$ref": "#/components/headers/X-Request-Id"
                        },
                        "Cache-Control": {
                            "$ref": "#/components/headers/Cache-Control-No-Store"
                        }
                    },
                    "content": {
                        "application/json": {
                            "schema": d.output::<crate::error::ErrorBody>(),
                            "examples": {
                                "forbidden": {
                                    "summary": "The caller's roles lack the permission (auth.forbidden)",
                                    "value": {
                                        "error": {
                                            "code": "auth.forbidden",
                                            "message": "您没有办理此项业务的权限",
                                            "fields": []
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
                "NotFound": {
                    "description": "Not found (code `not_found`). Also the answer for a record of another tenant (city) and for a non-numeric id, so the existence of other tenants' records is never revealed.",
                    "headers": {
                        "X-Request-Id": {
                            "$ref": "#/components/headers/X-Request-Id"
                        },
                        "Cache-Control": {
                            "$ref": "#/components/headers/Cache-Control-No-Store"
                        }
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
                "TooManyRequests": {
                    "description": "Too many attempts (code `auth.rate_limited` for logins, `transfer.rate_limited` for opening transfers).",
                    "headers": {
                        "X-Request-Id": {
                            "$ref": "#/components/headers/X-Request-Id"
                        },
                        "Cache-Control": {
                            "$ref": "#/components/headers/Cache-Control-No-Store"
                        }
                    },
                    "content": {
                        "application/json": {
                            "schema": d.output::<crate::error::ErrorBody>(),
                            "examples": {
                                "rate_limited": {
                                    "summary": "Login throttled (auth.rate_limited)",
                                    "value": {
                                        "error": {
                                            "code": "auth.rate_limited",
                                            "message": "操作过于频繁，请稍后再试",
                                            "fields": []
                                        }
                                    }
                                },
                                "transfer_rate_limited": {
                                    "summary": "Opening transfers throttled (transfer.rate_limited)",
                                    "value": {
                                        "error": {
                                            "code": "transfer.rate_limited",
                                            "message": "受理转入申请过于频繁：每人每小时最多 30 次，请稍后再试",
                                            "fields": []
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
                "Unavailable": {
                    "description": "The database is unavailable (code `unavailable`); retry later.",
                    "headers": {
                        "X-Request-Id": {
                            "$ref": "#/components/headers/X-Request-Id"
                        },
                        "Cache-Control": {
                            "$ref": "#/components/headers/Cache-Control-No-Store"
                        }
                    },
                    "content": {
                        "application/json": {
                            "schema": d.output::<crate::error::ErrorBody>(),
                            "examples": {
                                "unavailable": {
                                    "summary": "Database unavailable (unavailable)",
                                    "value": {
                                        "error": {
                                            "code": "unavailable",
                                            "message": "服务暂时不可用，请稍后重试",
                                            "fields": []
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
                "InternalError": {
                    "description": "Unexpected server error (code `internal`). The cause is logged with the request id, never sent.",
                    "headers": {
                        "X-Request-Id": {
                            "$ref": "#/components/headers/X-Request-Id"
                        },
                        "Cache-Control": {
                            "$ref": "#/components/headers/Cache-Control-No-Store"
                        }
                    },
                    "content": {
                        "application/json": {
                            "schema": d.output::<crate::error::ErrorBody>(),
                            "examples": {
                                "internal": {
                                    "summary": "Unexpected error; the cause is logged, never sent (internal)",
                                    "value": {
                                        "error": {
                                            "code": "internal",
                                            "message": "系统出现异常，请稍后重试；如多次出现，请联系系统管理员",
                                            "fields": []
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
                "UnsupportedMediaType": {
                    "description": "A write to a JSON endpoint whose body is not JSON (`Content-Type` not `application/json`; code `request.content_type`). A cross-site HTML form can only send form or text bodies, so this closes the JSON API to it.",
                    "headers": {
                        "X-Request-Id": {
                            "$ref": "#/components/headers/X-Request-Id"
                        },
                        "Cache-Control": {
                            "$ref": "#/components/headers/Cache-Control-No-Store"
                        }
                    },
                    "content": {
                        "application/json": {
                            "schema": d.output::<crate::error::ErrorBody>(),
                            "examples": {
                                "form": {
                                    "summary": "A form body",
                                    "value": {
                                        "error": {
                                            "code": "request.content_type",
                                            "message": "请求内容须为 JSON（Content-Type: application/json）",
                                            "fields": []
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            },
            "parameters": {
                "Id": {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "Record id (a non-numeric id is answered with 404).",
                    "schema": {
                        "type": "integer",
                        "format": "int64",
                        "minimum": 1
                    },
                    "example": 1024
                },
                "Page": {
                    "name": "page",
                    "in": "query",
                    "required": false,
                    "description": "Page number from 1 (`page.range`).",
                    "schema": {
                        "type": "integer",
                        "format": "int64",
                        "minimum": 1,
                        "maximum": 100000,
                        "default": 1,
                        "description": "Page number from 1 (`page.range`)."
                    }
                },
                "PerPage": {
                    "name": "per_page",
                    "in": "query",
                    "required": false,
                    "description": "Page size 1–100, default 20 (`page.range`).",
                    "schema": {
                        "type": "integer",
                        "format": "int64",
                        "minimum": 1,
                        "maximum": 100,
                        "default": 20,
                        "description": "Page size, 1–100 (`page.range`)."
                    }
                },
                "AcceptLanguage": {
                    "name": "Accept-Language",
                    "in": "header",
                    "required": false,
                    "description": "`en` for English error messages; Chinese (`zh-CN`) otherwise.",
                    "schema": {
                        "type": "string",
                        "default": "zh-CN"
                    },
                    "example": "en"
                },
                "XRequestIdIn": {
                    "name": "X-Request-Id",
                    "in": "header",
                    "required": false,
                    "description": "Optional caller-chosen request id (1–64 characters of letters, digits, `-`, `_`); echoed back and logged. Generated when absent or not sane.",
                    "schema": {
                        "type": "string",
                        "maxLength": 64,
                        "pattern": "^[A-Za-z0-9_-]{1,64}$"
                    },
                    "example": "c0ffee-2026-11-27-0001"
                },
                "IdempotencyKey": {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": false,
                    "description": "Optional key that makes retries safe: 8–100 visible ASCII characters (surrounding spaces are trimmed; otherwise 422 `idempotency.format`). A retry with the same key and the same body gets the first response again with `Idempotent-Replayed: true`; the same key with a different body gets 422 `idempotency.mismatch`. Keys belong to the tenant and the operation; a failed request stores nothing.",
                    "schema": {
                        "type": "string",
                        "minLength": 8,
                        "maxLength": 100,
                        "pattern": "^[!-~]{8,100}$"
                    },
                    "example": "enrol-1024-77-2026-12-a1"
                },
                "PeriodPath": {
                    "name": "period",
                    "in": "path",
                    "required": true,
                    "description": "Contribution period `YYYY-MM` (anything else is answered with 404).",
                    "schema": d.input::<jinbao_domain::Period>(),
                    "example": "2026-12"
                },
                "TransferUid": {
                    "name": "uid",
                    "in": "path",
                    "required": true,
                    "description": "The transfer's uid, shared by its two sides (a value that is not a UUID, or a transfer of which this city holds no side, is answered with 404).",
                    "schema": {
                        "type": "string",
                        "format": "uuid"
                    },
                    "example": "5b0f3c2e-8d4a-4e61-9a57-0c3f2d1e9b84"
                },
                "ReconciliationPeriod": {
                    "name": "period",
                    "in": "path",
                    "required": true,
                    "description": "The month, `YYYY-MM` (anything else: 422 `period.format` on field `period`).",
                    "schema": d.input::<jinbao_domain::Period>(),
                    "example": "2026-11"
                }
            },
            "headers": {
                "X-Request-Id": {
                    "description": "The request id: the caller's `X-Request-Id` if sane, otherwise generated (32 hex digits).",
                    "schema": {
                        "type": "string"
                    },
                    "example": "3f2b8c1d9e7a4b60a1c2d3e4f5a6b7c8"
                },
                "WWW-Authenticate": {
                    "description": "Always `Bearer`.",
                    "schema": {
                        "type": "string",
                        "enum": [
                            "Bearer"
                        ]
                    }
                },
                "Cache-Control-No-Store": {
                    "description": "`no-store`: personal data and errors are never cached.",
                    "schema": {
                        "type": "string",
                        "enum": [
                            "no-store"
                        ]
                    }
                },
                "Idempotent-Replayed": {
                    "description": "`true` when this is the stored response of an earlier request with the same `Idempotency-Key` (nothing was done again); absent otherwise.",
                    "schema": {
                        "type": "string",
                        "enum": [
                            "true"
                        ]
                    }
                }
            }
        }
    })
}

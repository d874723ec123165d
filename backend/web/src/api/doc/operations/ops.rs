//! Operations tagged `operations`: API description, health, readiness and metrics (运维).

use serde_json::{json, Value};

use crate::api::doc::{r, Doc};

pub(super) fn operations(d: &mut Doc) {
    let op = get_open_api(d);
    d.op("get", "/api/v1/openapi.json", op);
    let op = healthz(d);
    d.op("get", "/healthz", op);
    let op = readyz(d);
    d.op("get", "/readyz", op);
    let op = metrics(d);
    d.op("get", "/metrics", op);
}

fn get_open_api(_d: &mut Doc) -> Value {
    json!({
        "tags": [
            "operations"
        ],
        "operationId": "getOpenApi",
        "summary": "This API description (接口文档)",
        "description": "This OpenAPI 3.0.3 document, embedded in the binary.\n\n**Permission:** none (no token needed).",
        "security": [],
        "responses": {
            "200": {
                "description": "The OpenAPI document.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object"
                        }
                    }
                }
            }
        }
    })
}

fn healthz(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "operations"
        ],
        "operationId": "healthz",
        "summary": "Liveness probe (存活检查)",
        "description": "Answers as long as the process serves requests; checks nothing else. Outside `/api/v1`.\n\n**Permission:** none (no token needed).",
        "security": [],
        "responses": {
            "200": {
                "description": "Alive.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::ops::health::Health>(),
                        "example": {
                            "status": "ok"
                        }
                    }
                }
            }
        }
    })
}

fn readyz(d: &mut Doc) -> Value {
    json!({
        "tags": [
            "operations"
        ],
        "operationId": "readyz",
        "summary": "Readiness probe (就绪检查)",
        "description": "Ready when PostgreSQL answers. Redis is reported but does not decide readiness (revocation and throttling fall back to the database and process memory). Outside `/api/v1`.\n\n**Permission:** none (no token needed).",
        "security": [],
        "responses": {
            "200": {
                "description": "Ready.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::ops::health::Readiness>(),
                        "examples": {
                            "ready": {
                                "summary": "All up",
                                "value": {
                                    "status": "ready",
                                    "postgres": "up",
                                    "redis": "up"
                                }
                            },
                            "redis_down": {
                                "summary": "Redis down, still ready",
                                "value": {
                                    "status": "ready",
                                    "postgres": "up",
                                    "redis": "down (fallbacks active)"
                                }
                            }
                        }
                    }
                }
            },
            "503": {
                "description": "Not ready: PostgreSQL unreachable.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "application/json": {
                        "schema": d.output::<crate::ops::health::Readiness>(),
                        "example": {
                            "status": "not_ready",
                            "postgres": "down",
                            "redis": "up"
                        }
                    }
                }
            }
        }
    })
}

fn metrics(_d: &mut Doc) -> Value {
    json!({
        "tags": [
            "operations"
        ],
        "operationId": "metrics",
        "summary": "Prometheus metrics (监控指标)",
        "description": "Prometheus text exposition format 0.0.4: `jinbao_http_requests_total{method,route,status}` (route is the pattern, e.g. `/api/v1/persons/{id}`, never the query string), `jinbao_http_request_duration_seconds{route}` histogram, and the database pool gauges `jinbao_db_pool_connections`, `jinbao_db_pool_idle_connections`, `jinbao_db_pool_max_connections`. Outside `/api/v1`. With `JINBAO_METRICS_TOKEN` set, only a request with `Authorization: Bearer <that token>`; without it, only a loopback client. Anyone else gets 404.\n\n**Permission:** the metrics token (not a user token).",
        "security": [],
        "responses": {
            "200": {
                "description": "Metrics.",
                "headers": {
                    "X-Request-Id": r("headers/X-Request-Id")
                },
                "content": {
                    "text/plain": {
                        "schema": {
                            "type": "string"
                        },
                        "example": "# HELP jinbao_http_requests_total HTTP requests by route and status\n# TYPE jinbao_http_requests_total counter\njinbao_http_requests_total{method=\"POST\",route=\"/api/v1/auth/login\",status=\"200\"} 42\n# HELP jinbao_db_pool_max_connections Configured pool size\n# TYPE jinbao_db_pool_max_connections gauge\njinbao_db_pool_max_connections 16\n"
                    }
                }
            },
            "404": {
                "description": "No or a wrong metrics token (or not loopback without a configured token)."
            }
        }
    })
}

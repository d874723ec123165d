//! Diesel table definitions, kept in step with `migrations/` by hand (the migration test
//! compares them with the catalog).

diesel::table! {
    tenant (id) {
        id -> Int2,
        code -> Varchar,
        name_zh -> Text,
        name_en -> Text,
        kind -> Text,
        status -> Text,
        wave -> Int2,
        sort_order -> Int2,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    role_permission (role_code, permission_code) {
        role_code -> Text,
        permission_code -> Text,
    }
}

diesel::table! {
    office (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int4,
        code -> Varchar,
        name_zh -> Text,
        name_en -> Text,
    }
}

diesel::table! {
    app_user (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        office_id -> Int4,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        status -> Text,
        must_change_password -> Bool,
        failed_logins -> Int4,
        locked_until -> Nullable<Timestamptz>,
        lang -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        token_epoch -> Int4,
    }
}

diesel::table! {
    user_role (tenant_id, user_id, role_code) {
        tenant_id -> Int2,
        user_id -> Int8,
        role_code -> Text,
    }
}

diesel::table! {
    revoked_token (tenant_id, jti) {
        tenant_id -> Int2,
        jti -> Uuid,
        user_id -> Int8,
        expires_at -> Timestamptz,
        revoked_at -> Timestamptz,
    }
}

diesel::table! {
    tenant_rule (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        effective_from -> Date,
        version -> Int4,
        avg_wage_fen -> Int8,
        floor_pct -> Int4,
        ceiling_pct -> Int4,
        adjust_month -> Int2,
        base_whole_yuan -> Bool,
        base_rounding -> Text,
        amount_rounding -> Text,
        maternity_merged -> Bool,
        content_hash -> Text,
        source -> Text,
        created_at -> Timestamptz,
        superseded_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    tenant_rate (tenant_id, rule_id, insurance_type, party, risk_class) {
        tenant_id -> Int2,
        rule_id -> Int8,
        insurance_type -> Text,
        party -> Text,
        risk_class -> Int2,
        rate_bp -> Int4,
    }
}

diesel::table! {
    person (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        id_number -> Varchar,
        name -> Text,
        gender -> Text,
        birth_date -> Date,
        ethnicity -> Nullable<Text>,
        hukou_kind -> Nullable<Text>,
        address -> Nullable<Text>,
        phone -> Nullable<Text>,
        status -> Text,
        office_id -> Int4,
        created_by -> Nullable<Int8>,
        created_by_account -> Nullable<Int8>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    employer (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        credit_code -> Varchar,
        name -> Text,
        industry_code -> Nullable<Text>,
        risk_class -> Int2,
        address -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        registered_on -> Date,
        status -> Text,
        office_id -> Int4,
        created_by -> Nullable<Int8>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    employment (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        person_id -> Int8,
        employer_id -> Int8,
        start_date -> Date,
        end_date -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        created_by -> Nullable<Int8>,
        created_by_account -> Nullable<Int8>,
        import_job_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    person_event (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        person_id -> Int8,
        occurred_on -> Date,
        kind -> Text,
        detail -> Jsonb,
        office_id -> Nullable<Int4>,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    audit_log (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        at -> Timestamptz,
        user_id -> Nullable<Int8>,
        office_id -> Nullable<Int4>,
        actor -> Text,
        action -> Text,
        entity -> Text,
        entity_id -> Text,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        reason -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    enrolment (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        person_id -> Int8,
        employer_id -> Int8,
        insurance_type -> Text,
        start_period -> Date,
        end_period -> Nullable<Date>,
        status -> Text,
        stop_reason -> Nullable<Text>,
        office_id -> Int4,
        created_by -> Nullable<Int8>,
        created_by_account -> Nullable<Int8>,
        import_job_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    contribution_base (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        person_id -> Int8,
        employer_id -> Int8,
        effective_from -> Date,
        declared_wage_fen -> Int8,
        source -> Text,
        declaration_id -> Nullable<Int8>,
        created_by -> Nullable<Int8>,
        created_by_account -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    assessment_period (tenant_id, period) {
        tenant_id -> Int2,
        period -> Date,
        status -> Text,
        last_job_id -> Nullable<Int8>,
        rows_assessed -> Int8,
        assessed_at -> Nullable<Timestamptz>,
        reopened_at -> Nullable<Timestamptz>,
        reopened_by -> Nullable<Int8>,
        reopen_reason -> Nullable<Text>,
    }
}

diesel::table! {
    assessment (tenant_id, period, person_id, enrolment_id, revision) {
        tenant_id -> Int2,
        id -> Int8,
        period -> Date,
        kind -> Text,
        enrolment_id -> Int8,
        person_id -> Int8,
        employer_id -> Int8,
        insurance_type -> Text,
        base_fen -> Int8,
        employer_rate_bp -> Int4,
        employee_rate_bp -> Int4,
        employer_fen -> Int8,
        employee_fen -> Int8,
        job_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        revision -> Int4,
    }
}

diesel::table! {
    collection (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        employer_id -> Int8,
        period -> Date,
        amount_fen -> Int8,
        paid_on -> Date,
        channel -> Text,
        bank_ref -> Nullable<Text>,
        office_id -> Int4,
        created_by -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_key (tenant_id, scope, key) {
        tenant_id -> Int2,
        key -> Text,
        scope -> Text,
        user_id -> Nullable<Int8>,
        account_id -> Nullable<Int8>,
        request_hash -> Text,
        response_status -> Nullable<Int2>,
        response_body -> Nullable<Jsonb>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    job (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        kind -> Text,
        params -> Jsonb,
        status -> Text,
        total -> Int8,
        done -> Int8,
        result -> Nullable<Jsonb>,
        error -> Nullable<Text>,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    public_account (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        kind -> Text,
        employer_id -> Nullable<Int8>,
        person_id -> Nullable<Int8>,
        login -> Text,
        display_name -> Text,
        phone -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        must_change_password -> Bool,
        activation_hash -> Nullable<Text>,
        activation_expires -> Nullable<Timestamptz>,
        status -> Text,
        token_epoch -> Int4,
        lang -> Text,
        last_login_at -> Nullable<Timestamptz>,
        failed_logins -> Int4,
        office_id -> Int4,
        created_by -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    tenant,
    office,
    app_user,
    user_role,
    person,
    employer,
    employment,
    person_event,
    audit_log,
    tenant_rule,
    tenant_rate,
    enrolment,
    contribution_base,
    assessment_period,
    assessment,
    collection,
    idempotency_key,
    job,
    duplicate_finding
);

diesel::table! {
    certificate (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        code -> Text,
        person_id -> Int8,
        content -> Jsonb,
        issued_at -> Timestamptz,
        issued_by -> Nullable<Int8>,
        issued_by_account -> Nullable<Int8>,
        office_id -> Int4,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    stat_delta (tenant_id, id) {
        tenant_id -> Int2,
        id -> Int8,
        metric -> Text,
        period -> Date,
        insurance_type -> Text,
        value -> Int8,
    }
}

diesel::table! {
    stat_value (tenant_id, metric, period, insurance_type) {
        tenant_id -> Int2,
        metric -> Text,
        period -> Date,
        insurance_type -> Text,
        value -> Int8,
    }
}

diesel::table! {
    onboarding_item (tenant_id, item) {
        tenant_id -> Int2,
        item -> Text,
        done_by -> Nullable<Text>,
        done_at -> Nullable<Timestamptz>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    duplicate_finding (tenant_id, person_id) {
        tenant_id -> Int2,
        person_id -> Int8,
        other_tenants -> Array<Int2>,
        found_at -> Timestamptz,
    }
}

// The session-private table an import streams its file into (created per import, never shared):
// the row number, up to ten text fields in the kind's column order, and what parsing found.
diesel::table! {
    pg_temp.import_rows (row_no) {
        row_no -> Int4,
        f1 -> Nullable<Text>,
        f2 -> Nullable<Text>,
        f3 -> Nullable<Text>,
        f4 -> Nullable<Text>,
        f5 -> Nullable<Text>,
        f6 -> Nullable<Text>,
        f7 -> Nullable<Text>,
        f8 -> Nullable<Text>,
        f9 -> Nullable<Text>,
        f10 -> Nullable<Text>,
        error_column -> Nullable<Text>,
        error_code -> Nullable<Text>,
        raw_value -> Nullable<Text>,
    }
}

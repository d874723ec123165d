//! `jinbao`: the one binary of the platform.

use std::io::{IsTerminal, Read};
use std::net::TcpListener;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use jinbao_store::kinds::UserStatus;
use jinbao_store::repo::users::{self, NewUser};
use jinbao_store::{bootstrap, migrate, tenant_config, Actor, Db, PoolSettings, TenantId};
use jinbao_web::auth::password;
use jinbao_web::auth::permissions::ROLES;
use jinbao_web::Settings;

#[derive(Parser)]
#[command(name = "jinbao", version, about = "金保 Jinbao — Henan unified labour and social security platform")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and API (DATABASE_URL, REDIS_URL, JINBAO_JWT_KEY_FILE, JINBAO_BIND).
    Serve,
    /// Apply pending database migrations as the owner role (JINBAO_OWNER_DATABASE_URL).
    Migrate {
        /// Revert every migration instead (destroys data; for development and tests).
        #[arg(long)]
        revert_all: bool,
        /// Only say which migrations would run; change nothing (exit status 3 when some are pending).
        #[arg(long, conflicts_with = "revert_all")]
        check: bool,
    },
    /// Cluster setup with a superuser connection: roles and database.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Tenants as configuration (`tenants/`).
    Tenants {
        #[command(subcommand)]
        command: TenantsCommand,
    },
    /// User accounts of a tenant.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Monthly assessment of a tenant's active enrolments for a period (idempotent), with progress.
    Assess {
        #[arg(long)]
        tenant: String,
        /// Period as YYYY-MM.
        #[arg(long)]
        period: String,
        /// Afterwards, assess back payments (补差) for assessed periods up to this one.
        #[arg(long)]
        back_pay: bool,
    },
    /// The audit log's hash chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Province statistics: prove the aggregates equal a recount, or fold pending deltas.
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Import a city's legacy data (docs/import-format.md), with a progress bar and a report.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Province jobs across cities.
    Province {
        #[command(subcommand)]
        command: ProvinceCommand,
    },
    /// Token signing keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Print the API's OpenAPI document, generated from the code (`docs/openapi.json` is this output).
    Openapi,
}

#[derive(Subcommand)]
enum DbCommand {
    /// Create the roles jinbao_owner, jinbao_app, jinbao_analytics and the database (idempotent).
    Bootstrap {
        /// Superuser connection, e.g. postgres://postgres@127.0.0.1:5432/postgres
        #[arg(long, env = "JINBAO_ADMIN_DATABASE_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        admin_url: String,
        #[arg(long, default_value = "jinbao")]
        database: String,
        /// Set this password on the three roles (for clusters without trust authentication).
        #[arg(long, env = "JINBAO_DB_PASSWORD")]
        password: Option<String>,
    },
    /// On a Citus coordinator: distribute every tenant table by tenant_id (co-located), make the
    /// global tables reference tables, and let the tenant setting reach the workers. Run after
    /// `migrate`; idempotent (docs/scaling.md).
    Distribute {
        /// Superuser connection to the coordinator (for the roles' Citus setting).
        #[arg(long, env = "JINBAO_ADMIN_DATABASE_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        admin_url: String,
    },
}

#[derive(Subcommand)]
enum TenantsCommand {
    /// Validate every tenant file and apply it (idempotent; prints what changed).
    Sync {
        #[arg(long, default_value = "tenants")]
        dir: PathBuf,
        /// Only validate; change nothing.
        #[arg(long)]
        check: bool,
    },
    /// Bring a city on: its tenant, offices and rules from tenants/, a first city administrator
    /// (one-time password, change forced) and the go-live checklist. Running it again changes nothing.
    Onboard {
        code: String,
        #[arg(long, default_value = "tenants")]
        dir: PathBuf,
    },
    /// Move a tenant along its lifecycle: pilot, live (needs the whole checklist), suspended.
    Status {
        code: String,
        status: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Create a user. The password is read from stdin when stdin is not a terminal; otherwise
    /// one is generated and printed once.
    Create(CreateUser),
    /// Disable (or delete) a user; their tokens stop working at once.
    Disable {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        delete: bool,
    },
}

#[derive(Args)]
struct CreateUser {
    /// Tenant division code, e.g. 411000.
    #[arg(long)]
    tenant: String,
    #[arg(long)]
    username: String,
    /// Role (repeatable): clerk, reviewer, city_admin, province_supervisor, platform_admin, finance_viewer, auditor.
    #[arg(long = "role", required = true)]
    roles: Vec<String>,
    /// Office code (default: the tenant's first office, the city bureau).
    #[arg(long)]
    office: Option<String>,
    #[arg(long)]
    display_name: Option<String>,
    /// Require a password change at first login.
    #[arg(long)]
    must_change_password: bool,
    /// Generate a password even when stdin is not a terminal.
    #[arg(long)]
    generate_password: bool,
}

#[derive(clap::Args)]
struct ImportArgs {
    #[arg(long)]
    tenant: String,
    /// CSV (UTF-8, UTF-8 with BOM or GBK) or .xlsx (first sheet).
    file: PathBuf,
    /// Apply the valid rows even when others have problems (default: all or nothing).
    #[arg(long)]
    valid_only: bool,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Persons: 身份证号码, 姓名 and optionally 户口性质, 联系电话, 地址.
    Persons(ImportArgs),
    /// Employers: 统一社会信用代码, 单位名称, 工伤风险类别, 登记日期 and optionally 行业代码, 地址, 联系人, 联系电话.
    Employers(ImportArgs),
    /// Employments: 身份证号码, 统一社会信用代码, 入职日期 and optionally 离职日期, 离职原因.
    Employments(ImportArgs),
    /// Enrolments: 身份证号码, 统一社会信用代码, 险种, 参保年月 and optionally 停保年月, 停保原因.
    Enrolments(ImportArgs),
    /// Contribution history: 身份证号码, 统一社会信用代码, 险种, 费款所属期, 缴费基数, 单位缴费, 个人缴费.
    Contributions(ImportArgs),
}

#[derive(Subcommand)]
enum ProvinceCommand {
    /// Find identity numbers actively insured for pension in more than one city; each city is told
    /// which of its persons and which other cities.
    Duplicates,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute a tenant's audit chain; exit 1 naming the first broken row.
    Verify {
        /// Tenant code, or "all".
        #[arg(long)]
        tenant: String,
    },
}

#[derive(Subcommand)]
enum StatsCommand {
    /// Recount every figure from the base tables and compare (exit 1 on any difference).
    Check {
        /// Only this tenant (default: all).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Fold pending deltas into values for every tenant.
    Compact,
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Print a new `kid:secret` line; put it first in the key file to rotate.
    Generate,
}

fn owner_url() -> String {
    std::env::var("JINBAO_OWNER_DATABASE_URL").unwrap_or_else(|_| "postgres://jinbao_owner@127.0.0.1:5432/jinbao".into())
}

fn init_logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("JINBAO_LOG").unwrap_or_else(|_| EnvFilter::new(if json { "info" } else { "warn" }));
    if json {
        tracing_subscriber::fmt().json().with_env_filter(filter).with_current_span(true).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging(matches!(cli.command, Command::Serve));
    match cli.command {
        Command::Serve => serve(),
        Command::Openapi => {
            println!("{}", jinbao_web::api::doc::rendered());
            Ok(())
        }
        Command::Migrate { revert_all, check } => {
            if check {
                let pending = migrate::pending(&owner_url())?;
                if pending.is_empty() {
                    println!("database is up to date");
                    return Ok(());
                }
                for m in &pending {
                    println!("pending {m}");
                }
                // The connection is closed already (dropped in `pending`): nothing runs at exit.
                std::process::exit(3);
            }
            if revert_all {
                println!("reverted {} migrations", migrate::revert_all(&owner_url())?);
            } else {
                let done = migrate::run_pending(&owner_url())?;
                if done.is_empty() {
                    println!("database is up to date");
                }
                for m in done {
                    println!("applied {m}");
                }
            }
            Ok(())
        }
        Command::Db { command: DbCommand::Bootstrap { admin_url, database, password } } => {
            let done = bootstrap::bootstrap(&admin_url, Some(&database), password.as_deref())?;
            if done.is_empty() {
                println!("roles and database already in place");
            }
            for d in done {
                println!("{d}");
            }
            Ok(())
        }
        Command::Db { command: DbCommand::Distribute { admin_url } } => {
            let d = jinbao_store::citus::distribute(&owner_url(), &admin_url)?;
            println!("{} reference tables, {} distributed tables", d.reference_tables, d.distributed_tables);
            for n in d.nodes {
                println!("{}: {} shards", n.node, n.shards);
            }
            Ok(())
        }
        Command::Tenants { command: TenantsCommand::Sync { dir, check } } => tenants_sync(&dir, check),
        Command::Tenants { command: TenantsCommand::Onboard { code, dir } } => tenants_onboard(&code, &dir),
        Command::Tenants { command: TenantsCommand::Status { code, status, reason } } => tenants_status(&code, &status, &reason),
        Command::Users { command: UsersCommand::Create(c) } => users_create(c),
        Command::Users { command: UsersCommand::Disable { tenant, username, delete } } => users_disable(&tenant, &username, delete),
        Command::Assess { tenant, period, back_pay } => assess(&tenant, &period, back_pay),
        Command::Stats { command } => stats(command),
        Command::Audit { command: AuditCommand::Verify { tenant } } => audit_verify(&tenant),
        Command::Province { command: ProvinceCommand::Duplicates } => {
            let n = jinbao_store::repo::duplicates::run(&app_db()?, "cli:province-duplicates")?;
            println!("{n} insured persons are insured for pension in more than one city (findings written to each city)");
            Ok(())
        }
        Command::Import { command } => {
            use jinbao_store::repo::imports::Kind;
            let (kind, args) = match command {
                ImportCommand::Persons(a) => (Kind::Persons, a),
                ImportCommand::Employers(a) => (Kind::Employers, a),
                ImportCommand::Employments(a) => (Kind::Employments, a),
                ImportCommand::Enrolments(a) => (Kind::Enrolments, a),
                ImportCommand::Contributions(a) => (Kind::Contributions, a),
            };
            import_file(kind, &args)
        }
        Command::Keys { command: KeysCommand::Generate } => {
            print!("{}", jinbao_web::auth::KeySet::generate_line());
            Ok(())
        }
    }
}

fn serve() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let bind = settings.bind.clone();
    let state = jinbao_web::build_state(settings).context("start-up checks failed")?;
    jinbao_web::server::spawn_stats_compaction(state.db.clone(), state.metrics.clone());
    jinbao_web::server::spawn_audit_sealing(state.db.clone(), state.metrics.clone());
    let listener = TcpListener::bind(&bind).with_context(|| format!("cannot listen on {bind}"))?;
    tracing::info!(address = %bind, "serving");
    eprintln!("jinbao serving on http://{bind}");
    actix_web::rt::System::new().block_on(async move { jinbao_web::run(state, listener)?.await.map_err(Into::into) })
}

fn tenants_sync(dir: &std::path::Path, check: bool) -> anyhow::Result<()> {
    let tenants = match tenant_config::load_dir(dir) {
        Ok(t) => t,
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            anyhow::bail!("{} problem(s) in {}; nothing applied", errors.len(), dir.display());
        }
    };
    println!("{} tenant files valid", tenants.len());
    if check {
        return Ok(());
    }
    use diesel::Connection;
    let mut conn = diesel::PgConnection::establish(&owner_url())?;
    let changes = tenant_config::sync(&mut conn, &tenants)?;
    if changes.is_empty() {
        println!("no changes");
    }
    for c in changes {
        println!("{c}");
    }
    Ok(())
}

fn tenants_onboard(code: &str, dir: &std::path::Path) -> anyhow::Result<()> {
    use diesel::Connection;
    use jinbao_store::repo::onboarding;
    let tenants = tenant_config::load_dir(dir).map_err(|e| anyhow::anyhow!(e.join("\n")))?;
    let t =
        tenants.into_iter().find(|t| t.file.code.as_str() == code).with_context(|| format!("no file for {code} in {}", dir.display()))?;
    let mut conn = diesel::PgConnection::establish(&owner_url())?;
    let mut changes = tenant_config::sync(&mut conn, std::slice::from_ref(&t))?;
    let db = app_db()?;
    let tid = tenant_id(&db, code)?;
    let admin = format!("admin{code}");
    let (created_items, password) = db.tenant(tid, Actor::system("cli:tenants-onboard"), |tx| {
        let n = onboarding::ensure_checklist(tx)?;
        if users::id_by_username(tx, &admin)?.is_some() {
            return Ok((n, None));
        }
        let pw = password::generate();
        let hash = password::hash(&pw).map_err(jinbao_store::StoreError::Other)?;
        let roles = vec!["city_admin".to_string()];
        users::create(
            tx,
            &NewUser {
                username: &admin,
                display_name: &format!("{} 管理员", t.file.name_zh),
                office_code: None,
                roles: &roles,
                password_hash: &hash,
                must_change_password: true,
            },
        )?;
        Ok((n, Some(pw)))
    })?;
    if created_items > 0 {
        changes.push(format!("{code}: go-live checklist created ({created_items} items)"));
    }
    if let Some(pw) = &password {
        changes.push(format!("{code}: first city administrator {admin} created; one-time password (must be changed at first login): {pw}"));
    }
    if changes.is_empty() {
        println!("{code}: nothing to change");
    }
    for c in changes {
        println!("{c}");
    }
    Ok(())
}

fn tenants_status(code: &str, status: &str, reason: &str) -> anyhow::Result<()> {
    let to = jinbao_domain::TenantStatus::parse(status)
        .with_context(|| format!("unknown status `{status}` (planned, pilot, live, suspended)"))?;
    anyhow::ensure!(reason.trim().chars().count() >= 2, "--reason is required");
    let db = app_db()?;
    let tid = tenant_id(&db, code)?;
    let from = db
        .tenant(tid, Actor::system("cli:tenants-status"), |tx| jinbao_store::repo::onboarding::transition(tx, to, reason))
        .map_err(|e| match e {
            jinbao_store::StoreError::Conflict(c) if c.code == "onboarding.checklist_open" => {
                anyhow::anyhow!("{code} cannot go live: the go-live checklist is not complete")
            }
            jinbao_store::StoreError::Conflict(_) => anyhow::anyhow!("{code} cannot move to {status} from its current status"),
            other => other.into(),
        })?;
    println!("{code}: {} → {}", from.code(), to.code());
    Ok(())
}

fn app_db() -> anyhow::Result<Db> {
    let settings = Settings::from_env()?;
    // Batch work from the command line (imports, assessments) may run long statements.
    Ok(Db::connect(&settings.database_url, &PoolSettings::for_command(2, 3_600_000))?)
}

fn tenant_id(db: &Db, code: &str) -> anyhow::Result<TenantId> {
    let tenants = jinbao_store::repo::global::tenants(db)?;
    let t =
        tenants.into_iter().find(|t| t.code == code).with_context(|| format!("unknown tenant {code}; run `jinbao tenants sync` first"))?;
    Ok(TenantId(t.id))
}

fn users_create(c: CreateUser) -> anyhow::Result<()> {
    for r in &c.roles {
        anyhow::ensure!(ROLES.contains(&r.as_str()), "unknown role `{r}`; one of {}", ROLES.join(", "));
    }
    // The same rules as the user administration page.
    let input = jinbao_app::users::NewUserInput {
        display_name: c.display_name.clone().unwrap_or_else(|| c.username.clone()),
        username: c.username.clone(),
        office: c.office.clone(),
        roles: c.roles.clone(),
    };
    let account = input.parse(&ROLES).map_err(|e| match e {
        jinbao_app::AppError::Validation(ps) => {
            anyhow::anyhow!("{}", ps.iter().map(|p| format!("{}: {}", p.field, p.code)).collect::<Vec<_>>().join("; "))
        }
        other => anyhow::anyhow!("{other}"),
    })?;
    let username = account.username.clone();
    let stdin = std::io::stdin();
    let (pw, generated) = if stdin.is_terminal() || c.generate_password {
        (password::generate(), true)
    } else {
        let mut s = String::new();
        stdin.lock().read_to_string(&mut s)?;
        let pw = s.lines().next().unwrap_or("").to_string();
        anyhow::ensure!(password::acceptable(&pw), "password must have at least 10 characters with letters and digits");
        (pw, false)
    };
    let hash = password::hash(&pw)?;
    let db = app_db()?;
    let tid = tenant_id(&db, &c.tenant)?;
    let display = account.display_name.clone();
    let id = db
        .tenant(tid, Actor::system("cli:users-create"), |tx| {
            users::create(
                tx,
                &NewUser {
                    username: &username,
                    display_name: &display,
                    office_code: c.office.as_deref(),
                    roles: &c.roles,
                    password_hash: &hash,
                    must_change_password: c.must_change_password,
                },
            )
        })
        .map_err(|e| match e {
            jinbao_store::StoreError::Conflict(_) => {
                anyhow::anyhow!("user `{username}` already exists in {}", c.tenant)
            }
            jinbao_store::StoreError::Invalid(_) => {
                anyhow::anyhow!("unknown office {:?} in {}", c.office, c.tenant)
            }
            other => other.into(),
        })?;
    println!("created user {username} (id {id}) in {} with roles {}", c.tenant, c.roles.join(","));
    if generated {
        println!("password: {pw}");
    }
    Ok(())
}

fn assess(tenant: &str, period: &str, back_pay: bool) -> anyhow::Result<()> {
    use jinbao_store::repo::assessments;
    let period: jinbao_domain::Period = period.parse().map_err(|_| anyhow::anyhow!("--period must be YYYY-MM"))?;
    let db = app_db()?;
    let tid = tenant_id(&db, tenant)?;
    let actor = Actor::system("cli:assess");
    let summary = match assessments::begin(&db, tid, actor.clone(), period)? {
        assessments::Begin::AlreadyAssessed(s) => {
            println!("{period} is assessed already (job {}); nothing to do", s.job_id);
            s
        }
        assessments::Begin::Started(started) => {
            let bar = indicatif::ProgressBar::new(started.total.max(0) as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {pos}/{len} enrolments ({per_sec}, eta {eta})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message(format!("assessing {tenant} {period}"));
            let s = assessments::execute(&db, tid, actor.clone(), &started, |done, _| bar.set_position(done.max(0) as u64))?;
            bar.finish();
            s
        }
    };
    println!(
        "{period}: {} rows ({} written now), employer {} yuan, employee {} yuan, job {}",
        summary.rows_total,
        summary.rows_written,
        jinbao_domain::Fen(summary.employer_fen),
        jinbao_domain::Fen(summary.employee_fen),
        summary.job_id
    );
    if back_pay {
        let n = db.tenant(tid, actor, |tx| assessments::back_payments(tx, period))?;
        println!("back payments: {n} rows");
    }
    Ok(())
}

fn import_file(kind: jinbao_store::repo::imports::Kind, args: &ImportArgs) -> anyhow::Result<()> {
    let file = &args.file;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let db = app_db()?;
    let tid = tenant_id(&db, &args.tenant)?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} staging [{bar:40}] {pos}/{len} rows ({per_sec}, eta {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let actor = Actor::system("cli:import");
    let outcome = jinbao_app::import::run(&db, tid, actor, kind, &bytes, args.valid_only, progress).map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "job {}: {} rows in {:.1} s ({:.0} rows/s): {} added, {} already present, {} rejected{}",
        outcome.job_id,
        outcome.rows,
        secs,
        outcome.rows as f64 / secs.max(0.001),
        outcome.inserted,
        outcome.present,
        outcome.rejected,
        if outcome.applied { "" } else { " — nothing applied (use --valid-only to apply the valid rows)" }
    );
    let phases: Vec<String> = outcome.timings.iter().map(|(n, t)| format!("{n} {t:.1} s")).collect();
    println!("phases: {}", phases.join(", "));
    if !outcome.by_year.is_empty() {
        println!("{:>6} {:>12} {:>18} {:>14} {:>20}", "year", "file rows", "file yuan", "platform rows", "platform yuan");
        for y in &outcome.by_year {
            let yuan = |f: i64| format!("{}.{:02}", f / 100, f % 100);
            println!("{:>6} {:>12} {:>18} {:>14} {:>20}", y.year, y.source_rows, yuan(y.source_fen), y.platform_rows, yuan(y.platform_fen));
        }
    }
    if !outcome.problems.is_empty() {
        let report = file.with_extension("report.csv");
        let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
        w.write_record(["行", "列", "值", "问题代码"])?;
        for p in &outcome.problems {
            w.write_record(jinbao_domain::text::neutralise_record([&p.row_no.to_string(), &p.column, &p.value, &p.code]))?;
        }
        std::fs::write(&report, w.into_inner()?)?;
        println!("report: {} ({} problems)", report.display(), outcome.problems.len());
    }
    anyhow::ensure!(outcome.applied, "import not applied");
    Ok(())
}

fn audit_verify(tenant: &str) -> anyhow::Result<()> {
    let db = app_db()?;
    let codes: Vec<String> = if tenant == "all" {
        jinbao_store::repo::global::tenants(&db)?.into_iter().map(|t| t.code).collect()
    } else {
        vec![tenant.to_string()]
    };
    let mut broken = 0;
    for code in codes {
        let tid = tenant_id(&db, &code)?;
        let sealed = db.tenant(tid, Actor::system("cli:audit"), jinbao_store::repo::audit::seal)?;
        let c = db.tenant(tid, Actor::system("cli:audit"), jinbao_store::repo::audit::verify)?;
        if sealed > 0 {
            println!("{code}: sealed {sealed} new rows");
        }
        match c.first_broken {
            None => println!("{code}: intact, {} rows, head at {}", c.rows, c.head_seq),
            Some(b) => {
                broken += 1;
                println!(
                    "{code}: BROKEN at chain row {} (audit_log id {}): {} — {} rows, head at {}",
                    b.chain_seq, b.id, b.problem, c.rows, c.head_seq
                );
            }
        }
    }
    anyhow::ensure!(broken == 0, "{broken} audit chain(s) broken");
    Ok(())
}

fn stats(command: StatsCommand) -> anyhow::Result<()> {
    use jinbao_store::repo::stats as st;
    let db = app_db()?;
    let tenants = jinbao_store::repo::global::tenants(&db)?;
    let only = match &command {
        StatsCommand::Check { tenant } => tenant.clone(),
        StatsCommand::Compact => None,
    };
    let mut problems = 0usize;
    for t in tenants.iter().filter(|t| only.as_deref().is_none_or(|c| c == t.code)) {
        let tid = TenantId(t.id);
        match command {
            StatsCommand::Compact => {
                let n = db.tenant(tid, Actor::system("cli:stats"), st::compact)?;
                println!("{}: {n} deltas folded", t.code);
            }
            StatsCommand::Check { .. } => {
                let diffs = db.tenant(tid, Actor::system("cli:stats"), |tx| Ok(st::differences(st::current(tx)?, st::recount(tx)?)))?;
                if diffs.is_empty() {
                    println!("{}: aggregates equal the recount", t.code);
                }
                for ((_, metric, period, ty), agg, re) in &diffs {
                    println!("{}: {metric} {period} {ty}: aggregate {agg} ≠ recount {re}", t.code);
                }
                problems += diffs.len();
            }
        }
    }
    anyhow::ensure!(problems == 0, "{problems} figure(s) differ from the recount");
    Ok(())
}

fn users_disable(tenant: &str, username: &str, delete: bool) -> anyhow::Result<()> {
    let db = app_db()?;
    let tid = tenant_id(&db, tenant)?;
    let username = username.trim().to_ascii_lowercase();
    db.tenant(tid, Actor::system("cli:users-disable"), |tx| {
        let id = users::id_by_username(tx, &username)?.ok_or(jinbao_store::StoreError::NotFound)?;
        users::set_status(tx, id, if delete { UserStatus::Deleted } else { UserStatus::Disabled })
    })
    .map_err(|e| match e {
        jinbao_store::StoreError::NotFound => anyhow::anyhow!("no user `{username}` in {tenant}"),
        other => other.into(),
    })?;
    println!("user {username} in {tenant} is now {}", if delete { "deleted" } else { "disabled" });
    Ok(())
}

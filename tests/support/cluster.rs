//! A PostgreSQL cluster of a test's own (`infra/prod/backup/test-cluster.sh`: WAL archived to its
//! own encrypted pgBackRest repository), for the tests that stop, restart, back up or replicate a
//! database — things the shared cluster of the other tests must never see. Stopped and removed
//! when dropped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::repo_root;

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The `jinbao` binary built with the workspace (`cargo build -p jinbao`).
pub fn jinbao_bin() -> PathBuf {
    let bin = repo_root().join("target").join(if cfg!(debug_assertions) { "debug" } else { "release" }).join("jinbao");
    assert!(bin.exists(), "{} is built with the workspace", bin.display());
    bin
}

/// The output of a command that must succeed, stdout and stderr together.
pub fn ok(out: &Output, what: &str) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{what} failed: {text}");
    text
}

fn script(args: &[&str]) -> Output {
    Command::new("bash").arg(repo_root().join("infra/prod/backup/test-cluster.sh")).args(args).output().unwrap()
}

pub struct Cluster {
    pub dir: PathBuf,
    pub port: u16,
    /// The pgBackRest configuration of its repository (a primary's).
    pub config: String,
}

impl Cluster {
    /// A primary under a new scratch directory named after `what`.
    pub fn start(what: &str) -> Cluster {
        let dir = std::env::temp_dir().join(format!("jinbao-{what}-{}-{}", std::process::id(), free_port()));
        let port = free_port();
        let out = script(&["start", dir.to_str().unwrap(), &port.to_string()]);
        ok(&out, "test cluster");
        // The script prints the configuration's path last on stdout (stderr may carry apt's notes).
        let config = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().trim().to_string();
        Cluster { dir, port, config }
    }

    /// A hot standby streaming from this cluster.
    pub fn standby(&self) -> Cluster {
        let dir = self.dir.with_extension("standby");
        let port = free_port();
        ok(&script(&["standby", dir.to_str().unwrap(), &self.port.to_string(), &port.to_string()]), "standby");
        Cluster { dir, port, config: String::new() }
    }

    pub fn url(&self, user: &str, db: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{db}", self.port)
    }

    /// Roles and database, migrations, `tenants/`: a platform ready to serve.
    pub fn set_up_platform(&self) {
        ok(&self.jinbao(&["db", "bootstrap"], None), "bootstrap");
        ok(&self.jinbao(&["migrate"], None), "migrate");
        ok(&self.jinbao(&["tenants", "sync"], None), "tenants sync");
    }

    /// Runs the `jinbao` command against this cluster (superuser, owner and app URLs set).
    pub fn jinbao(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut c = Command::new(jinbao_bin())
            .current_dir(repo_root())
            .args(args)
            .env("JINBAO_ADMIN_DATABASE_URL", self.url("postgres", "postgres"))
            .env("JINBAO_OWNER_DATABASE_URL", self.url("jinbao_owner", "jinbao"))
            .env("DATABASE_URL", self.url("jinbao_app", "jinbao"))
            .env("JINBAO_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(s) = stdin {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        }
        drop(c.stdin.take());
        c.wait_with_output().unwrap()
    }

    /// A user of `tenant` with `role` and `password`.
    pub fn create_user(&self, tenant: &str, username: &str, role: &str, password: &str) {
        let args = ["users", "create", "--tenant", tenant, "--username", username, "--role", role, "--display-name", "测试"];
        ok(&self.jinbao(&args, Some(password)), "users create");
    }

    /// One value of a query run as the superuser in `db`.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        ok(&Command::new("psql").args([&self.url("postgres", db), "-XAtc", sql]).output().unwrap(), sql).trim().to_string()
    }

    /// `pg_ctl stop|start` (fast, waiting); the log goes to the cluster's directory, so a started
    /// postmaster holds no pipe of this process open.
    pub fn pg_ctl(&self, action: &str) {
        let pgbin = std::fs::read_dir("/usr/lib/postgresql").unwrap().flatten().map(|e| e.path()).max().unwrap().join("bin/pg_ctl");
        let (data, log) = (self.dir.join("data"), self.dir.join("postgres.log"));
        let args = ["-u", "postgres", "--", path(&pgbin), "-D", path(&data), "-l", path(&log), "-m", "fast", "-w", action];
        ok(&Command::new("runuser").args(args).stdin(Stdio::null()).output().unwrap(), "pg_ctl");
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = script(&["stop", self.dir.to_str().unwrap()]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A process a test started (a server), killed and reaped when dropped.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether `{base}/readyz` answers 200 within ten seconds.
pub async fn ready(client: &reqwest::Client, base: &str) -> bool {
    for _ in 0..100 {
        if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

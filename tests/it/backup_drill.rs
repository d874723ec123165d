//! Backups restore to the moment chosen: a throwaway primary archives its WAL to an encrypted
//! pgBackRest repository; a generated city is imported around a full and an incremental backup;
//! the restore drill (`infra/prod/restore-drill.sh`) brings back the state at a target time — the
//! writes before it present, the writes after it absent, per-tenant row counts and checksums
//! equal to the primary's at that moment, the audit chains intact — and the latest state as well.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jinbao_tests::{id_number, repo_root};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn jinbao_bin() -> PathBuf {
    let bin = repo_root().join("target").join(if cfg!(debug_assertions) { "debug" } else { "release" }).join("jinbao");
    assert!(bin.exists(), "{} is built with the workspace", bin.display());
    bin
}

struct Cluster {
    dir: PathBuf,
    port: u16,
    config: String,
}

impl Cluster {
    fn url(&self, user: &str, db: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{db}", self.port)
    }

    fn script(&self, script: &str, args: &[&str]) -> Output {
        Command::new("bash")
            .arg(repo_root().join(script))
            .args(args)
            .env("PGBACKREST_CONFIG", &self.config)
            .env("TEXTFILE_DIR", &self.dir)
            .env("JINBAO", jinbao_bin())
            .env("JINBAO_LOG", "warn")
            .output()
            .unwrap()
    }

    fn jinbao(&self, args: &[&str]) -> Output {
        Command::new(jinbao_bin())
            .current_dir(repo_root())
            .args(args)
            .env("JINBAO_ADMIN_DATABASE_URL", self.url("postgres", "postgres"))
            .env("JINBAO_OWNER_DATABASE_URL", self.url("jinbao_owner", "jinbao"))
            .env("DATABASE_URL", self.url("jinbao_app", "jinbao"))
            .env("JINBAO_LOG", "warn")
            .output()
            .unwrap()
    }

    fn sql(&self, query: &str) -> String {
        let out = Command::new("psql").args([&self.url("postgres", "jinbao"), "-XAtc", query]).output().unwrap();
        assert!(out.status.success(), "{query}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Imports `count` generated persons into Xuchang (sequence numbers from `first`).
    fn import_persons(&self, first: u32, count: u32) {
        let mut csv = String::from("身份证号码,姓名\n");
        for seq in first..first + count {
            csv.push_str(&format!(
                "{},备份{seq}\n",
                id_number("411002", &format!("1980{:02}{:02}", 1 + seq / 28 % 12, 1 + seq % 28), seq % 1000)
            ));
        }
        let file = self.dir.join(format!("persons-{first}.csv"));
        std::fs::write(&file, csv).unwrap();
        ok(&self.jinbao(&["import", "persons", "--tenant", "411000", file.to_str().unwrap()]), "import");
    }

    fn persons(&self) -> i64 {
        self.sql("SELECT count(*) FROM person").parse().unwrap()
    }

    fn manifest(&self, name: &str) -> PathBuf {
        let out = self.script("infra/prod/backup/manifest.sh", &[&self.url("postgres", "jinbao")]);
        ok(&out, "manifest");
        let path = self.dir.join(name);
        std::fs::write(&path, &out.stdout).unwrap();
        path
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(repo_root().join("infra/prod/backup/test-cluster.sh"))
            .args(["stop", self.dir.to_str().unwrap()])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn ok(out: &Output, what: &str) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{what} failed: {text}");
    text
}

fn person_rows(manifest: &Path) -> i64 {
    std::fs::read_to_string(manifest)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("person "))
        .map(|l| l.split(' ').nth(2).unwrap().parse::<i64>().unwrap())
        .sum()
}

#[test]
fn the_drill_restores_the_moment_chosen_and_the_latest_state() {
    let dir = std::env::temp_dir().join(format!("jinbao-drill-{}-{}", std::process::id(), free_port()));
    let port = free_port();
    let out = Command::new("bash")
        .arg(repo_root().join("infra/prod/backup/test-cluster.sh"))
        .args(["start", dir.to_str().unwrap(), &port.to_string()])
        .output()
        .unwrap();
    let config = ok(&out, "test cluster").lines().last().unwrap().trim().to_string();
    let c = Cluster { dir: dir.clone(), port, config };
    ok(&c.jinbao(&["db", "bootstrap"]), "bootstrap");
    ok(&c.jinbao(&["migrate"]), "migrate");
    ok(&c.jinbao(&["tenants", "sync"]), "tenants sync");
    c.import_persons(1, 120);
    ok(&c.script("infra/prod/backup/backup.sh", &["full"]), "full backup");
    c.import_persons(200, 30);
    let incr = ok(&c.script("infra/prod/backup/backup.sh", &["incr"]), "incremental backup");
    assert!(incr.contains("incr backup") && incr.contains("aes-256-cbc"), "{incr}");
    // Prometheus learns when each kind of backup last succeeded (node exporter's textfile collector).
    let prom = std::fs::read_to_string(dir.join("jinbao_backup.prom")).unwrap();
    assert!(prom.contains(r#"jinbao_backup_last_success_timestamp_seconds{type="full"}"#), "{prom}");
    assert!(prom.contains(r#"jinbao_backup_last_success_timestamp_seconds{type="incr"}"#), "{prom}");
    c.import_persons(300, 20);
    let at_target = c.manifest("at-target.txt");
    let target = c.sql("SELECT now()");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    c.import_persons(400, 25);
    let latest = c.manifest("latest.txt");
    assert_eq!((person_rows(&at_target), person_rows(&latest), c.persons()), (170, 195, 195));
    // Every WAL segment up to now reaches the repository (as archive_timeout would within a minute).
    ok(&c.script("infra/prod/backup/backup.sh", &["--check-only"]), "archive check");

    let scratch = dir.join("scratch");
    let drill_port = free_port().to_string();
    let drill = |extra: &[&str]| {
        let mut args = vec!["--scratch", scratch.to_str().unwrap(), "--port", &drill_port];
        args.extend_from_slice(extra);
        c.script("infra/prod/restore-drill.sh", &args)
    };
    let at = ok(&drill(&["--target", &target, "--expect", at_target.to_str().unwrap()]), "drill to the target time");
    assert!(at.contains("equals the expected manifest") && at.contains("411000: intact"), "{at}");
    // The same point in time is not the latest state: the drill says so and fails.
    let wrong = drill(&["--target", &target, "--expect", latest.to_str().unwrap()]);
    assert!(!wrong.status.success(), "a restore to the target time must not equal the latest state");
    let now = ok(&drill(&["--expect", latest.to_str().unwrap()]), "drill to the latest state");
    assert!(now.contains("equals the expected manifest") && now.contains("recovery"), "{now}");
    assert!(!scratch.exists(), "the scratch cluster is removed after the drill");
}

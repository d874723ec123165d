//! Backups restore to the moment chosen: a throwaway primary archives its WAL to an encrypted
//! pgBackRest repository; a generated city is imported around a full and an incremental backup;
//! the restore drill (`infra/prod/restore-drill.sh`) brings back the state at a target time — the
//! writes before it present, the writes after it absent, per-tenant row counts and checksums
//! equal to the primary's at that moment, the audit chains intact — and the latest state as well.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jinbao_tests::cluster::{free_port, jinbao_bin, ok, Cluster};
use jinbao_tests::{id_number, repo_root};

fn run(c: &Cluster, script: &str, args: &[&str]) -> Output {
    Command::new("bash")
        .arg(repo_root().join(script))
        .args(args)
        .env("PGBACKREST_CONFIG", &c.config)
        .env("TEXTFILE_DIR", &c.dir)
        .env("JINBAO", jinbao_bin())
        .env("JINBAO_LOG", "warn")
        .output()
        .unwrap()
}

/// Imports `count` generated persons into Xuchang (sequence numbers from `first`).
fn import_persons(c: &Cluster, first: u32, count: u32) {
    let mut csv = String::from("身份证号码,姓名\n");
    for seq in first..first + count {
        csv.push_str(&format!(
            "{},备份{seq}\n",
            id_number("411002", &format!("1980{:02}{:02}", 1 + seq / 28 % 12, 1 + seq % 28), seq % 1000)
        ));
    }
    let file = c.dir.join(format!("persons-{first}.csv"));
    std::fs::write(&file, csv).unwrap();
    ok(&c.jinbao(&["import", "persons", "--tenant", "411000", file.to_str().unwrap()], None), "import");
}

fn manifest(c: &Cluster, name: &str) -> PathBuf {
    let out = run(c, "infra/prod/backup/manifest.sh", &[&c.url("postgres", "jinbao")]);
    ok(&out, "manifest");
    let path = c.dir.join(name);
    std::fs::write(&path, &out.stdout).unwrap();
    path
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
    let c = Cluster::start("drill");
    let dir = c.dir.clone();
    c.set_up_platform();
    import_persons(&c, 1, 120);
    ok(&run(&c, "infra/prod/backup/backup.sh", &["full"]), "full backup");
    import_persons(&c, 200, 30);
    let incr = ok(&run(&c, "infra/prod/backup/backup.sh", &["incr"]), "incremental backup");
    assert!(incr.contains("incr backup") && incr.contains("aes-256-cbc"), "{incr}");
    // Prometheus learns when each kind of backup last succeeded (node exporter's textfile collector).
    let prom = std::fs::read_to_string(dir.join("jinbao_backup.prom")).unwrap();
    assert!(prom.contains(r#"jinbao_backup_last_success_timestamp_seconds{type="full"}"#), "{prom}");
    assert!(prom.contains(r#"jinbao_backup_last_success_timestamp_seconds{type="incr"}"#), "{prom}");
    import_persons(&c, 300, 20);
    let at_target = manifest(&c, "at-target.txt");
    let target = c.psql("jinbao", "SELECT now()");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    import_persons(&c, 400, 25);
    let latest = manifest(&c, "latest.txt");
    assert_eq!(
        (person_rows(&at_target), person_rows(&latest), c.psql("jinbao", "SELECT count(*) FROM person").parse::<i64>().unwrap()),
        (170, 195, 195)
    );
    // Every WAL segment up to now reaches the repository (as archive_timeout would within a minute).
    ok(&run(&c, "infra/prod/backup/backup.sh", &["--check-only"]), "archive check");

    let scratch = dir.join("scratch");
    let drill_port = free_port().to_string();
    let drill = |extra: &[&str]| {
        let mut args = vec!["--scratch", scratch.to_str().unwrap(), "--port", &drill_port];
        args.extend_from_slice(extra);
        run(&c, "infra/prod/restore-drill.sh", &args)
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

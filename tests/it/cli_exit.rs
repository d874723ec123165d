//! A short command of the `jinbao` binary exits cleanly every time: no pool thread may still be
//! connecting (inside libpq and OpenSSL) while the process tears down, which used to end about one
//! run in twenty with SIGSEGV after the work was done.

use jinbao_tests::TestApp;

#[tokio::test(flavor = "multi_thread")]
async fn a_database_command_exits_cleanly_two_hundred_times() {
    let app = TestApp::start().await;
    let bin = jinbao_tests::repo_root().join("target").join(if cfg!(debug_assertions) { "debug" } else { "release" }).join("jinbao");
    assert!(bin.exists(), "{} is built with the workspace", bin.display());
    let mut failures = Vec::new();
    for run in 0..200 {
        let out = std::process::Command::new(&bin)
            .args(["stats", "check", "--tenant", "411000"])
            .env("DATABASE_URL", &app.app_url)
            .env("JINBAO_OWNER_DATABASE_URL", &app.owner_url)
            .env("JINBAO_LOG", "warn")
            .output()
            .unwrap();
        if !out.status.success() {
            failures.push((run, out.status.to_string(), String::from_utf8_lossy(&out.stderr).chars().take(200).collect::<String>()));
        }
    }
    assert!(failures.is_empty(), "{} of 200 runs failed: {failures:?}", failures.len());
}

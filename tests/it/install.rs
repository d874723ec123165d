//! The production install (`infra/prod/install.sh`) on this machine, as a private install under a
//! scratch ROOT: packages, user, files, roles and schema, tenants, keys, TLS with a self-signed
//! certificate, nginx, the systemd units verified, the server started as the `jinbao` user — then
//! a login through nginx over HTTPS with HTTP/2, HSTS, gzip, static files from nginx, the
//! application's body limits, plain HTTP redirected, metrics behind their token.

use std::process::{Command, Output};

use jinbao_tests::repo_root;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn ok(out: &Output, what: &str) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{what} failed: {text}");
    text
}

struct Install {
    root: String,
    db: String,
}

impl Drop for Install {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(repo_root().join("infra/prod/uninstall.sh"))
            .env("ROOT", &self.root)
            .env("DB_NAME", &self.db)
            .env("PG_URL", jinbao_tests::admin_url())
            .output();
    }
}

fn curl(args: &[&str]) -> String {
    let out = Command::new("curl").args(["-sk", "--max-time", "20"]).args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn install_sh_brings_up_https_through_nginx_and_a_login_works() {
    let tag = format!("{}_{}", std::process::id(), free_port());
    let (https, http, app) = (free_port(), free_port(), free_port());
    let inst = Install {
        root: std::env::temp_dir().join(format!("jinbao-install-{tag}")).display().to_string(),
        db: format!("jinbao_install_{tag}"),
    };
    let bin = repo_root().join("target").join(if cfg!(debug_assertions) { "debug" } else { "release" }).join("jinbao");
    let out = Command::new("bash")
        .arg(repo_root().join("infra/prod/install.sh"))
        .env("ROOT", &inst.root)
        .env("HTTPS_PORT", https.to_string())
        .env("HTTP_PORT", http.to_string())
        .env("APP_PORT", app.to_string())
        .env("DB_NAME", &inst.db)
        .env("REDIS_PREFIX", format!("jinbao_install_{tag}"))
        .env("JINBAO_BIN", &bin)
        .env("SERVER_NAME", "localhost")
        .env("PG_URL", jinbao_tests::admin_url())
        .output()
        .unwrap();
    let log = ok(&out, "install.sh");
    assert!(log.contains("Jinbao is up at https://localhost:"), "{log}");

    // The server runs as the dedicated user, configured from the environment file only.
    let pid = std::fs::read_to_string(format!("{}/run/jinbao.pid", inst.root)).unwrap();
    let owner = ok(&Command::new("ps").args(["-o", "user=", "-p", pid.trim()]).output().unwrap(), "ps");
    assert_eq!(owner.trim(), "jinbao");
    let env_mode =
        ok(&Command::new("stat").args(["-c", "%a %U:%G", &format!("{}/etc/jinbao/jinbao.env", inst.root)]).output().unwrap(), "stat");
    assert_eq!(env_mode.trim(), "640 root:jinbao");

    // A first user, then a login over HTTPS through nginx.
    let mut create = Command::new(format!("{}/opt/jinbao/bin/jinbao", inst.root))
        .args(["users", "create", "--tenant", "411000", "--username", "installcheck", "--role", "clerk", "--display-name", "安装检查"])
        .env("JINBAO_CONFIG_FILE", format!("{}/etc/jinbao/jinbao.env", inst.root))
        .env("JINBAO_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    create.stdin.take().unwrap().write_all(b"Install-Check-2026!\n").unwrap();
    ok(&create.wait_with_output().unwrap(), "users create");
    let resolve = format!("localhost:{https}:127.0.0.1");
    let base = format!("https://localhost:{https}");
    let body = r#"{"tenant":"411000","username":"installcheck","password":"Install-Check-2026!"}"#;
    let login = curl(&[
        "--resolve",
        &resolve,
        "-H",
        "Content-Type: application/json",
        "--data",
        body,
        "-w",
        "\n%{http_code} %{http_version}",
        &format!("{base}/api/v1/auth/login"),
    ]);
    assert!(login.ends_with("200 2") && login.contains("\"token\""), "login through nginx: {login}");

    // HSTS once, gzip for pages, static files served by nginx itself.
    let page = curl(&["--resolve", &resolve, "-H", "Accept-Encoding: gzip", "-o", "/dev/null", "-D", "-", &format!("{base}/login")]);
    assert_eq!(page.to_lowercase().matches("strict-transport-security: max-age=31536000").count(), 1, "{page}");
    assert!(page.to_lowercase().contains("content-encoding: gzip"), "{page}");
    let css = curl(&["--resolve", &resolve, "-o", "/dev/null", "-D", "-", &format!("{base}/static/app.css")]);
    assert!(css.to_lowercase().contains("cache-control: public"), "served by nginx: {css}");
    // Bodies beyond the application's limits stop at nginx.
    let big = format!("@{}/big.json", inst.root);
    std::fs::write(&big[1..], "a".repeat(2 * 1024 * 1024)).unwrap();
    let status = curl(&[
        "--resolve",
        &resolve,
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-H",
        "Content-Type: application/json",
        "--data-binary",
        &big,
        &format!("{base}/api/v1/auth/login"),
    ]);
    assert_eq!(status, "413");
    // Plain HTTP goes to HTTPS.
    let redirect = curl(&["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", &format!("http://127.0.0.1:{http}/persons")]);
    assert_eq!(redirect, format!("301 https://127.0.0.1:{https}/persons"));

    // Metrics only with the token the install generated (the environment file is the configuration).
    let token = std::fs::read_to_string(format!("{}/etc/jinbao/metrics.token", inst.root)).unwrap();
    let denied = curl(&["--resolve", &resolve, "-o", "/dev/null", "-w", "%{http_code}", &format!("{base}/metrics")]);
    assert_eq!(denied, "404");
    let metrics = curl(&["--resolve", &resolve, "-H", &format!("Authorization: Bearer {}", token.trim()), &format!("{base}/metrics")]);
    assert!(metrics.contains(r#"route="/api/v1/auth/login",status="200""#), "{metrics}");
}

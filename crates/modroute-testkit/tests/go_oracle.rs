//! The oracle: the real `go` command downloads modules from the fixture (or fails where it
//! must). Needs `go` on PATH; `MODROUTE_SKIP_GO_TESTS=1` skips these tests when it is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use modroute_testkit::Fixture;

const GO_TIMEOUT: Duration = Duration::from_secs(60);

/// The `go` on PATH; `None` (test skipped) only when it is missing and skipping was asked for.
fn go_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .map(|dir| dir.join(if cfg!(windows) { "go.exe" } else { "go" }))
        .find(|candidate| candidate.is_file());
    if found.is_none() {
        if std::env::var("MODROUTE_SKIP_GO_TESTS").as_deref() == Ok("1") {
            eprintln!("skipped: no `go` on PATH and MODROUTE_SKIP_GO_TESTS=1");
            return None;
        }
        panic!(
            "the go oracle tests need the `go` command on PATH (Go 1.21 or newer); \
             install Go or set MODROUTE_SKIP_GO_TESTS=1 to skip them"
        );
    }
    found
}

/// Runs `go mod download -json <module>` in a fresh, isolated Go environment plus `extra` env.
fn go_download(go: &Path, module: &str, extra: &[(&str, &str)]) -> (Output, String) {
    let tmp = tempfile::Builder::new()
        .prefix("modroute-testkit-go-")
        .tempdir()
        .unwrap();
    let root = tmp.path();
    let home = root.join("home");
    let work = root.join("work");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let mut cmd = Command::new(go);
    cmd.env_clear()
        .current_dir(&work)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("GOPATH", root.join("gopath"))
        .env("GOMODCACHE", root.join("modcache"))
        .env("GOCACHE", root.join("gocache"))
        .env("GOENV", root.join("goenv"))
        .env("GOTOOLCHAIN", "local")
        .env("GOTELEMETRY", "off")
        // -modcacherw: the temporary module cache must be deletable afterwards.
        .env("GOFLAGS", "-mod=mod -modcacherw")
        .env("GOSUMDB", "off")
        .env("GONOSUMDB", "")
        .env("GOPRIVATE", "")
        .env("GONOPROXY", "")
        .args(["mod", "download", "-json", module])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in extra {
        cmd.env(key, value);
    }
    let mut child = cmd.spawn().expect("starting go");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > GO_TIMEOUT {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "go mod download {module} ran longer than {GO_TIMEOUT:?}\nstdout: {}\nstderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    // With -json, go reports a download error in the JSON on stdout; look at both streams.
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text)
}

fn assert_downloaded(out: &Output, text: &str, module: &str) {
    assert!(out.status.success(), "go failed for {module}:\n{text}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("go -json output");
    let (path, version) = module.split_once('@').unwrap();
    assert_eq!(json["Path"], path, "{text}");
    assert_eq!(json["Version"], version, "{text}");
    assert!(json.get("Error").is_none(), "{text}");
    let sum = json["Sum"].as_str().unwrap_or_default();
    assert!(sum.starts_with("h1:"), "a verified zip hash: {text}");
    assert!(
        json["Zip"].as_str().is_some_and(|z| z.ends_with(".zip")),
        "{text}"
    );
}

#[test]
fn go_downloads_from_the_plain_http_proxy() {
    let Some(go) = go_binary() else { return };
    let fx = Fixture::start();
    let (out, text) = go_download(
        &go,
        "example.com/m@v1.1.0",
        &[("GOPROXY", &fx.http_base("ok"))],
    );
    assert_downloaded(&out, &text, "example.com/m@v1.1.0");
    let targets: Vec<String> = fx.log().into_iter().map(|l| l.target).collect();
    assert!(
        targets
            .iter()
            .any(|t| t == "/ok/example.com/m/@v/v1.1.0.zip"),
        "{targets:?}"
    );
}

#[test]
fn go_downloads_a_case_escaped_module() {
    let Some(go) = go_binary() else { return };
    let fx = Fixture::start();
    let (out, text) = go_download(
        &go,
        "example.com/Upper/m@v1.0.0",
        &[("GOPROXY", &fx.http_base("ok"))],
    );
    assert_downloaded(&out, &text, "example.com/Upper/m@v1.0.0");
    // Go escapes the upper-case letter as `!u` and percent-encodes the `!`.
    assert!(
        fx.log()
            .iter()
            .any(|l| l.target == "/ok/example.com/%21upper/m/@v/v1.0.0.zip"),
        "{:?}",
        fx.log()
    );
}

#[test]
fn go_trusts_the_tls_proxy_only_with_the_ca_file() {
    let Some(go) = go_binary() else { return };
    let fx = Fixture::start();
    let ca = fx.ca_file().to_string_lossy().into_owned();
    let goproxy = fx.tls_base("ok");
    let (out, text) = go_download(
        &go,
        "example.com/m@v1.1.0",
        &[("GOPROXY", &goproxy), ("SSL_CERT_FILE", &ca)],
    );
    assert_downloaded(&out, &text, "example.com/m@v1.1.0");

    let (out, text) = go_download(&go, "example.com/m@v1.1.0", &[("GOPROXY", &goproxy)]);
    assert!(!out.status.success(), "must fail without the CA:\n{text}");
    assert!(text.contains("x509"), "{text}");
}

#[test]
fn go_reaches_the_named_proxy_through_the_authenticating_proxy() {
    let Some(go) = go_binary() else { return };
    let fx = Fixture::start();
    let ca = fx.ca_file().to_string_lossy().into_owned();
    let proxy = fx.proxy_url();
    let (out, text) = go_download(
        &go,
        "example.com/m@v1.1.0",
        &[
            ("GOPROXY", &fx.tls_named_base("ok")),
            ("HTTPS_PROXY", &proxy),
            ("SSL_CERT_FILE", &ca),
        ],
    );
    assert_downloaded(&out, &text, "example.com/m@v1.1.0");
    let port = fx.proxy_addr().port();
    let tls_base = fx.tls_base("");
    let (_, tls_port) = tls_base.trim_end_matches('/').rsplit_once(':').unwrap();
    let log = fx.log();
    assert!(
        log.iter().any(|l| l.server == "proxy"
            && l.method == "CONNECT"
            && l.authorized
            && l.target == format!("athens.corp.test:{tls_port}")),
        "no authorized CONNECT to athens.corp.test:{tls_port} via proxy port {port}: {log:?}"
    );
    assert!(
        log.iter().any(|l| l.server == "module"
            && l.user_agent
                .as_deref()
                .is_some_and(|ua| ua.starts_with("Go-http-client"))),
        "{log:?}"
    );
}

#[test]
fn go_fails_against_the_500_fault() {
    let Some(go) = go_binary() else { return };
    let fx = Fixture::start();
    let (out, text) = go_download(
        &go,
        "example.com/m@v1.1.0",
        &[("GOPROXY", &fx.http_base("500"))],
    );
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("500"), "{text}");
}

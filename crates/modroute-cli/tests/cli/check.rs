//! `modroute check`: the JSON contract, exit codes, profiles (a private CA via SSL_CERT_FILE,
//! credentials in the proxy URL), redaction and the history it keeps — against the loopback
//! fixture servers.

use std::os::unix::fs::PermissionsExt;
use std::sync::OnceLock;

use modroute_testkit::Fixture;

use crate::harness::World;

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(Fixture::start)
}

fn world() -> World {
    let mut w = World::new();
    w.set("GOENV", "{tmp}/goenv");
    w
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn json_follows_the_contract_and_the_exit_code_follows_the_route() {
    let f = fixture();
    let mut w = world();
    w.set(
        "GOPROXY",
        &format!("{},{}", f.http_base("404"), f.http_base("ok")),
    );
    w.set("GOSUMDB", "off");
    let out = w.modroute(&[
        "check",
        "--json",
        "--timeout-ms",
        "1500",
        "--module",
        "example.com/m",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["healthy"], true);
    assert_eq!(report["profile"], serde_json::Value::Null);
    assert_eq!(report["module"], "example.com/m");
    assert_eq!(report["timeout_ms"], 1500);
    assert!(report["elapsed_ms"].as_u64().is_some());
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let first = &results[0];
    for key in [
        "endpoint",
        "kind",
        "outcome",
        "failed_stage",
        "stages",
        "detail",
    ] {
        assert!(first.get(key).is_some(), "{key} missing: {first}");
    }
    assert_eq!(first["kind"], "goproxy");
    assert_eq!(first["outcome"], "not_found");
    assert_eq!(first["failed_stage"], "http");
    for key in ["dns_ms", "connect_ms", "proxy_ms", "tls_ms", "http_ms"] {
        assert!(first["stages"].get(key).is_some(), "stages.{key} missing");
    }
    assert_eq!(results[1]["outcome"], "ok");
    assert_eq!(results[1]["failed_stage"], serde_json::Value::Null);

    // `,` after a 500: go stops there, so the route is unhealthy: exit 1.
    w.set(
        "GOPROXY",
        &format!("{},{}", f.http_base("500"), f.http_base("ok")),
    );
    let out = w.modroute(&["check", "--timeout-ms", "1500", "--module", "example.com/m"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("http_error"), "{text}");
    assert!(text.contains("Unhealthy:"), "{text}");
    assert!(
        text.contains("go says: reading http://127.0.0.1:"),
        "{text}"
    );

    // Usage errors exit 2.
    assert_eq!(
        w.modroute(&["check", "no-such-profile"]).status.code(),
        Some(2)
    );
    assert_eq!(
        w.modroute(&["check", "--module", "nodot"]).status.code(),
        Some(2)
    );
    assert_eq!(
        w.modroute(&["check", "--timeout-ms", "0"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_corporate_profile_passes_with_its_ca_and_credentials_and_never_shows_the_password() {
    let f = fixture();
    let w = world();
    let profile = format!(
        "[profiles.acme]\nprobe_module = \"example.com/m\"\nGOPROXY = \"{}\"\nGOSUMDB = \"off\"\nHTTPS_PROXY = \"{}\"\nSSL_CERT_FILE = \"{}\"\n\n[profiles.nocert]\nprobe_module = \"example.com/m\"\nGOPROXY = \"{}\"\nGOSUMDB = \"off\"\nHTTPS_PROXY = \"{}\"\n",
        f.tls_named_base("ok"),
        f.proxy_url(),
        f.ca_file().display(),
        f.tls_named_base("ok"),
        f.proxy_url(),
    );
    w.write("home/.config/modroute/profiles.toml", profile.as_bytes());
    let out = w.modroute(&["check", "acme", "--json", "--timeout-ms", "2000"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["profile"], "acme");
    assert_eq!(report["module"], "example.com/m");
    assert_eq!(report["results"][0]["outcome"], "ok");
    assert_eq!(report["results"][0]["proxy"]["from"], "HTTPS_PROXY");
    assert_eq!(report["results"][0]["tls"]["public_ca"], false);
    assert!(!stdout.contains("s3cret-pw"), "{stdout}");
    assert!(stdout.contains("modroute:xxxxx@"));

    // Without the CA the same route is intercepted TLS: exit 1 and the advice to set SSL_CERT_FILE.
    let out = w.modroute(&["check", "nocert", "--timeout-ms", "2000"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("tls_untrusted") && text.contains("SSL_CERT_FILE"),
        "{text}"
    );
    assert!(!text.contains("s3cret-pw"), "{text}");

    // Both runs are in the history, newest first, in a private file.
    let history_path = w.dir.path().join("home/.local/state/modroute/health.json");
    let history: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&history_path).unwrap()).unwrap();
    let runs = history["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["profile"], "nocert");
    assert_eq!(runs[0]["healthy"], false);
    assert_eq!(runs[1]["profile"], "acme");
    let mode = std::fs::metadata(&history_path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    assert!(!String::from_utf8_lossy(&std::fs::read(&history_path).unwrap()).contains("s3cret-pw"));
}

#[test]
fn a_broken_history_is_reported_and_left_alone() {
    let f = fixture();
    let mut w = world();
    w.set("GOPROXY", &f.http_base("ok"));
    w.set("GOSUMDB", "off");
    let path = w.write(
        "home/.local/state/modroute/health.json",
        b"{\"runs\": [garbage",
    );
    let out = w.modroute(&["check", "--module", "example.com/m"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("health.json:1:") && err.contains("not a modroute health history"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"runs\": [garbage");
}

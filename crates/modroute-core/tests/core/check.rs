//! The health check against real servers on loopback (modroute-testkit): every outcome, every
//! stage, proxies with and without credentials, private CAs, the checksum DB's route, and the
//! oracle — real `go mod download` succeeds exactly when the check calls a route healthy.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use modroute_core::check::{self, Event, Kind, Options, Outcome, Report, Route, Stage};
use modroute_core::httpproxy::ProxyEnv;
use modroute_testkit::Fixture;

use crate::support::{across_go_versions, go_mod_download, tool};

const MODULE: &str = "example.com/m";

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(Fixture::start)
}

fn options() -> Options {
    Options {
        module: MODULE.to_string(),
        timeout: Duration::from_millis(1500),
        samples: 1,
        slow: Duration::from_millis(1000),
        ..Options::default()
    }
}

/// A route with `goproxy`, checksums off and the given proxy variables.
fn route(goproxy: &str, vars: &[(&str, String)]) -> Route {
    let vars = vars.to_vec();
    Route {
        goproxy: goproxy.to_string(),
        gosumdb: "off".to_string(),
        proxies: ProxyEnv::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        }),
        ..Route::default()
    }
}

fn ca() -> Option<String> {
    Some(fixture().ca_file().to_string_lossy().into_owned())
}

fn check_with(route: &Route, options: &Options) -> Report {
    check::run(route, None, options, &mut |_| {})
}

fn check(route: &Route) -> Report {
    check_with(route, &options())
}

/// The single GOPROXY entry's result of a check of `base`.
fn probe(base: &str) -> check::EndpointResult {
    probe_route(&route(base, &[]))
}

fn probe_route(route: &Route) -> check::EndpointResult {
    let report = check(route);
    report.results.into_iter().next().expect("one endpoint")
}

#[track_caller]
fn assert_outcome(r: &check::EndpointResult, outcome: Outcome, stage: Option<Stage>) {
    assert_eq!(
        (r.outcome, r.failed_stage),
        (outcome, stage),
        "{} → {:?}: {}",
        r.endpoint,
        r.outcome,
        r.detail
    );
}

#[test]
fn a_working_proxy_is_ok_with_every_stage_timed() {
    let f = fixture();
    let report = check(&route(&f.http_base("ok"), &[]));
    assert!(report.healthy, "{}", report.verdict);
    let r = &report.results[0];
    assert_outcome(r, Outcome::Ok, None);
    assert_eq!(r.kind, Kind::Goproxy);
    assert_eq!(r.http_status, Some(200));
    assert_eq!(r.stages.dns_ms, None, "an IP literal needs no DNS");
    assert!(r.stages.connect_ms.is_some() && r.stages.http_ms.is_some());
    assert_eq!(r.stages.tls_ms, None);
    assert_eq!(r.params.get("latest").map(String::as_str), Some("v1.1.0"));
    assert_eq!(r.params.get("versions").map(String::as_str), Some("2"));
    assert!(
        report.verdict.starts_with("Healthy: modules come from"),
        "{}",
        report.verdict
    );
    // Go's case-encoding: example.com/Upper/m is requested as example.com/%21upper/m.
    f.clear_log();
    let upper = check_with(
        &route(&f.http_base("ok"), &[]),
        &Options {
            module: "example.com/Upper/m".into(),
            ..options()
        },
    );
    assert!(upper.healthy, "{}", upper.verdict);
    assert!(
        f.log()
            .iter()
            .any(|l| l.target.contains("example.com/%21upper/m/@v/list")),
        "{:?}",
        f.log()
    );
    // Like go, modroute sends no credentials over plain http.
    let r = probe(&f.http_base("ok").replace("http://", "http://u:pw@"));
    assert_outcome(&r, Outcome::HttpError, Some(Stage::Http));
    assert!(
        r.go_error
            .as_deref()
            .unwrap()
            .contains("refusing to pass credentials to insecure URL: http://u:xxxxx@")
    );
}

#[test]
fn http_answers_map_to_outcomes() {
    let f = fixture();
    for (fault, outcome, stage, status) in [
        ("404", Outcome::NotFound, Stage::Http, Some(404)),
        ("410", Outcome::NotFound, Stage::Http, Some(410)),
        // 401/403 from a module proxy: credentials wanted (see the netrc tests below).
        ("403", Outcome::AuthRequired, Stage::Http, Some(403)),
        ("500", Outcome::HttpError, Stage::Http, Some(500)),
        ("portal", Outcome::ProtocolError, Stage::Protocol, Some(200)),
        (
            "html-list",
            Outcome::ProtocolError,
            Stage::Protocol,
            Some(200),
        ),
        ("redirect-loop", Outcome::HttpError, Stage::Http, Some(302)),
        ("garbage", Outcome::ProtocolError, Stage::Http, None),
        ("bad-chunk", Outcome::ProtocolError, Stage::Http, Some(200)),
        ("reset", Outcome::Refused, Stage::Http, None),
    ] {
        let r = probe(&f.http_base(fault));
        assert_outcome(&r, outcome, Some(stage));
        assert_eq!(r.http_status, status, "{fault}");
    }
    let r = probe(&f.http_base("500"));
    let go = r.go_error.unwrap();
    assert!(go.starts_with("reading http://127.0.0.1:"), "{go}");
    assert!(
        go.contains("500 Internal Server Error\n\tserver response: injected 500"),
        "{go}"
    );
    let portal = probe(&f.http_base("portal"));
    assert!(portal.detail.contains("HTML page"), "{}", portal.detail);
    assert!(
        portal
            .go_error
            .unwrap()
            .contains("invalid character '<' looking for beginning of value")
    );
    assert!(
        probe(&f.http_base("redirect-loop"))
            .detail
            .contains("redirect loop")
    );
}

#[test]
fn stalls_time_out_at_their_stage_within_the_deadline() {
    let f = fixture();
    for fault in ["hang", "hang-body", "slowloris", "endless"] {
        let started = Instant::now();
        let r = probe(&f.http_base(fault));
        let took = started.elapsed();
        assert_outcome(&r, Outcome::Timeout, Some(Stage::Http));
        assert!(took < Duration::from_millis(2500), "{fault} took {took:?}");
    }
    // Slow but answering: `slow` above the threshold.
    let slow = check_with(
        &route(&f.http_base("slow-300"), &[]),
        &Options {
            slow: Duration::from_millis(150),
            samples: 2,
            ..options()
        },
    );
    let r = &slow.results[0];
    assert_outcome(r, Outcome::Slow, None);
    assert_eq!(r.samples_ms.len(), 2);
    assert!(
        r.median_ms.unwrap() >= 300 && r.stages.http_ms.unwrap() >= 300,
        "{r:?}"
    );
    assert!(slow.healthy, "slow still works: {}", slow.verdict);
}

#[test]
fn a_huge_body_is_read_only_up_to_the_cap() {
    let f = fixture();
    f.clear_log();
    let r = probe(&f.http_base("huge"));
    // 64 MiB of valid versions: the first MiB is enough to judge, the rest is never read.
    assert_outcome(&r, Outcome::Ok, None);
    assert!(r.total_ms < 1500, "{}", r.total_ms);
}

#[test]
fn connection_and_name_failures() {
    let f = fixture();
    let r = probe(&f.closed_base());
    assert_outcome(&r, Outcome::Refused, Some(Stage::Connect));
    assert!(r.go_error.unwrap().contains("connect: connection refused"));
    let r = probe("https://modroute-no-such-host.invalid");
    assert_outcome(&r, Outcome::Dns, Some(Stage::Dns));
    assert_eq!(
        r.params.get("host").map(String::as_str),
        Some("modroute-no-such-host.invalid")
    );
    assert!(r.go_error.unwrap().contains("no such host"));
}

#[test]
fn tls_is_verified_with_gos_roots() {
    let f = fixture();
    // The private CA is not trusted by default: that is what interception looks like.
    let r = probe(&f.tls_base("ok"));
    assert_outcome(&r, Outcome::TlsUntrusted, Some(Stage::Tls));
    assert!(r.detail.starts_with("TLS interception by"), "{}", r.detail);
    assert!(r.params.contains_key("issuer"));
    assert!(
        r.go_error
            .unwrap()
            .ends_with("x509: certificate signed by unknown authority")
    );
    assert!(!r.tls.as_ref().unwrap().public_ca);
    // With SSL_CERT_FILE naming the CA, Go (and modroute) trust it — still flagged as private.
    let trusted = Route {
        ssl_cert_file: ca(),
        ..route(&f.tls_base("ok"), &[])
    };
    let r = probe_route(&trusted);
    assert_outcome(&r, Outcome::Ok, None);
    assert!(r.detail.contains("not a public CA"), "{}", r.detail);
    assert_eq!(r.params.get("private_ca").map(String::as_str), Some("true"));
    let tls = r.tls.unwrap();
    assert!(!tls.public_ca);
    assert!(tls.version.starts_with("TLSv1."), "{tls:?}");
    assert!(!tls.issuer.is_empty() && !tls.not_after.is_empty() && !tls.chain.is_empty());
    assert!(r.stages.tls_ms.is_some());
    for (base, outcome) in [
        (f.self_signed_base("ok"), Outcome::TlsUntrusted),
        (f.wrong_name_base("ok"), Outcome::TlsHostname),
        (f.expired_base("ok"), Outcome::TlsUntrusted),
    ] {
        let r = probe_route(&Route {
            ssl_cert_file: ca(),
            ..route(&base, &[])
        });
        assert_outcome(&r, outcome, Some(Stage::Tls));
    }
    let expired = probe_route(&Route {
        ssl_cert_file: ca(),
        ..route(&f.expired_base("ok"), &[])
    });
    assert_eq!(
        expired.params.get("reason").map(String::as_str),
        Some("expired")
    );
    // https:// to a plain-http server (one that answers a ClientHello with a 400, as web
    // servers do).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        if let Ok((mut conn, _)) = listener.accept() {
            let mut buf = [0u8; 512];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let r = probe(&format!("https://127.0.0.1:{port}"));
    assert_outcome(&r, Outcome::ProtocolError, Some(Stage::Tls));
    assert!(
        r.go_error
            .unwrap()
            .contains("first record does not look like a TLS handshake")
    );
}

#[test]
fn the_corporate_proxy_resolves_private_names_and_wants_credentials() {
    let f = fixture();
    f.clear_log();
    let with = |proxy: String| Route {
        ssl_cert_file: ca(),
        ..route(&f.tls_named_base("ok"), &[("HTTPS_PROXY", proxy)])
    };
    let report = check(&with(f.proxy_url()));
    assert!(report.healthy, "{}", report.verdict);
    let r = &report.results[0];
    assert_outcome(r, Outcome::Ok, None);
    assert!(
        r.addresses.is_empty(),
        "the proxy resolved athens.corp.test, not us"
    );
    assert!(r.stages.proxy_ms.is_some() && r.stages.tls_ms.is_some());
    let used = r.proxy.as_ref().unwrap();
    assert_eq!(used.from, "HTTPS_PROXY");
    assert!(used.url.contains("modroute:xxxxx@"), "{}", used.url);
    assert!(f.log().iter().any(|l| l.method == "CONNECT"
        && l.target.starts_with("athens.corp.test:")
        && l.authorized));
    // The proxy itself is an endpoint too.
    let proxy = &report.results[1];
    assert_eq!(proxy.kind, Kind::HttpProxy);
    assert_outcome(proxy, Outcome::Ok, None);
    // No credentials, wrong credentials.
    let bare = f.proxy_url().replace("modroute:s3cret-pw@", "");
    let r = probe_route(&with(bare));
    assert_outcome(&r, Outcome::ProxyAuthRequired, Some(Stage::Proxy));
    assert!(r.detail.contains("wants credentials"), "{}", r.detail);
    assert_eq!(
        r.go_error
            .as_deref()
            .map(|g| g.ends_with("Proxy Authentication Required")),
        Some(true)
    );
    let wrong = f.proxy_url().replace("s3cret-pw", "wrong");
    let r = probe_route(&with(wrong));
    assert_outcome(&r, Outcome::ProxyAuthRequired, Some(Stage::Proxy));
    assert!(
        r.detail.contains("rejected the credentials"),
        "{}",
        r.detail
    );
    // A proxy that cannot CONNECT.
    let r = probe_route(&with(f.no_connect_proxy_url()));
    assert_outcome(&r, Outcome::HttpError, Some(Stage::Proxy));
    assert_eq!(r.params.get("status").map(String::as_str), Some("501"));
    // A proxy that is down.
    let r = probe_route(&with(f.closed_base()));
    assert_outcome(&r, Outcome::Refused, Some(Stage::Connect));
    assert!(r.go_error.unwrap().contains("proxyconnect tcp: dial tcp"));
    // Plain-http GOPROXY through HTTP_PROXY: absolute-form, and 407 without credentials.
    let http_named = f.tls_named_base("ok").replace("https://", "http://");
    let r = probe_route(&route(
        &http_named,
        &[(
            "HTTP_PROXY",
            f.proxy_url().replace("modroute:s3cret-pw@", ""),
        )],
    ));
    assert_outcome(&r, Outcome::ProxyAuthRequired, Some(Stage::Http));
}

#[test]
fn loopback_and_no_proxy_bypass_the_proxy() {
    let f = fixture();
    let r = probe_route(&Route {
        ssl_cert_file: ca(),
        ..route(&f.tls_base("ok"), &[("HTTPS_PROXY", f.closed_base())])
    });
    assert_outcome(&r, Outcome::Ok, None);
    assert_eq!(r.no_proxy.as_deref(), Some("loopback"));
    assert!(r.proxy.is_none());
    // NO_PROXY keeps athens.corp.test away from the proxy: then it must resolve locally, and
    // cannot (only the proxy knows it).
    let r = probe_route(&Route {
        ssl_cert_file: ca(),
        ..route(
            &f.tls_named_base("ok"),
            &[
                ("HTTPS_PROXY", f.proxy_url()),
                ("no_proxy", ".corp.test".into()),
            ],
        )
    });
    assert_eq!(r.no_proxy.as_deref(), Some(".corp.test"));
    assert_outcome(&r, Outcome::Dns, Some(Stage::Dns));
}

#[test]
fn the_checksum_db_goes_through_the_first_proxy_that_supports_it() {
    let f = fixture();
    let sumdb = |goproxy: &str, gosumdb: &str| {
        let report = check(&Route {
            gosumdb: gosumdb.into(),
            ssl_cert_file: ca(),
            ..route(goproxy, &[])
        });
        let r = report
            .results
            .iter()
            .find(|r| r.kind == Kind::Sumdb)
            .cloned()
            .unwrap();
        (report, r)
    };
    let (report, r) = sumdb(&f.http_base("ok"), "sum.golang.org");
    assert_outcome(&r, Outcome::Ok, None);
    assert_eq!(
        r.via.as_deref(),
        Some(format!("{}/sumdb/sum.golang.org", f.http_base("ok")).as_str())
    );
    assert!(report.healthy, "{}", report.verdict);
    assert!(
        report
            .verdict
            .contains("checksums come from sum.golang.org via"),
        "{}",
        report.verdict
    );
    // Not supported (404) → the next entry supports it.
    let (_, r) = sumdb(
        &format!("{},{}", f.http_base("nosumdb"), f.http_base("ok")),
        "sum.golang.org",
    );
    assert_outcome(&r, Outcome::Ok, None);
    assert!(r.via.unwrap().starts_with(&f.http_base("ok")));
    // A 500 on `,` is fatal for verification; on `|` the next entry is asked.
    let (report, r) = sumdb(
        &format!("{},{}", f.http_base("sumdb500"), f.http_base("ok")),
        "sum.golang.org",
    );
    assert_outcome(&r, Outcome::HttpError, Some(Stage::Http));
    assert!(!report.healthy);
    assert!(
        r.detail.contains("/sumdb/sum.golang.org/supported"),
        "{}",
        r.detail
    );
    let (_, r) = sumdb(
        &format!("{}|{}", f.http_base("sumdb500"), f.http_base("ok")),
        "sum.golang.org",
    );
    assert_outcome(&r, Outcome::Ok, None);
    // An explicit URL bypasses the proxies.
    let explicit = format!("sum.golang.org {}/sumdb/sum.golang.org", f.tls_base("ok"));
    let (_, r) = sumdb(&f.http_base("nosumdb"), &explicit);
    assert_outcome(&r, Outcome::Ok, None);
    assert!(r.via.unwrap().starts_with(&f.tls_base("ok")));
    // Something that is not a checksum DB.
    let (_, r) = sumdb(&f.http_base("portal"), "sum.golang.org");
    assert_outcome(&r, Outcome::ProtocolError, Some(Stage::Protocol));
}

#[test]
fn comma_and_pipe_decide_whether_go_falls_through() {
    let f = fixture();
    let healthy = |goproxy: String| check(&route(&goproxy, &[])).healthy;
    let (ok, nf, err) = (f.http_base("ok"), f.http_base("404"), f.http_base("500"));
    assert!(healthy(format!("{nf},{ok}")));
    assert!(!healthy(format!("{err},{ok}")));
    assert!(healthy(format!("{err}|{ok}")));
    assert!(!healthy(format!("{nf},off")));
    assert!(!healthy(format!("{nf},{nf}")));
}

#[test]
fn results_stream_in_completion_order_and_report_in_route_order() {
    let f = fixture();
    let goproxy = format!(
        "{}|{}|{}",
        f.http_base("hang"),
        f.http_base("slow-200"),
        f.http_base("ok")
    );
    let mut finished = Vec::new();
    let mut planned = 0;
    let report = check::run(
        &route(&goproxy, &[]),
        None,
        &options(),
        &mut |event| match event {
            Event::Planned { endpoints } => planned = endpoints.len(),
            Event::Result { result } => finished.push(result.index),
            Event::Stage { .. } => {}
        },
    );
    assert_eq!(planned, 3);
    assert_eq!(finished, vec![2, 1, 0], "fastest first");
    assert_eq!(
        report.results.iter().map(|r| r.index).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    assert!(
        report.healthy,
        "`|` falls through the hang: {}",
        report.verdict
    );
    assert_eq!(report.ranking[0].endpoint, f.http_base("ok"));
    assert_eq!(
        report.reorder.as_deref(),
        Some(
            format!(
                "{}|{}|{}",
                f.http_base("ok"),
                f.http_base("slow-200"),
                f.http_base("hang")
            )
            .as_str()
        )
    );
}

#[test]
fn no_credential_reaches_the_report() {
    let f = fixture();
    let report = check(&Route {
        ssl_cert_file: ca(),
        gosumdb: "sum.golang.org".into(),
        ..route(
            &format!(
                "https://tok:gh-secret-token@127.0.0.1:1,{}",
                f.tls_named_base("ok")
            ),
            &[("HTTPS_PROXY", f.proxy_url())],
        )
    });
    let json = serde_json::to_string(&report).unwrap();
    for secret in ["s3cret-pw", "gh-secret-token"] {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
    assert!(json.contains("modroute:xxxxx@"));
}

/// `Some` sentence when real go (`out`) and the check (`report`) disagree on whether the route
/// works — what each said, for the oracle tests' failure messages.
fn disagreement(what: String, out: &std::process::Output, report: &Report) -> Option<String> {
    let go_ok = out.status.success();
    (go_ok != report.healthy).then(|| {
        format!(
            "{what}: go {} but modroute says {}\n  go: {}{}\n",
            if go_ok { "succeeded" } else { "failed" },
            report.verdict,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The oracle: `go mod download` through each route succeeds exactly when the check says the
/// route is healthy. (Routes whose servers hang are left out: go has no response timeout and
/// would wait forever, which the check reports as a timeout.)
#[test]
fn go_agrees_with_the_verdict() {
    let f = fixture();
    let (ok, nf, err) = (f.http_base("ok"), f.http_base("404"), f.http_base("500"));
    let proxy = f.proxy_url();
    let bare_proxy = proxy.replace("modroute:s3cret-pw@", "");
    let cases: Vec<(String, Vec<(&str, String)>)> = vec![
        (ok.clone(), vec![]),
        (nf.clone(), vec![]),
        (format!("{nf},{ok}"), vec![]),
        (format!("{err},{ok}"), vec![]),
        (format!("{err}|{ok}"), vec![]),
        (format!("{nf},off"), vec![]),
        (f.http_base("portal"), vec![]),
        (f.http_base("reset"), vec![]),
        (f.http_base("garbage"), vec![]),
        (f.http_base("403"), vec![]),
        (f.closed_base(), vec![]),
        (f.tls_base("ok"), vec![]),
        (f.tls_base("ok"), vec![("SSL_CERT_FILE", ca().unwrap())]),
        (
            f.self_signed_base("ok"),
            vec![("SSL_CERT_FILE", ca().unwrap())],
        ),
        (
            f.wrong_name_base("ok"),
            vec![("SSL_CERT_FILE", ca().unwrap())],
        ),
        (f.expired_base("ok"), vec![("SSL_CERT_FILE", ca().unwrap())]),
        (
            f.tls_named_base("ok"),
            vec![
                ("HTTPS_PROXY", proxy.clone()),
                ("SSL_CERT_FILE", ca().unwrap()),
            ],
        ),
        (
            f.tls_named_base("ok"),
            vec![
                ("HTTPS_PROXY", bare_proxy),
                ("SSL_CERT_FILE", ca().unwrap()),
            ],
        ),
        (
            f.tls_named_base("ok"),
            vec![
                ("HTTPS_PROXY", f.no_connect_proxy_url()),
                ("SSL_CERT_FILE", ca().unwrap()),
            ],
        ),
        (
            format!("{},{ok}", f.tls_base("ok")),
            vec![("HTTPS_PROXY", f.closed_base())],
        ),
    ];
    let reports: Vec<Report> = cases
        .iter()
        .map(|(goproxy, vars)| {
            let mut r = route(goproxy, vars);
            r.ssl_cert_file = vars
                .iter()
                .find(|(k, _)| *k == "SSL_CERT_FILE")
                .map(|(_, v)| v.clone());
            check(&r)
        })
        .collect();
    let disagreements = across_go_versions(|go| {
        let mut found = Vec::new();
        for ((goproxy, vars), report) in cases.iter().zip(&reports) {
            let mut env: Vec<(&str, &str)> = vec![("GOPROXY", goproxy.as_str())];
            env.extend(vars.iter().map(|(k, v)| (*k, v.as_str())));
            let out = go_mod_download(go, &format!("{MODULE}@v1.1.0"), &env);
            found.extend(disagreement(
                format!("GOPROXY={goproxy} {vars:?}"),
                &out,
                report,
            ));
        }
        found
    });
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// Debian's squid as the corporate proxy: Basic auth required (any credentials pass, via squid's
/// fake auth helper), private names resolved from its own hosts file, CONNECT to port 9 denied.
struct Squid {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Squid {
    fn start() -> Option<Squid> {
        let bin = which::which("squid")
            .ok()
            .or_else(|| {
                let sbin = std::path::Path::new("/usr/sbin/squid");
                sbin.exists().then(|| sbin.to_path_buf())
            })
            .or_else(|| tool("squid"))?;
        let dir = tempfile::tempdir().unwrap();
        // squid started as root works as the `proxy` user: it must reach its files.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let d = dir.path().display();
        let auth = [
            "/usr/lib/squid/basic_fake_auth",
            "/usr/lib64/squid/basic_fake_auth",
        ]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("squid's basic_fake_auth helper");
        let conf = format!(
            "http_port 127.0.0.1:{port}\npid_filename {d}/squid.pid\naccess_log stdio:{d}/access.log\n\
             cache_log {d}/cache.log\ncache_store_log none\ncoredump_dir {d}\nhosts_file {d}/hosts\n\
             cache deny all\nshutdown_lifetime 0 seconds\n\
             auth_param basic program {auth}\nauth_param basic realm modroute-test\n\
             acl authed proxy_auth REQUIRED\nacl blocked_port port 9\n\
             http_access deny CONNECT blocked_port\nhttp_access allow authed\nhttp_access deny all\n"
        );
        std::fs::write(dir.path().join("squid.conf"), conf).unwrap();
        std::fs::write(dir.path().join("hosts"), "127.0.0.1 athens.corp.test\n").unwrap();
        for f in ["squid.conf", "hosts"] {
            std::fs::set_permissions(dir.path().join(f), std::fs::Permissions::from_mode(0o644))
                .unwrap();
        }
        let child = std::process::Command::new(bin)
            .args(["-N", "-f"])
            .arg(dir.path().join("squid.conf"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start squid");
        let squid = Squid { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "squid did not start: {}",
                std::fs::read_to_string(squid.dir.path().join("cache.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(squid)
    }

    fn url(&self, credentials: bool) -> String {
        let auth = if credentials { "build:squid-pw@" } else { "" };
        format!("http://{auth}127.0.0.1:{}", self.port)
    }
}

impl Drop for Squid {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn through_debians_squid() {
    let Some(squid) = Squid::start() else { return };
    let f = fixture();
    let via = |proxy: String, base: String| Route {
        ssl_cert_file: ca(),
        ..route(&base, &[("HTTPS_PROXY", proxy)])
    };
    let report = check(&via(squid.url(true), f.tls_named_base("ok")));
    assert!(report.healthy, "{}", report.verdict);
    let r = &report.results[0];
    assert_outcome(r, Outcome::Ok, None);
    assert!(r.addresses.is_empty() && r.stages.proxy_ms.is_some());
    assert!(!serde_json::to_string(&report).unwrap().contains("squid-pw"));
    let log = std::fs::read_to_string(squid.dir.path().join("access.log")).unwrap_or_default();
    assert!(log.contains("CONNECT athens.corp.test:"), "{log}");

    let r = probe_route(&via(squid.url(false), f.tls_named_base("ok")));
    assert_outcome(&r, Outcome::ProxyAuthRequired, Some(Stage::Proxy));
    let r = probe_route(&via(squid.url(true), "https://athens.corp.test:9".into()));
    assert_outcome(&r, Outcome::HttpError, Some(Stage::Proxy));
    assert_eq!(r.params.get("status").map(String::as_str), Some("403"));

    // And go agrees: through squid with credentials it downloads, without them it cannot.
    let Some(go) = tool("go") else { return };
    for (credentials, healthy) in [(true, true), (false, false)] {
        let (goproxy, proxy) = (f.tls_named_base("ok"), squid.url(credentials));
        let ca = f.ca_file().to_string_lossy().into_owned();
        let out = go_mod_download(
            &go,
            &format!("{MODULE}@v1.1.0"),
            &[
                ("GOPROXY", &goproxy),
                ("HTTPS_PROXY", &proxy),
                ("SSL_CERT_FILE", &ca),
            ],
        );
        assert_eq!(
            out.status.success(),
            healthy,
            "go through squid (credentials: {credentials}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Route for a private proxy: `goproxy`, the test CA trusted, credentials as the `go` at `go`
/// reads them from `netrc` (through NETRC), with `goauth` as GOAUTH when given.
fn private_route(
    goproxy: &str,
    netrc: &std::path::Path,
    go: &std::path::Path,
    goauth: Option<&str>,
) -> Route {
    let mut env = modroute_core::Env::from_vars([
        ("NETRC", netrc.as_os_str()),
        ("PATH", go.parent().unwrap().as_os_str()),
        ("HOME", netrc.parent().unwrap().as_os_str()),
        // The go env file is not the developer's.
        ("GOENV", std::ffi::OsStr::new("off")),
    ]);
    if let Some(goauth) = goauth {
        env = env.with("GOAUTH", goauth);
    }
    Route {
        ssl_cert_file: ca(),
        credentials: check::Credentials::from_env(&env),
        ..route(goproxy, &[])
    }
}

/// A private module proxy behind Basic auth, credentials in a netrc file: the 401 without a
/// body on a connection closed without close_notify is judged by its status (`auth_required`,
/// not a broken body), the credentials are sent only when a netrc machine matches host *and*
/// port and only over https, the source is named and the secret never shown.
#[test]
fn private_proxies_get_netrc_credentials_as_go_sends_them() {
    let Some(go) = tool("go") else { return };
    // The single-version assertions use the go on PATH; the oracle below runs every version.
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let base = f.tls_base("auth");
    let authority = url::Url::parse(&base).unwrap();
    let host_port = format!(
        "{}:{}",
        authority.host_str().unwrap(),
        authority.port().unwrap()
    );
    let user = modroute_testkit::AUTH_USER;
    let pw = modroute_testkit::AUTH_PASSWORD;
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let good = write(
        "good",
        format!(
            "# corp\nmachine other.example login x password y\nmachine {host_port} login {user} password {pw}\n"
        ),
    );
    let no_port = write(
        "noport",
        format!(
            "machine {} login {user} password {pw}\n",
            authority.host_str().unwrap()
        ),
    );
    let wrong = write(
        "wrong",
        format!("machine {host_port} login {user} password nope\n"),
    );
    let empty = write("empty", String::new());

    let r = probe_route(&private_route(&base, &good, &go, None));
    assert_outcome(&r, Outcome::Ok, None);
    // HOME is the netrc's directory here, so the source is shown under ~.
    assert_eq!(
        r.credentials,
        Some(check::CredentialSource::Netrc {
            file: "~/good".into(),
            line: 3
        })
    );
    assert!(!serde_json::to_string(&r).unwrap().contains(pw));

    for netrc in [&empty, &no_port, &wrong] {
        let r = probe_route(&private_route(&base, netrc, &go, None));
        assert_outcome(&r, Outcome::AuthRequired, Some(Stage::Http));
        assert_eq!(r.http_status, Some(401));
        assert!(
            r.detail.starts_with("answered 401 Unauthorized: "),
            "judged by its status, not the broken body: {}",
            r.detail
        );
        assert!(!serde_json::to_string(&r).unwrap().contains(pw));
    }
    let r = probe_route(&private_route(&base, &no_port, &go, None));
    assert!(
        r.detail.contains(&format!("`machine {host_port}`")),
        "says which machine line is missing: {}",
        r.detail
    );
    let r = probe_route(&private_route(&base, &wrong, &go, None));
    assert!(r.detail.contains("line 1"), "{}", r.detail);

    // 403 with a body: the same outcome; with credentials it passes.
    let r = probe_route(&private_route(&f.tls_base("auth-403"), &empty, &go, None));
    assert_outcome(&r, Outcome::AuthRequired, Some(Stage::Http));
    let r = probe_route(&private_route(&f.tls_base("auth-403"), &good, &go, None));
    assert_outcome(&r, Outcome::Ok, None);

    // Plain http: go never sends netrc credentials there.
    let plain = f.http_base("auth");
    let plain_host = url::Url::parse(&plain).unwrap();
    let plain_netrc = write(
        "plain",
        format!(
            "machine {}:{} login {user} password {pw}\n",
            plain_host.host_str().unwrap(),
            plain_host.port().unwrap()
        ),
    );
    let r = probe_route(&private_route(&plain, &plain_netrc, &go, None));
    assert_outcome(&r, Outcome::AuthRequired, Some(Stage::Http));
    assert!(r.detail.contains("only over https"), "{}", r.detail);

    // The oracle: real go of every version agrees on each; GOAUTH=off turns the netrc off
    // from Go 1.24 on, while older go ignores it.
    let cases = [
        (base.clone(), &good, None),
        (base.clone(), &empty, None),
        (base.clone(), &no_port, None),
        (base.clone(), &wrong, None),
        (f.tls_base("auth-403"), &good, None),
        (f.tls_base("auth-403"), &empty, None),
        (plain.clone(), &plain_netrc, None),
        (format!("{base},{}", f.http_base("ok")), &empty, None),
        (format!("{base}|{}", f.http_base("ok")), &empty, None),
        (base.clone(), &good, Some("off")),
        (base.clone(), &good, Some("netrc")),
    ];
    let ca = ca().unwrap();
    let disagreements = across_go_versions(|go| {
        let mut found = Vec::new();
        for (goproxy, netrc, goauth) in &cases {
            let report = check(&private_route(goproxy, netrc, go, *goauth));
            let netrc_s = netrc.to_string_lossy().into_owned();
            let mut vars = vec![
                ("GOPROXY", goproxy.as_str()),
                ("SSL_CERT_FILE", ca.as_str()),
                ("NETRC", netrc_s.as_str()),
            ];
            vars.extend(goauth.map(|g| ("GOAUTH", g)));
            let out = go_mod_download(go, &format!("{MODULE}@v1.1.0"), &vars);
            found.extend(disagreement(
                format!("GOPROXY={goproxy} NETRC={netrc_s} GOAUTH={goauth:?}"),
                &out,
                &report,
            ));
        }
        found
    });
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// `file://` entries are read from disk as go reads them: a missing directory is "not found"
/// (so `,` falls through), with go's words; a directory holding the module's list is healthy.
#[test]
fn file_entries_are_read_like_go_reads_them() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("file://{}/nope", dir.path().display());
    let r = probe(&missing);
    assert_outcome(&r, Outcome::NotFound, Some(Stage::Http));
    assert_eq!(
        r.go_error.as_deref(),
        Some(
            format!("reading {missing}/example.com/m/@v/list: no such file or directory").as_str()
        )
    );
    let mods = dir.path().join("mods");
    std::fs::create_dir_all(mods.join("example.com/m/@v")).unwrap();
    std::fs::write(mods.join("example.com/m/@v/list"), "v1.0.0\nv1.1.0\n").unwrap();
    let present = format!("file://{}", mods.display());
    let r = probe(&present);
    assert_outcome(&r, Outcome::Ok, None);
    assert_eq!(r.params.get("latest").map(String::as_str), Some("v1.1.0"));

    let ok = f.http_base("ok");
    let routes = [
        missing.clone(),
        format!("{missing},{ok}"),
        format!("{missing},off"),
        format!("{missing}|{ok}"),
    ];
    let reports: Vec<Report> = routes.iter().map(|g| check(&route(g, &[]))).collect();
    let disagreements = across_go_versions(|go| {
        let mut found = Vec::new();
        for (goproxy, report) in routes.iter().zip(&reports) {
            let out = go_mod_download(go, &format!("{MODULE}@v1.1.0"), &[("GOPROXY", goproxy)]);
            found.extend(disagreement(format!("GOPROXY={goproxy}"), &out, report));
        }
        found
    });
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// `direct` as go fetches it: the go-get meta tag, then the real git (`git ls-remote`) with the
/// user's git configuration — served by the real `git http-backend` behind the test TLS server,
/// reached through the forward proxy. Trust, credentials, git's own proxy and `insteadOf` all
/// decide, and every go version agrees with the check.
#[test]
fn direct_runs_git_as_go_does() {
    let Some(git) = tool("git") else { return };
    let f = fixture();
    let ca = ca().unwrap();
    let git_dir = git.parent().unwrap().to_string_lossy().into_owned();
    let open = modroute_testkit::git::module_path("git");
    let private = modroute_testkit::git::module_path("git-auth");
    let user = modroute_testkit::AUTH_USER;
    let pw = modroute_testkit::AUTH_PASSWORD;

    struct Case {
        name: &'static str,
        module: String,
        git_cainfo: bool,
        netrc: bool,
        gitconfig: String,
        want: Option<Outcome>,
        /// GOVCS and GOPRIVATE, for both go and the check.
        go_vars: Vec<(&'static str, &'static str)>,
    }
    let case = |name, module: &str, git_cainfo, netrc, gitconfig: String, want| Case {
        name,
        module: module.to_string(),
        git_cainfo,
        netrc,
        gitconfig,
        want,
        go_vars: Vec::new(),
    };
    let with = |mut c: Case, vars: &[(&'static str, &'static str)]| {
        c.go_vars = vars.to_vec();
        c
    };
    let cases = vec![
        case("trusted", &open, true, false, String::new(), None),
        // Debian's git (GnuTLS) ignores SSL_CERT_FILE, which go's own fetch honours.
        case("git does not trust the CA", &open, false, false, String::new(), Some(Outcome::TlsUntrusted)),
        case("no credentials", &private, true, false, String::new(), Some(Outcome::AuthRequired)),
        case("credentials from ~/.netrc", &private, true, true, String::new(), None),
        // git's own proxy beats HTTPS_PROXY, for git only.
        case(
            "git's http.proxy",
            &open,
            true,
            false,
            format!("[http]\n\tproxy = {}\n", f.closed_base()),
            Some(Outcome::Refused),
        ),
        case(
            "insteadOf to a missing repository",
            &open,
            true,
            false,
            "[url \"https://athens.corp.test/git/missing\"]\n\tinsteadOf = https://athens.corp.test/git/repo\n".to_string(),
            Some(Outcome::NotFound),
        ),
        // GOVCS decides whether go runs git at all (public modules: git|hg by default).
        with(
            case("GOVCS public:off", &open, true, false, String::new(), Some(Outcome::ProtocolError)),
            &[("GOVCS", "public:off")],
        ),
        with(
            case("GOVCS private:hg", &open, true, false, String::new(), Some(Outcome::ProtocolError)),
            &[("GOVCS", "private:hg"), ("GOPRIVATE", "athens.corp.test")],
        ),
        with(
            case("GOVCS allows the host", &open, true, false, String::new(), None),
            &[("GOVCS", "athens.corp.test:git,public:off")],
        ),
    ];

    let mut homes = Vec::new();
    let mut reports = Vec::new();
    for c in &cases {
        let home = tempfile::tempdir().unwrap();
        if c.netrc {
            std::fs::write(
                home.path().join(".netrc"),
                format!("machine athens.corp.test login {user} password {pw}\n"),
            )
            .unwrap();
        }
        std::fs::write(home.path().join(".gitconfig"), &c.gitconfig).unwrap();
        let mut vars: Vec<(String, String)> = vec![
            ("HOME".into(), home.path().to_string_lossy().into_owned()),
            ("PATH".into(), format!("{git_dir}:/usr/bin:/bin")),
            ("HTTPS_PROXY".into(), f.proxy_url()),
            ("SSL_CERT_FILE".into(), ca.clone()),
            ("GIT_CONFIG_NOSYSTEM".into(), "1".into()),
        ];
        if c.git_cainfo {
            vars.push(("GIT_SSL_CAINFO".into(), ca.clone()));
        }
        let env = modroute_core::Env::from_vars(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let mut r = route("direct", &[("HTTPS_PROXY", f.proxy_url())]);
        r.ssl_cert_file = Some(ca.clone());
        r.vcs = check::Vcs::from_env(&env, &[]);
        for (k, v) in &c.go_vars {
            match *k {
                "GOVCS" => r.govcs = v.to_string(),
                "GOPRIVATE" => r.goprivate = v.to_string(),
                _ => {}
            }
            vars.push((k.to_string(), v.to_string()));
        }
        let report = check_with(
            &r,
            &Options {
                module: c.module.clone(),
                timeout: Duration::from_secs(10),
                ..options()
            },
        );
        let result = report
            .results
            .iter()
            .find(|e| e.endpoint == "direct")
            .unwrap();
        match c.want {
            None => {
                assert_outcome(result, Outcome::Ok, None);
                assert!(result.stages.vcs_ms.is_some(), "{}: git was timed", c.name);
            }
            Some(outcome) => assert_outcome(result, outcome, Some(Stage::Vcs)),
        }
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains(pw), "{}: {json}", c.name);
        reports.push((report, vars));
        homes.push(home);
    }

    let disagreements = across_go_versions(|go| {
        let mut found = Vec::new();
        for (c, (report, vars)) in cases.iter().zip(&reports) {
            let go_dir = go.parent().unwrap().to_string_lossy().into_owned();
            let mut all: Vec<(&str, String)> = vec![("GOPROXY", "direct".into())];
            for (k, v) in vars {
                let v = if k == "PATH" {
                    format!("{go_dir}:{v}")
                } else {
                    v.clone()
                };
                all.push((k.as_str(), v));
            }
            let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let out = go_mod_download(go, &format!("{}@v1.0.0", c.module), &borrowed);
            found.extend(disagreement(c.name.to_string(), &out, report));
        }
        found
    });
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

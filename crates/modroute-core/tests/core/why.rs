//! `why` against the real `go`: for many routes, the servers `go mod download` asks (in order)
//! for its first request are exactly the ones `why::explain`'s attempts and their `,`/`|` rules
//! predict, given each server's fault; and `why::probe` walks live answers the same way.
//!
//! Every server is a loopback server of modroute-testkit. Direct fetches (`direct`, GONOPROXY)
//! are sent to a closed loopback port as HTTPS_PROXY/HTTP_PROXY, so they fail at once and never
//! leave the machine.

use std::time::Duration;

use modroute_core::check::{Options, Outcome, Route};
use modroute_core::httpproxy::ProxyEnv;
use modroute_core::why::{self, OnError, WhyReport};
use modroute_testkit::Fixture;

use crate::support::{across_go_versions, go_mod_download};

const MODULE: &str = "example.com/m";

/// A route with `goproxy`, checksums off, the pattern variables of `vars` and every HTTP(S)
/// request that is not loopback sent to `closed` (a port that refuses connections).
fn route(goproxy: &str, vars: &[(&str, &str)], closed: &str) -> Route {
    let get = |k: &str| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    };
    let goprivate = get("GOPRIVATE");
    let or_private = |v: String| if v.is_empty() { goprivate.clone() } else { v };
    let closed = closed.to_string();
    Route {
        goproxy: goproxy.to_string(),
        gosumdb: "off".to_string(),
        gonoproxy: or_private(get("GONOPROXY")),
        gonosumdb: or_private(get("GONOSUMDB")),
        goprivate: goprivate.clone(),
        goinsecure: get("GOINSECURE"),
        proxies: ProxyEnv::from_lookup(|name| {
            matches!(name, "HTTPS_PROXY" | "HTTP_PROXY").then(|| closed.clone())
        }),
        ..Route::default()
    }
}

/// The first path segment of a request target or a fixture URL: the server's fault.
fn fault(path_or_url: &str) -> String {
    let path = match path_or_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => path_or_url,
    };
    path.trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// How a simulated lookup ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// A fixture server served the module.
    Served,
    /// A fixture server's error ended it (or every server answered not found).
    Failed,
    /// `direct`: the go-get fetch (to the closed proxy) fails.
    Direct,
    /// `off`.
    Off,
}

/// What `go` does with the attempts `why` lists, given the fixture's faults: the servers it
/// contacts for one request, in order, and how the lookup ends.
fn simulate(report: &WhyReport) -> (Vec<String>, End) {
    let mut contacted = Vec::new();
    for a in &report.attempts {
        match a.source.as_str() {
            "off" => return (contacted, End::Off),
            "direct" => return (contacted, End::Direct),
            _ => {}
        }
        let f = fault(&a.source);
        contacted.push(f.clone());
        let ok = f == "ok" || f == "nosumdb" || f.starts_with("slow-");
        let not_found = f == "404" || f == "410";
        if ok {
            return (contacted, End::Served);
        }
        let next = match a.on_error {
            OnError::Stop => false,
            OnError::NextOnAnyError => true,
            OnError::NextOnNotFound => not_found,
        };
        if !next {
            return (contacted, End::Failed);
        }
    }
    (contacted, End::Failed)
}

/// Real `go mod download -json <module>@v1.1.0` in a temporary HOME with `goproxy`, checksums
/// off, `vars`, and HTTP(S)_PROXY pointing at `closed`.
fn go_download(
    go: &std::path::Path,
    goproxy: &str,
    vars: &[(&str, &str)],
    closed: &str,
    module: &str,
) -> std::process::Output {
    let mut all = vec![
        ("GOPROXY", goproxy),
        ("HTTPS_PROXY", closed),
        ("HTTP_PROXY", closed),
    ];
    all.extend_from_slice(vars);
    go_mod_download(go, &format!("{module}@v1.1.0"), &all)
}

/// The oracle: real `go mod download` asks exactly the servers, in exactly the order, that
/// `why::explain` predicts — mixed separators, 404/410/500/403, `off`, `direct`, GOPRIVATE and
/// GONOPROXY variations (`none`, untrimmed lists, `off` with a private module).
#[test]
fn go_asks_the_servers_why_predicts() {
    // Every go version against servers of its own (the request log is per fixture).
    let disagreements = across_go_versions(|go| {
        let f = Fixture::start();
        let b = |fault: &str| f.http_base(fault);
        let closed = f.closed_base();
        let cases: Vec<(String, Vec<(&str, &str)>)> = vec![
            (b("ok"), vec![]),
            (format!("{},{}", b("404"), b("ok")), vec![]),
            (format!("{},{}", b("410"), b("ok")), vec![]),
            (format!("{},{}", b("500"), b("ok")), vec![]),
            (format!("{}|{}", b("500"), b("ok")), vec![]),
            (
                format!("{}|{},{}", b("404"), b("410"), b("nosumdb")),
                vec![],
            ),
            (format!("{}|{},{}", b("500"), b("404"), b("ok")), vec![]),
            (format!("{}|{},{}", b("410"), b("500"), b("ok")), vec![]),
            (format!("{},{}", b("403"), b("ok")), vec![]),
            (format!("{}|{}", b("404"), b("410")), vec![]),
            (format!(",,{},, {} ,", b("404"), b("ok")), vec![]),
            (format!("{},off", b("404")), vec![]),
            (format!("off,{}", b("ok")), vec![]),
            (format!("{},direct,{}", b("404"), b("ok")), vec![]),
            (b("ok"), vec![("GOPRIVATE", "example.com")]),
            (
                format!("{},{}", b("404"), b("ok")),
                vec![("GOPRIVATE", "example.com"), ("GONOPROXY", "none")],
            ),
            ("off".to_string(), vec![("GOPRIVATE", "example.com")]),
            (
                format!("{}|{}", b("500"), b("ok")),
                vec![("GONOPROXY", "example.com/m")],
            ),
            (
                format!("{}|{}", b("404"), b("ok")),
                vec![("GOPRIVATE", "example.com"), ("GONOPROXY", "other.example")],
            ),
            ("direct".to_string(), vec![("GOPRIVATE", "example.com")]),
            (
                format!("{},{},direct", b("404"), b("ok")),
                vec![("GOPRIVATE", "*.com")],
            ),
            // No trimming in pattern lists: " example.com" does not match.
            (
                format!("{},{}", b("410"), b("ok")),
                vec![("GONOPROXY", "other.example, example.com")],
            ),
        ];
        assert!(cases.len() >= 12);
        let mut disagreements = Vec::new();
        for (goproxy, vars) in &cases {
            let r = route(goproxy, vars, &closed);
            let report = why::explain(&r, MODULE);
            assert_eq!(report.error, None, "{goproxy}");
            // Loopback servers are never proxied; direct fetches go to the (closed) proxy.
            for a in &report.attempts {
                match a.source.as_str() {
                    "direct" => assert_eq!(a.http_proxy.as_deref(), Some(closed.as_str())),
                    "off" => {}
                    _ => assert_eq!(a.no_proxy.as_deref(), Some("loopback")),
                }
            }
            let (want, end) = simulate(&report);

            f.clear_log();
            let out = go_download(go, goproxy, vars, &closed, MODULE);
            let mut got: Vec<String> = Vec::new();
            for entry in f.log() {
                if entry.server != "module" || !entry.target.ends_with("/@v/v1.1.0.info") {
                    continue;
                }
                let segment = fault(&entry.target);
                if !got.contains(&segment) {
                    got.push(segment);
                }
            }
            let said = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            // How go's lookup ended must match too: served, direct's go-get fetch, or off.
            let ended_right = match end {
                End::Served => out.status.success(),
                End::Failed => !out.status.success() && !said.contains("go-get=1"),
                End::Direct => {
                    !out.status.success() && said.contains("?go-get=1\\\": proxyconnect")
                }
                End::Off => !out.status.success() && said.contains("disabled by GOPROXY=off"),
            };
            if got != want || !ended_right {
                disagreements.push(format!(
                "GOPROXY={goproxy} {vars:?}\n  why predicts {want:?} then {end:?}\n  go asked     {got:?} ({})\n  attempts: {:?}\n  go: {said}",
                if out.status.success() { "ok" } else { "fails" },
                report
                    .attempts
                    .iter()
                    .map(|a| (a.source.as_str(), a.on_error))
                    .collect::<Vec<_>>(),
            ));
            }
        }
        disagreements
    });
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// When `why` reports an error (a malformed path, an empty or invalid GOPROXY — even for a
/// module GOPRIVATE sends direct), go fails with that very message and asks nobody.
#[test]
fn go_fails_with_the_error_why_reports() {
    let failures = across_go_versions(|go| {
        let f = Fixture::start();
        let mut failures = Vec::new();
        let closed = f.closed_base();
        let ok = f.http_base("ok");
        let private = [("GOPRIVATE", "example.com")];
        type Vars<'a> = &'a [(&'a str, &'a str)];
        let cases: Vec<(&str, &str, Vars)> = vec![
            (" , ", MODULE, &private),
            (",|", MODULE, &[]),
            ("ftp://x.example", MODULE, &private),
            ("foo", MODULE, &[]),
            (&ok, "foo/bar", &[]),
            (&ok, "Example.com/m", &[]),
            (&ok, "example.com/a//b", &[]),
        ];
        for (goproxy, module, vars) in cases {
            let report = why::explain(&route(goproxy, vars, &closed), module);
            let error = report
                .error
                .clone()
                .unwrap_or_else(|| panic!("{goproxy} {module}: why sees no error"));
            assert!(report.attempts.is_empty());
            f.clear_log();
            let out = go_download(go, goproxy, vars, &closed, module);
            let said = String::from_utf8_lossy(&out.stdout).replace("\\\"", "\"")
                + &String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                failures.push(format!("{goproxy} {module}: go succeeded"));
            } else if !said.contains(&error) {
                failures.push(format!(
                    "{goproxy} {module}: why says {error:?}, go says {said}"
                ));
            } else if said.contains("go-get") || !f.log().is_empty() {
                failures.push(format!(
                    "{goproxy} {module}: go asked {:?}: {said}",
                    f.log()
                ));
            }
        }
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn options() -> Options {
    Options {
        module: "ignored".to_string(),
        timeout: Duration::from_millis(1500),
        samples: 1,
        ..Options::default()
    }
}

/// `--probe`: live answers land on their attempts, the walk follows `,` and `|`, and the
/// checksum DB's `via` becomes the proxy that answered `/sumdb/<db>/supported`.
#[test]
fn probe_walks_live_answers_like_go() {
    let f = Fixture::start();
    let closed = f.closed_base();
    let (nf, ok, err) = (f.http_base("404"), f.http_base("ok"), f.http_base("500"));

    let mut r = route(&format!("{nf},{ok}"), &[], &closed);
    r.gosumdb = "sum.golang.org".into();
    let report = why::probe(&r, MODULE, &options());
    let outcomes: Vec<Option<Outcome>> = report
        .attempts
        .iter()
        .map(|a| a.probe.as_ref().map(|p| p.outcome))
        .collect();
    assert_eq!(outcomes, [Some(Outcome::NotFound), Some(Outcome::Ok)]);
    assert_eq!(
        report.outcome.as_deref(),
        Some(format!("would be fetched from {ok}").as_str())
    );
    assert_eq!(report.checksum.candidates, [nf.clone(), ok.clone()]);
    assert_eq!(
        report.checksum.via.as_deref(),
        Some(format!("{ok}/sumdb/sum.golang.org").as_str())
    );

    let report = why::probe(
        &route(&format!("{err},{ok}"), &[], &closed),
        MODULE,
        &options(),
    );
    let outcome = report.outcome.unwrap_or_default();
    assert!(
        outcome.starts_with(&format!("would fail: {err}: ")) && outcome.contains("500"),
        "{outcome}"
    );
    let report = why::probe(
        &route(&format!("{err}|{ok}"), &[], &closed),
        MODULE,
        &options(),
    );
    assert_eq!(
        report.outcome.as_deref(),
        Some(format!("would be fetched from {ok}").as_str())
    );

    // A private module goes direct: the go-get fetch hits the closed proxy.
    let report = why::probe(
        &route(&ok, &[("GOPRIVATE", "example.com")], &closed),
        MODULE,
        &options(),
    );
    assert_eq!(report.attempts.len(), 1);
    let direct = report.attempts[0]
        .probe
        .as_ref()
        .expect("direct was probed");
    assert_eq!(direct.outcome, Outcome::Refused);
    assert!(
        report
            .outcome
            .as_deref()
            .unwrap_or_default()
            .starts_with("would fail: its origin (direct): "),
        "{:?}",
        report.outcome
    );

    // A malformed path is not probed at all.
    f.clear_log();
    let report = why::probe(&route(&ok, &[], &closed), "foo/bar", &options());
    assert!(
        report
            .outcome
            .unwrap()
            .starts_with("would fail: malformed module path")
    );
    assert!(f.log().is_empty());
}

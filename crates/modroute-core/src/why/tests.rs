use super::*;
use crate::httpproxy::ProxyEnv;

/// A route from variables the way cmd/go reads them; GOPROXY/GOSUMDB default as in go.env.
/// GONOPROXY/GONOSUMDB are left as given (empty = derive from GOPRIVATE, which `explain` does).
fn route(vars: &[(&str, &str)]) -> Route {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let get = move |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    Route {
        goproxy: get("GOPROXY").unwrap_or_else(|| "https://proxy.golang.org,direct".into()),
        gosumdb: get("GOSUMDB").unwrap_or_else(|| "sum.golang.org".into()),
        gonoproxy: get("GONOPROXY").unwrap_or_default(),
        gonosumdb: get("GONOSUMDB").unwrap_or_default(),
        goprivate: get("GOPRIVATE").unwrap_or_default(),
        goinsecure: get("GOINSECURE").unwrap_or_default(),
        proxies: ProxyEnv::from_lookup(&get),
        ..Route::default()
    }
}

fn sources(r: &WhyReport) -> Vec<&str> {
    r.attempts.iter().map(|a| a.source.as_str()).collect()
}

fn rules(r: &WhyReport) -> Vec<OnError> {
    r.attempts.iter().map(|a| a.on_error).collect()
}

fn steps(r: &WhyReport) -> String {
    r.steps.join("\n")
}

use OnError::{NextOnAnyError as Any, NextOnNotFound as NotFound, Stop};

#[test]
fn the_default_route_tries_the_mirror_then_direct_and_verifies_through_it() {
    let r = explain(&route(&[]), "golang.org/x/text");
    assert_eq!(r.error, None);
    assert_eq!(sources(&r), ["https://proxy.golang.org", "direct"]);
    assert_eq!(rules(&r), [NotFound, Stop]);
    assert_eq!(r.attempts[0].reason, "GOPROXY entry 1");
    assert_eq!(r.attempts[1].reason, "GOPROXY entry 2");
    assert_eq!(
        r.attempts[0].requests,
        [
            "https://proxy.golang.org/golang.org/x/text/@v/list",
            "https://proxy.golang.org/golang.org/x/text/@latest"
        ]
    );
    assert_eq!(
        r.attempts[1].requests,
        ["https://golang.org/x/text?go-get=1"]
    );
    assert!(r.ignored.is_empty());
    assert!(!r.insecure);
    assert_eq!(r.matches, Matches::default());
    assert_eq!(r.derived, Derived::default());
    let c = &r.checksum;
    assert!(c.verified);
    assert_eq!(c.db.as_deref(), Some("sum.golang.org"));
    assert_eq!(c.candidates, ["https://proxy.golang.org"]);
    assert_eq!(
        c.via.as_deref(),
        Some("https://proxy.golang.org/sumdb/sum.golang.org")
    );
    assert_eq!(c.skipped_by, None);
    assert!(steps(&r).contains("depends on its answer"), "{}", steps(&r));
    assert_eq!(r.outcome, None);
}

#[test]
fn separators_attach_to_the_entry_before_them() {
    let r = explain(
        &route(&[(
            "GOPROXY",
            "https://a.example|https://b.example,c.example | https://d.example",
        )]),
        "example.com/m",
    );
    assert_eq!(
        sources(&r),
        [
            "https://a.example",
            "https://b.example",
            "https://c.example",
            "https://d.example"
        ]
    );
    assert_eq!(rules(&r), [Any, NotFound, Any, Stop]);
    // A trailing separator does not make the last entry fall through; empty entries vanish.
    let r = explain(
        &route(&[("GOPROXY", ",,https://a.example|,https://b.example|")]),
        "example.com/m",
    );
    assert_eq!(sources(&r), ["https://a.example", "https://b.example"]);
    assert_eq!(rules(&r), [Any, Stop]);
    assert!(steps(&r).contains("the `|` after it"));
    assert!(steps(&r).contains("the last entry"));
}

#[test]
fn entries_after_direct_or_off_are_ignored() {
    let r = explain(
        &route(&[(
            "GOPROXY",
            "https://a.example,direct,https://u:pw@b.example|off",
        )]),
        "example.com/m",
    );
    assert_eq!(sources(&r), ["https://a.example", "direct"]);
    assert_eq!(rules(&r), [NotFound, Stop]);
    assert_eq!(
        r.ignored,
        [
            "https://u:xxxxx@b.example (after direct)",
            "off (after direct)"
        ]
    );
    assert!(!serde_json::to_string(&r).unwrap().contains("pw@"));

    let r = explain(
        &route(&[("GOPROXY", "off|https://x.example")]),
        "example.com/m",
    );
    assert_eq!(sources(&r), ["off"]);
    assert_eq!(rules(&r), [Stop]);
    assert!(r.attempts[0].requests.is_empty());
    assert_eq!(r.ignored, ["https://x.example (after off)"]);
    assert!(steps(&r).contains("module lookup disabled by GOPROXY=off"));
    // Entries after direct are never validated by go either.
    let r = explain(&route(&[("GOPROXY", "direct,ftp://x")]), "example.com/m");
    assert_eq!(r.error, None);
    assert_eq!(sources(&r), ["direct"]);
    assert_eq!(r.ignored, ["ftp://x (after direct)"]);
}

#[test]
fn gonoproxy_defaults_to_goprivate_and_sends_the_module_direct() {
    let rt = route(&[
        ("GOPROXY", "https://goproxy.cn,direct"),
        ("GOPRIVATE", "*.corp.example,github.com/acme"),
    ]);
    let r = explain(&rt, "git.corp.example/x/y");
    assert_eq!(sources(&r), ["direct"]);
    assert_eq!(rules(&r), [Stop]);
    assert_eq!(
        r.attempts[0].reason,
        "GONOPROXY (from GOPRIVATE) matches (pattern *.corp.example)"
    );
    assert_eq!(
        r.attempts[0].requests,
        ["https://git.corp.example/x/y?go-get=1"]
    );
    assert_eq!(r.matches.goprivate.as_deref(), Some("*.corp.example"));
    assert_eq!(r.matches.gonoproxy.as_deref(), Some("*.corp.example"));
    assert_eq!(r.matches.gonosumdb.as_deref(), Some("*.corp.example"));
    assert_eq!(r.derived.gonoproxy, Some("GOPRIVATE"));
    assert_eq!(r.derived.gonosumdb, Some("GOPRIVATE"));
    assert!(!r.checksum.verified);
    assert_eq!(r.checksum.skipped_by.as_deref(), Some("GOPRIVATE"));
    assert_eq!(r.checksum.via, None);
    assert!(r.checksum.candidates.is_empty());
    assert!(
        steps(&r).contains("matches GONOPROXY (from GOPRIVATE) pattern *.corp.example"),
        "{}",
        steps(&r)
    );
    // A module outside the patterns is unaffected.
    let r = explain(&rt, "github.com/acmeco/x");
    assert_eq!(sources(&r), ["https://goproxy.cn", "direct"]);
    assert_eq!(r.matches, Matches::default());
    assert!(r.checksum.verified);
    // The same route as cmd/go's own derivation (Route::effective fills GONOPROXY itself).
    let mut filled = rt.clone();
    filled.gonoproxy = filled.goprivate.clone();
    filled.gonosumdb = filled.goprivate.clone();
    let r = explain(&filled, "github.com/acme/tool");
    assert_eq!(sources(&r), ["direct"]);
    assert_eq!(r.derived.gonoproxy, Some("GOPRIVATE"));
}

#[test]
fn an_explicit_gonoproxy_wins_over_goprivate() {
    let rt = route(&[
        ("GOPROXY", "https://athens.corp.example,direct"),
        ("GOPRIVATE", "git.corp.example"),
        ("GONOPROXY", "git.corp.example/legacy"),
    ]);
    let r = explain(&rt, "git.corp.example/svc");
    assert_eq!(sources(&r), ["https://athens.corp.example", "direct"]);
    assert_eq!(r.matches.gonoproxy, None);
    assert_eq!(r.derived.gonoproxy, None);
    assert_eq!(r.derived.gonosumdb, Some("GOPRIVATE"));
    assert_eq!(r.checksum.skipped_by.as_deref(), Some("GOPRIVATE"));
    let r = explain(&rt, "git.corp.example/legacy/tool");
    assert_eq!(sources(&r), ["direct"]);
    assert_eq!(
        r.attempts[0].reason,
        "GONOPROXY matches (pattern git.corp.example/legacy)"
    );
}

#[test]
fn gonoproxy_none_keeps_private_modules_on_the_proxy() {
    let r = explain(
        &route(&[
            (
                "GOPROXY",
                "https://athens.corp.example|https://proxy.golang.org",
            ),
            ("GOPRIVATE", "git.corp.example"),
            ("GONOPROXY", "none"),
        ]),
        "git.corp.example/x",
    );
    assert_eq!(
        sources(&r),
        ["https://athens.corp.example", "https://proxy.golang.org"]
    );
    assert_eq!(rules(&r), [Any, Stop]);
    assert_eq!(r.matches.goprivate.as_deref(), Some("git.corp.example"));
    assert_eq!(r.matches.gonoproxy, None);
    assert_eq!(r.derived.gonoproxy, None);
    // GONOSUMDB still comes from GOPRIVATE: no checksum lookup.
    assert_eq!(r.checksum.skipped_by.as_deref(), Some("GOPRIVATE"));
    assert!(steps(&r).contains("GONOPROXY=none"), "{}", steps(&r));
}

#[test]
fn goproxy_exactly_direct_needs_no_noproxy_entry() {
    let r = explain(
        &route(&[("GOPROXY", "direct"), ("GOPRIVATE", "example.com")]),
        "example.com/m",
    );
    assert_eq!(sources(&r), ["direct"]);
    assert_eq!(r.attempts[0].reason, "GOPROXY entry 1");
    assert_eq!(r.matches.gonoproxy.as_deref(), Some("example.com"));
    assert!(steps(&r).contains("GOPROXY=direct sends every module to its origin anyway"));
    // " direct" is not exactly "direct": the implicit noproxy entry is added.
    let r = explain(
        &route(&[("GOPROXY", "direct,"), ("GOPRIVATE", "example.com")]),
        "example.com/m",
    );
    assert_eq!(sources(&r), ["direct"]);
    assert!(r.attempts[0].reason.starts_with("GONOPROXY"));
}

#[test]
fn goproxy_off_still_fetches_private_modules_directly() {
    let rt = route(&[("GOPROXY", "off"), ("GOPRIVATE", "example.com")]);
    let r = explain(&rt, "example.com/m");
    assert_eq!(sources(&r), ["direct"]);
    assert!(steps(&r).contains("not even GOPROXY=off stops this"));
    let r = explain(&rt, "example.org/m");
    assert_eq!(sources(&r), ["off"]);
}

#[test]
fn gonosumdb_and_gosumdb_off_skip_the_checksum_database() {
    let r = explain(
        &route(&[("GONOSUMDB", "example.com/m,other.example")]),
        "example.com/m/v2",
    );
    assert_eq!(r.checksum.skipped_by.as_deref(), Some("GONOSUMDB"));
    assert!(!r.checksum.verified);
    assert_eq!(r.checksum.db, None);
    assert_eq!(r.matches.gonosumdb.as_deref(), Some("example.com/m"));
    assert_eq!(r.derived.gonosumdb, None);
    // GONOSUMDB does not change where the module comes from.
    assert_eq!(sources(&r), ["https://proxy.golang.org", "direct"]);
    // No trimming: " example.com" is not example.com.
    let r = explain(
        &route(&[("GONOSUMDB", "foo.example, example.com")]),
        "example.com/m",
    );
    assert!(r.checksum.verified);

    let r = explain(&route(&[("GOSUMDB", "off")]), "example.com/m");
    assert_eq!(r.checksum.skipped_by.as_deref(), Some("GOSUMDB=off"));
    assert!(!r.checksum.verified);
    assert!(r.checksum.candidates.is_empty());
    assert!(steps(&r).contains("GOSUMDB=off"));
}

#[test]
fn an_explicit_gosumdb_url_bypasses_the_proxies() {
    let r = explain(
        &route(&[
            ("GOSUMDB", "sum.golang.org https://u:pw@sum.corp.example/"),
            ("HTTPS_PROXY", "http://proxy.corp.example:3128"),
        ]),
        "example.com/m",
    );
    let c = &r.checksum;
    assert!(c.verified);
    assert_eq!(c.db.as_deref(), Some("sum.golang.org"));
    assert_eq!(c.via.as_deref(), Some("https://u:xxxxx@sum.corp.example"));
    assert!(c.candidates.is_empty());
    assert_eq!(
        c.http_proxy.as_deref(),
        Some("http://proxy.corp.example:3128")
    );
    assert!(!serde_json::to_string(&r).unwrap().contains(":pw@"));

    let r = explain(
        &route(&[("GOSUMDB", "sum.golang.google.cn")]),
        "example.com/m",
    );
    assert_eq!(r.checksum.db.as_deref(), Some("sum.golang.org"));
    assert_eq!(
        r.checksum.via.as_deref(),
        Some("https://sum.golang.google.cn")
    );

    // No URL entry in GOPROXY: the DB is reached directly.
    let r = explain(&route(&[("GOPROXY", "direct")]), "example.com/m");
    assert_eq!(r.checksum.via.as_deref(), Some("direct"));
    assert!(r.checksum.candidates.is_empty());

    // An invalid GOSUMDB: go will fail to verify.
    let r = explain(&route(&[("GOSUMDB", "badkey")]), "example.com/m");
    assert!(!r.checksum.verified);
    assert_eq!(r.checksum.skipped_by, None);
    assert!(steps(&r).contains("malformed verifier id"), "{}", steps(&r));
}

#[test]
fn candidates_are_the_url_entries_before_direct_even_for_private_modules() {
    let r = explain(
        &route(&[
            (
                "GOPROXY",
                "https://a.example|https://b.example,direct,https://c.example",
            ),
            ("GONOPROXY", "example.com"),
        ]),
        "example.com/m",
    );
    assert_eq!(sources(&r), ["direct"]);
    assert_eq!(
        r.checksum.candidates,
        ["https://a.example", "https://b.example"]
    );
    assert_eq!(
        r.checksum.via.as_deref(),
        Some("https://a.example/sumdb/sum.golang.org")
    );
}

#[test]
fn each_request_gets_the_proxy_go_would_use() {
    let r = explain(
        &route(&[
            (
                "GOPROXY",
                "https://goproxy.cn,http://127.0.0.1:3000,https://athens.corp.example,https://proxy.golang.org,direct",
            ),
            ("HTTPS_PROXY", "http://user:pw@proxy.corp.example:3128"),
            ("HTTP_PROXY", "http://plain.corp.example:8080"),
            ("NO_PROXY", " .corp.example, GOPROXY.CN"),
        ]),
        "example.com/m",
    );
    let proxies: Vec<(Option<&str>, Option<&str>)> = r
        .attempts
        .iter()
        .map(|a| (a.http_proxy.as_deref(), a.no_proxy.as_deref()))
        .collect();
    assert_eq!(
        proxies,
        [
            (None, Some("GOPROXY.CN")),
            (None, Some("loopback")),
            (None, Some(".corp.example")),
            (Some("http://user:xxxxx@proxy.corp.example:3128"), None),
            (Some("http://user:xxxxx@proxy.corp.example:3128"), None),
        ]
    );
    // The checksum DB is asked through the first candidate, goproxy.cn: NO_PROXY.
    assert_eq!(r.checksum.http_proxy, None);
    let text = steps(&r);
    assert!(
        text.contains("127.0.0.1:3000 is a loopback address"),
        "{text}"
    );
    assert!(text.contains("NO_PROXY entry .corp.example matches athens.corp.example"));
    assert!(!text.contains(":pw@"));
    assert!(!serde_json::to_string(&r).unwrap().contains(":pw@"));

    // Only HTTP_PROXY set: https requests go without a proxy, and the steps say why.
    let r = explain(
        &route(&[("HTTP_PROXY", "http://plain.corp.example:8080")]),
        "example.com/m",
    );
    assert_eq!(r.attempts[0].http_proxy, None);
    assert_eq!(r.attempts[0].no_proxy, None);
    assert!(
        steps(&r).contains("https URLs use only HTTPS_PROXY, which is not set"),
        "{}",
        steps(&r)
    );

    // A CGI environment: go refuses HTTP_PROXY for http:// requests.
    let r = explain(
        &route(&[
            ("GOPROXY", "http://mirror.example"),
            ("HTTP_PROXY", "http://plain.corp.example:8080"),
            ("REQUEST_METHOD", "GET"),
        ]),
        "example.com/m",
    );
    assert_eq!(r.attempts[0].http_proxy, None);
    assert!(steps(&r).contains("refusing to use HTTP_PROXY value in CGI environment"));
}

#[test]
fn the_direct_fetch_uses_the_https_proxy_and_goinsecure_adds_http() {
    let r = explain(
        &route(&[
            ("GOPROXY", "direct"),
            ("HTTPS_PROXY", "proxy.corp.example:3128"),
            ("GOINSECURE", "example.com"),
        ]),
        "example.com/m",
    );
    assert!(r.insecure);
    assert_eq!(r.matches.goinsecure.as_deref(), Some("example.com"));
    assert_eq!(
        r.attempts[0].requests,
        [
            "https://example.com/m?go-get=1",
            "http://example.com/m?go-get=1"
        ]
    );
    assert_eq!(
        r.attempts[0].http_proxy.as_deref(),
        Some("http://proxy.corp.example:3128")
    );
    assert!(steps(&r).contains("GOINSECURE"));
}

#[test]
fn module_paths_are_case_encoded_in_requests() {
    let r = explain(
        &route(&[("GOPROXY", "https://goproxy.cn/")]),
        "github.com/Azure/azure-sdk-for-go",
    );
    assert_eq!(
        r.attempts[0].requests,
        [
            "https://goproxy.cn/github.com/%21azure/azure-sdk-for-go/@v/list",
            "https://goproxy.cn/github.com/%21azure/azure-sdk-for-go/@latest"
        ]
    );
    // github.com is known statically: git on the repository, no go-get fetch, no Go proxy rule.
    let r = explain(
        &route(&[
            ("GOPROXY", "direct"),
            ("HTTPS_PROXY", "http://proxy.corp.example:3128"),
        ]),
        "github.com/Azure/azure-sdk-for-go/sdk/azcore",
    );
    assert_eq!(
        r.attempts[0].requests,
        ["https://github.com/Azure/azure-sdk-for-go"]
    );
    assert_eq!(r.attempts[0].http_proxy, None);
    assert!(steps(&r).contains(
        "skips the go-get fetch and runs git on https://github.com/Azure/azure-sdk-for-go"
    ));
    // Patterns are case-sensitive and match the path as written.
    let r = explain(
        &route(&[("GOPRIVATE", "github.com/azure")]),
        "github.com/Azure/x",
    );
    assert_eq!(r.matches.goprivate, None);
}

#[test]
fn file_proxies_need_no_network_proxy() {
    let r = explain(
        &route(&[
            ("GOPROXY", "file:///srv/goproxy,https://proxy.golang.org"),
            ("HTTPS_PROXY", "http://proxy.corp.example:3128"),
        ]),
        "example.com/m",
    );
    assert_eq!(
        r.attempts[0].requests[0],
        "file:///srv/goproxy/example.com/m/@v/list"
    );
    assert_eq!(r.attempts[0].http_proxy, None);
    assert_eq!(r.attempts[0].no_proxy, None);
    assert_eq!(
        r.attempts[1].http_proxy.as_deref(),
        Some("http://proxy.corp.example:3128")
    );
}

#[test]
fn a_malformed_module_path_stops_everything() {
    for (path, why) in [
        ("foo/bar", "missing dot in first path element"),
        ("Example.com/x", "invalid char 'E'"),
        ("example.com/a//b", "double slash"),
        ("", "empty string"),
    ] {
        let r = explain(&route(&[]), path);
        let error = r.error.clone().unwrap_or_default();
        assert!(
            error.starts_with(&format!("malformed module path {path:?}")) && error.contains(why),
            "{path}: {error}"
        );
        assert!(r.attempts.is_empty());
        assert!(!r.checksum.verified);
        assert_eq!(r.checksum.db, None);
        assert_eq!(r.steps.len(), 1);
    }
}

#[test]
fn an_empty_or_invalid_goproxy_fails_before_any_request_even_for_private_modules() {
    for value in ["", " ", ",|,"] {
        let r = explain(
            &route(&[("GOPROXY", value), ("GOPRIVATE", "example.com")]),
            "example.com/m",
        );
        assert_eq!(
            r.error.as_deref(),
            Some("GOPROXY list is not the empty string, but contains no entries"),
            "{value:?}"
        );
        assert!(r.attempts.is_empty());
        // The pattern matches are still reported.
        assert_eq!(r.matches.gonoproxy.as_deref(), Some("example.com"));
    }
    let r = explain(&route(&[("GOPROXY", "ftp://x.example")]), "example.com/m");
    assert_eq!(
        r.error.as_deref(),
        Some("invalid proxy URL scheme (must be https, http, file): ftp://x.example")
    );
    assert!(r.attempts.is_empty());
    assert_eq!(r.checksum.via, None);
    let r = explain(&route(&[("GOPROXY", "foo")]), "example.com/m");
    assert_eq!(
        r.error.as_deref(),
        Some("invalid proxy URL missing scheme: foo")
    );
}

#[test]
fn the_json_has_the_contract_shape() {
    let r = explain(
        &route(&[
            ("GOPROXY", "https://goproxy.cn,direct,https://x.example"),
            ("GOPRIVATE", "git.corp.example"),
        ]),
        "example.com/m",
    );
    let v = serde_json::to_value(&r).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&v),
        [
            "attempts", "checksum", "derived", "error", "git", "ignored", "insecure", "matches",
            "module", "outcome", "profile", "steps"
        ]
    );
    assert_eq!(
        keys(&v["matches"]),
        ["GOINSECURE", "GONOPROXY", "GONOSUMDB", "GOPRIVATE"]
    );
    assert_eq!(keys(&v["derived"]), ["GONOPROXY", "GONOSUMDB"]);
    assert_eq!(v["derived"]["GONOPROXY"], "GOPRIVATE");
    assert_eq!(
        keys(&v["attempts"][0]),
        [
            "credentials",
            "http_proxy",
            "no_proxy",
            "on_error",
            "probe",
            "reason",
            "requests",
            "source"
        ]
    );
    assert_eq!(v["attempts"][0]["on_error"], "next_on_not_found");
    assert_eq!(v["attempts"][1]["on_error"], "stop");
    assert_eq!(v["attempts"][1]["probe"], serde_json::Value::Null);
    assert_eq!(
        keys(&v["checksum"]),
        [
            "candidates",
            "db",
            "http_proxy",
            "skipped_by",
            "verified",
            "via"
        ]
    );
    assert_eq!(v["ignored"][0], "https://x.example (after direct)");
    assert_eq!(v["matches"]["GOPRIVATE"], serde_json::Value::Null);
    assert_eq!(v["error"], serde_json::Value::Null);
}

fn result(endpoint: &str, outcome: Outcome) -> EndpointResult {
    EndpointResult {
        index: 0,
        endpoint: endpoint.into(),
        kind: Kind::Goproxy,
        outcome,
        failed_stage: None,
        stages: Default::default(),
        total_ms: 1,
        samples_ms: vec![],
        median_ms: None,
        detail: format!("{} detail", outcome.name()),
        go_error: None,
        params: Default::default(),
        http_status: None,
        addresses: vec![],
        proxy: None,
        no_proxy: None,
        tls: None,
        via: None,
        fall_back_on_error: None,
        credentials: None,
    }
}

/// The walk over probed attempts follows TryProxies: `,` passes only not-found, `|` anything.
#[test]
fn the_walk_falls_through_like_go() {
    let walk_of = |goproxy: &str, outcomes: &[Outcome]| {
        let mut r = explain(&route(&[("GOPROXY", goproxy)]), "example.com/m");
        for (a, o) in r.attempts.iter_mut().zip(outcomes) {
            a.probe = Some(result(&a.source, *o));
        }
        walk(&r.attempts)
    };
    use Outcome::*;
    let (a, b) = ("https://a.example", "https://b.example");
    assert_eq!(
        walk_of(&format!("{a},{b}"), &[NotFound, Ok]),
        Result::Ok(b.into())
    );
    assert_eq!(
        walk_of(&format!("{a},{b}"), &[Slow, NotFound]),
        Result::Ok(a.into())
    );
    assert!(
        walk_of(&format!("{a},{b}"), &[HttpError, Ok])
            .unwrap_err()
            .starts_with("https://a.example: http_error")
    );
    assert_eq!(
        walk_of(&format!("{a}|{b}"), &[Timeout, Ok]),
        Result::Ok(b.into())
    );
    assert_eq!(
        walk_of(&format!("{a},{b}"), &[NotFound, NotFound]),
        Err(format!("every entry answered not found ({a}, {b})"))
    );
    assert_eq!(
        walk_of(&format!("{a},off"), &[NotFound]),
        Err(format!(
            "module lookup disabled by GOPROXY=off ({a} answered not found)"
        ))
    );
    assert_eq!(
        walk_of(&format!("{a},direct"), &[NotFound, Ok]),
        Result::Ok("its origin (direct)".into())
    );
    assert!(
        walk_of(&format!("{a},direct"), &[NotFound, NotFound])
            .unwrap_err()
            .starts_with("its origin (direct): not_found")
    );
    // An entry that was not probed (a file:// proxy) ends the walk with a guess.
    assert_eq!(
        walk_of("file:///srv/p", &[]),
        Result::Ok("file:///srv/p (not probed)".into())
    );
}

//! The pure parts: which endpoints a route has, how cmd/go walks them, the ranking.

use super::*;

fn route(goproxy: &str) -> Route {
    Route {
        goproxy: goproxy.to_string(),
        gosumdb: "sum.golang.org".to_string(),
        ..Route::default()
    }
}

fn result(
    index: usize,
    endpoint: &str,
    kind: Kind,
    outcome: Outcome,
    median: Option<u64>,
) -> EndpointResult {
    EndpointResult {
        index,
        endpoint: endpoint.to_string(),
        kind,
        outcome,
        failed_stage: (!outcome.is_healthy()).then_some(Stage::Http),
        stages: Stages::default(),
        total_ms: median.unwrap_or(0),
        samples_ms: median.into_iter().collect(),
        median_ms: median,
        detail: outcome.name().to_string(),
        go_error: None,
        params: BTreeMap::new(),
        http_status: None,
        addresses: Vec::new(),
        proxy: None,
        no_proxy: None,
        tls: None,
        via: Some("https://sum.golang.org".into()),
        fall_back_on_error: None,
        credentials: None,
    }
}

fn labels(route: &Route) -> Vec<(String, Kind)> {
    plan(route, &Options::default())
        .into_iter()
        .map(|e| (e.label, e.kind))
        .collect()
}

#[test]
fn the_plan_lists_goproxy_entries_then_sumdb_then_proxies() {
    let mut r = route("https://a.test|b.test,direct,https://ignored.test");
    r.proxies = crate::httpproxy::ProxyEnv::from_lookup(|n| {
        (n == "HTTPS_PROXY").then(|| "http://u:pw@corp.test:3128".to_string())
    });
    assert_eq!(
        labels(&r),
        vec![
            ("https://a.test".to_string(), Kind::Goproxy),
            ("https://b.test".to_string(), Kind::Goproxy),
            ("direct".to_string(), Kind::Goproxy),
            ("sum.golang.org".to_string(), Kind::Sumdb),
            ("http://u:xxxxx@corp.test:3128".to_string(), Kind::HttpProxy),
        ]
    );
    // GOSUMDB=off: no checksum DB; GONOPROXY matching the module adds `direct`.
    let mut off = route("https://a.test,off");
    off.gosumdb = "off".into();
    off.gonoproxy = "golang.org/x".into();
    assert_eq!(
        labels(&off),
        vec![
            ("https://a.test".to_string(), Kind::Goproxy),
            ("direct".to_string(), Kind::Goproxy),
        ]
    );
    // An explicit GOSUMDB URL is part of the label (redacted); a file:// entry is probed (on
    // disk) like any proxy entry.
    let mut explicit = route("file:///srv/mods,direct");
    explicit.gosumdb = "sum.golang.org https://u:pw@sumdb.corp.test".into();
    assert_eq!(
        labels(&explicit),
        vec![
            ("file:///srv/mods".to_string(), Kind::Goproxy),
            ("direct".to_string(), Kind::Goproxy),
            (
                "sum.golang.org https://u:xxxxx@sumdb.corp.test/".to_string(),
                Kind::Sumdb
            ),
        ]
    );
}

#[test]
fn the_route_walk_follows_comma_and_pipe() {
    let sumdb_ok = result(9, "sum.golang.org", Kind::Sumdb, Outcome::Ok, Some(5));
    let walk = |goproxy: &str, a: Outcome, b: Outcome| {
        let results = vec![
            result(
                0,
                "https://a.test",
                Kind::Goproxy,
                a,
                a.is_healthy().then_some(10),
            ),
            result(
                1,
                "https://b.test",
                Kind::Goproxy,
                b,
                b.is_healthy().then_some(20),
            ),
            result(2, "direct", Kind::Goproxy, Outcome::Ok, Some(30)),
            sumdb_ok.clone(),
        ];
        assess(&route(goproxy), &Options::default(), &results)
    };
    use Outcome::*;
    // `,`: only not-found falls through.
    assert!(walk("https://a.test,https://b.test", NotFound, Ok).0);
    assert!(!walk("https://a.test,https://b.test", HttpError, Ok).0);
    assert!(
        walk("https://a.test,https://b.test", HttpError, Ok)
            .1
            .contains("the `,` after it")
    );
    // `|`: anything falls through.
    assert!(walk("https://a.test|https://b.test", Timeout, Ok).0);
    assert!(walk("https://a.test|https://b.test", TlsUntrusted, Slow).0);
    // All not found: unhealthy; then direct: healthy.
    assert!(!walk("https://a.test,https://b.test", NotFound, NotFound).0);
    assert!(walk("https://a.test,https://b.test,direct", NotFound, NotFound).0);
    // `off` ends the walk.
    let (healthy, verdict) = walk("https://a.test,off", NotFound, Ok);
    assert!(!healthy);
    assert!(verdict.contains("GOPROXY=off"), "{verdict}");
    // A broken checksum DB makes the route unhealthy unless GONOSUMDB covers the module.
    let results = vec![
        result(0, "https://a.test", Kind::Goproxy, Ok, Some(10)),
        result(1, "sum.golang.org", Kind::Sumdb, Timeout, None),
    ];
    assert!(!assess(&route("https://a.test"), &Options::default(), &results).0);
    let mut private = route("https://a.test");
    private.gonosumdb = "golang.org".into();
    assert!(assess(&private, &Options::default(), &results).0);
    let mut off = route("https://a.test");
    off.gosumdb = "off".into();
    assert!(assess(&off, &Options::default(), &results).0);
}

#[test]
fn mirrors_are_ranked_and_reordered_with_the_separators_in_place() {
    let results = vec![
        result(0, "https://a.test", Kind::Goproxy, Outcome::Ok, Some(300)),
        result(1, "https://b.test", Kind::Goproxy, Outcome::Timeout, None),
        result(
            2,
            "https://c.test",
            Kind::Goproxy,
            Outcome::Slow,
            Some(1200),
        ),
        result(3, "https://d.test", Kind::Goproxy, Outcome::Ok, Some(40)),
    ];
    let r = route("https://a.test|https://b.test,https://c.test,https://d.test,direct");
    let ranking = rank(&results);
    assert_eq!(
        ranking
            .iter()
            .map(|r| r.endpoint.as_str())
            .collect::<Vec<_>>(),
        ["https://d.test", "https://a.test", "https://c.test"]
    );
    assert_eq!(
        reorder(&r, &results).as_deref(),
        Some("https://d.test|https://a.test,https://c.test,https://b.test,direct")
    );
    // Already in order: nothing to offer.
    assert_eq!(
        reorder(&route("https://d.test,https://a.test"), &results),
        None
    );
    assert_eq!(
        redact_goproxy("https://u:pw@a.test|https://b.test,direct"),
        "https://u:xxxxx@a.test|https://b.test,direct"
    );
}

#[test]
fn gosumdb_is_read_like_cmd_go() {
    let sumdb = |v: &str| {
        let mut r = route("direct");
        r.gosumdb = v.to_string();
        r.sumdb()
    };
    assert_eq!(sumdb("off"), None);
    assert_eq!(
        sumdb("sum.golang.org"),
        Some(Ok(("sum.golang.org".into(), None)))
    );
    assert_eq!(
        sumdb("sum.golang.google.cn"),
        Some(Ok((
            "sum.golang.org".into(),
            Some(url::Url::parse("https://sum.golang.google.cn").unwrap())
        )))
    );
    assert_eq!(
        sumdb("sum.corp.test+abcd1234+AAAA").map(|r| r.map(|(n, _)| n)),
        Some(Ok("sum.corp.test".into()))
    );
    assert_eq!(
        sumdb("a b c"),
        Some(Err("invalid GOSUMDB: too many fields".into()))
    );
    assert_eq!(
        sumdb("badkey"),
        Some(Err("invalid GOSUMDB: malformed verifier id".into()))
    );
    assert_eq!(sumdb(""), Some(Err("missing GOSUMDB".into())));
}

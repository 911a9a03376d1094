//! `modroute why`: the JSON contract from the real environment and go env file, profiles,
//! redaction, `--probe` against the loopback fixture servers, the text form and exit codes.

use modroute_testkit::Fixture;

use crate::harness::World;

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn world() -> World {
    let mut w = World::new();
    w.set("GOENV", "{tmp}/goenv");
    w
}

#[test]
fn json_explains_the_effective_route_and_never_shows_a_password() {
    let mut w = world();
    // GOPRIVATE from the go env file, GOPROXY from the environment: both count.
    w.write("goenv", b"GOPRIVATE=*.corp.example\n");
    w.set(
        "GOPROXY",
        "https://u:pw-secret@athens.corp.example|https://goproxy.cn,direct,https://x.example",
    );
    w.set("HTTPS_PROXY", "http://proxy.corp.example:3128");
    w.set("NO_PROXY", ".corp.example");
    let out = w.modroute(&["why", "github.com/Azure/go-autorest", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains("pw-secret"), "{text}");
    let r = json(&out);
    assert_eq!(r["module"], "github.com/Azure/go-autorest");
    assert_eq!(r["profile"], serde_json::Value::Null);
    assert_eq!(r["error"], serde_json::Value::Null);
    assert_eq!(r["derived"]["GONOPROXY"], "GOPRIVATE");
    let attempts = r["attempts"].as_array().unwrap();
    let sources: Vec<&str> = attempts
        .iter()
        .map(|a| a["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "https://u:xxxxx@athens.corp.example",
            "https://goproxy.cn",
            "direct"
        ]
    );
    let rules: Vec<&str> = attempts
        .iter()
        .map(|a| a["on_error"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["next_on_any_error", "next_on_not_found", "stop"]);
    assert_eq!(attempts[0]["no_proxy"], ".corp.example");
    assert_eq!(attempts[1]["http_proxy"], "http://proxy.corp.example:3128");
    assert_eq!(
        attempts[1]["requests"][0],
        "https://goproxy.cn/github.com/%21azure/go-autorest/@v/list"
    );
    assert_eq!(r["ignored"][0], "https://x.example (after direct)");
    assert_eq!(r["checksum"]["verified"], true);
    assert_eq!(
        r["checksum"]["via"],
        "https://u:xxxxx@athens.corp.example/sumdb/sum.golang.org"
    );
    assert_eq!(r["outcome"], serde_json::Value::Null);

    // A private module: direct, checksum skipped because of GOPRIVATE.
    let r = json(&w.modroute(&["why", "git.corp.example/team/svc", "--json"]));
    assert_eq!(r["matches"]["GOPRIVATE"], "*.corp.example");
    assert_eq!(r["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(r["attempts"][0]["source"], "direct");
    assert_eq!(r["attempts"][0]["no_proxy"], ".corp.example");
    assert_eq!(r["checksum"]["skipped_by"], "GOPRIVATE");

    // Text: numbered attempts with their rule, the checksum line, the steps; no colour off a TTY.
    let out = w.modroute(&["why", "github.com/Azure/go-autorest"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0));
    assert!(!text.contains('\x1b'), "{text}");
    assert!(!text.contains("pw-secret"), "{text}");
    assert!(
        text.contains("1. https://u:xxxxx@athens.corp.example"),
        "{text}"
    );
    assert!(text.contains("on any error → next entry (`|`)"), "{text}");
    assert!(text.contains("3. direct"), "{text}");
    assert!(text.contains("checksum  sum.golang.org via"), "{text}");
    assert!(
        text.contains("ignored   https://x.example (after direct)"),
        "{text}"
    );
}

#[test]
fn a_profile_is_explained_and_bad_input_exits_2() {
    let w = world();
    w.write(
        "home/.config/modroute/profiles.toml",
        b"[profiles.acme]\nGOPROXY = \"https://athens.acme.example,off\"\nGOPRIVATE = \"git.acme.example\"\nGONOPROXY = \"none\"\n",
    );
    let out = w.modroute(&["why", "git.acme.example/x", "--profile", "acme", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    assert_eq!(r["profile"], "acme");
    assert_eq!(r["attempts"][0]["source"], "https://athens.acme.example");
    assert_eq!(r["attempts"][1]["source"], "off");
    assert_eq!(r["matches"]["GONOPROXY"], serde_json::Value::Null);
    assert_eq!(r["checksum"]["skipped_by"], "GOPRIVATE");

    // go would fail before any request: the explanation is printed and the exit status is 1.
    let out = w.modroute(&["why", "foo/bar"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("malformed module path \"foo/bar\": missing dot in first path element"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        w.modroute(&["why", "golang.org/x/text", "--profile", "nope"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(w.modroute(&["why"]).status.code(), Some(2));
    assert_eq!(
        w.modroute(&["why", "golang.org/x/text", "--probe", "--timeout-ms", "0"])
            .status
            .code(),
        Some(2)
    );

    // An invalid GOPROXY is an explanation, not a usage error; go fails, so the status is 1.
    let mut w = world();
    w.set("GOPROXY", "ftp://x.example");
    let out = w.modroute(&["why", "golang.org/x/text", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json(&out)["error"],
        "invalid proxy URL scheme (must be https, http, file): ftp://x.example"
    );
}

#[test]
fn probe_says_where_go_would_end_up() {
    let f = Fixture::start();
    let mut w = world();
    w.set(
        "GOPROXY",
        &format!("{},{}", f.http_base("404"), f.http_base("ok")),
    );
    w.set("GOSUMDB", "sum.golang.org");
    let out = w.modroute(&[
        "why",
        "example.com/m",
        "--probe",
        "--json",
        "--timeout-ms",
        "2000",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    assert_eq!(r["attempts"][0]["probe"]["outcome"], "not_found");
    assert_eq!(r["attempts"][1]["probe"]["outcome"], "ok");
    assert_eq!(
        r["outcome"],
        format!("would be fetched from {}", f.http_base("ok"))
    );
    assert_eq!(
        r["checksum"]["via"],
        format!("{}/sumdb/sum.golang.org", f.http_base("ok"))
    );

    w.set(
        "GOPROXY",
        &format!("{},{}", f.http_base("500"), f.http_base("ok")),
    );
    let out = w.modroute(&["why", "example.com/m", "--probe", "--timeout-ms", "2000"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0));
    assert!(text.contains("[http_error]"), "{text}");
    assert!(
        text.contains(&format!("outcome   would fail: {}", f.http_base("500"))),
        "{text}"
    );
}

/// `direct` runs git, and git's own configuration decides: `why` shows the URL after
/// `insteadOf` and the proxy git uses — its `http.proxy` beating HTTPS_PROXY — with the files.
#[test]
fn direct_shows_what_git_does_with_its_own_configuration() {
    let mut w = world();
    w.set("GIT_CONFIG_NOSYSTEM", "1");
    w.set("GOPRIVATE", "git.corp.example");
    w.set("HTTPS_PROXY", "http://envproxy.corp.example:3128");
    let gitconfig = w.write(
        "home/.gitconfig",
        b"[http]\n\tproxy = http://gituser:pw-git@gitproxy.corp.example:8080\n\
          [url \"ssh://git@git.corp.example/\"]\n\tinsteadOf = https://git.corp.example/\n",
    );
    let out = w.modroute(&["why", "git.corp.example/team/svc", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    let git = &r["git"];
    assert_eq!(git["repo"], "https://git.corp.example/team/svc");
    assert_eq!(git["known"], false);
    assert_eq!(git["rewritten"], "ssh://git@git.corp.example/team/svc");
    assert_eq!(
        git["rewritten_by"],
        "url.ssh://git@git.corp.example/.insteadof"
    );
    assert_eq!(
        git["rewritten_in"].as_str(),
        Some(gitconfig.display().to_string().as_str())
    );
    assert_eq!(git["proxy_source"]["from"], "config");
    assert_eq!(
        git["proxy"],
        "http://gituser:xxxxx@gitproxy.corp.example:8080"
    );
    assert!(
        git["proxy_from"].as_str().unwrap().contains("http.proxy"),
        "{git}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("pw-git"));

    // Without git's own proxy, git falls back to the environment.
    w.write("home/.gitconfig", b"");
    let r = json(&w.modroute(&["why", "git.corp.example/team/svc", "--json"]));
    assert_eq!(r["git"]["proxy"], "http://envproxy.corp.example:3128");
    assert_eq!(r["git"]["rewritten"], serde_json::Value::Null);
    // Text: the step names it.
    let text = String::from_utf8_lossy(&w.modroute(&["why", "git.corp.example/team/svc"]).stdout)
        .into_owned();
    assert!(
        text.contains("go runs git on https://git.corp.example/team/svc"),
        "{text}"
    );

    // No direct attempt at all: no git step (and git is not even run).
    w.set("GOPRIVATE", "");
    w.set("GOPROXY", "https://goproxy.example");
    let r = json(&w.modroute(&["why", "golang.org/x/text", "--json"]));
    assert_eq!(r["git"], serde_json::Value::Null);
}

//! The doctor's git context with the real git: git's proxy as a matrix column, its findings,
//! and a repository's own config through `--project`, all from a sandbox HOME.

use std::process::Command;

use modroute_core::Env;
use modroute_core::doctor::{self, Options, Report};
use modroute_core::env::TargetOs;

use crate::support::Sandbox;

fn env(sb: &Sandbox, extra: &[(&str, &str)]) -> Env {
    let go = which::which("go").expect("go is installed (cargo xtask setup)");
    let go_dir = go.parent().unwrap().to_string_lossy().into_owned();
    let mut vars: Vec<(String, String)> = sb
        .vars()
        .into_iter()
        .map(|(k, v)| {
            if k == "PATH" {
                (k, format!("{go_dir}:{v}"))
            } else {
                (k, v)
            }
        })
        .collect();
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars_on(TargetOs::Unix, vars)
}

fn run(env: &Env, project: Option<&std::path::Path>) -> Report {
    let options = Options {
        shells: false,
        session: false,
        go_binaries: false,
        processes: false,
        sudo: false,
        ..Options::default()
    };
    doctor::run(env, project, &options)
}

#[test]
fn gits_proxy_is_a_column_and_its_mistakes_are_findings() {
    let sb = Sandbox::new();
    let gitconfig = sb.home.join(".gitconfig");
    sb.write(
        ".gitconfig",
        "[http]\n\tproxy = http://u:s3cret@git-proxy.example:3128\n\tsslVerify = false\n[https]\n\tproxy = http://ignored.example:1\n[url \"git@git.corp.example:\"]\n\tinsteadOf = https://git.corp.example/\n",
    );
    let env = env(
        &sb,
        &[
            ("HTTPS_PROXY", "http://go-proxy.example:8080"),
            ("GOPRIVATE", "git.corp.example/team"),
        ],
    );
    let report = run(&env, None);
    assert!(
        report.contexts.iter().any(|c| c.id == "git"),
        "{:#?}",
        report.contexts
    );
    let cell = &report.matrix["HTTPS_PROXY"]["git"];
    assert!(cell.mismatch);
    assert_eq!(
        cell.effective, "http://u:xxxxx@git-proxy.example:3128",
        "redacted"
    );
    assert_eq!(cell.file.as_deref(), Some(gitconfig.as_path()));
    assert!(
        !report.matrix["GOPROXY"].contains_key("git"),
        "git has no GOPROXY"
    );

    let ids: Vec<&str> = report.findings.iter().map(|f| f.id.as_str()).collect();
    for id in [
        "git-proxy-differs",
        "git-ssl-verify-off",
        "git-https-proxy-ignored",
        "git-insteadof-ssh",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let differs = report
        .findings
        .iter()
        .find(|f| f.id == "git-proxy-differs")
        .unwrap();
    assert!(
        differs.message.contains("go-proxy.example:8080"),
        "{}",
        differs.message
    );
    assert!(!differs.message.contains("s3cret"), "{}", differs.message);
    assert_eq!(differs.file.as_deref(), Some(gitconfig.as_path()));
    let ssh = report
        .findings
        .iter()
        .find(|f| f.id == "git-insteadof-ssh")
        .unwrap();
    assert!(
        ssh.message.contains("git@git.corp.example:team/"),
        "{}",
        ssh.message
    );
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.id.starts_with("shadowed-in-git"))
    );

    // The fix is an ordinary plan through git: applied, git answers go's proxy; undone, the file
    // is byte-identical.
    let before = std::fs::read(&gitconfig).unwrap();
    let fix = differs.fix_action.clone().expect("a one-click fix");
    let plan = doctor::fix::plan(&env, &fix).unwrap();
    assert!(
        plan.diff()
            .contains("+\tproxy = http://go-proxy.example:8080"),
        "{}",
        plan.diff()
    );
    assert!(!plan.diff().contains("s3cret"), "{}", plan.diff());
    modroute_core::apply::apply(&env, &plan).unwrap();
    let out = Command::new("git")
        .args(["config", "--get", "http.proxy"])
        .current_dir(&sb.home)
        .env_clear()
        .envs(env.iter())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "http://go-proxy.example:8080"
    );
    let after = run(&env, None);
    assert!(!after.matrix["HTTPS_PROXY"]["git"].mismatch);
    assert!(after.findings.iter().all(|f| f.id != "git-proxy-differs"));
    modroute_core::apply::undo(&env).unwrap();
    assert_eq!(std::fs::read(&gitconfig).unwrap(), before);
}

#[test]
fn a_repositorys_config_counts_with_project_and_agreeing_proxies_are_quiet() {
    let sb = Sandbox::new();
    sb.write(
        ".gitconfig",
        "[http]\n\tproxy = http://proxy.example:3128\n",
    );
    let env = env(&sb, &[("HTTPS_PROXY", "http://proxy.example:3128")]);
    let report = run(&env, None);
    assert!(!report.matrix["HTTPS_PROXY"]["git"].mismatch);
    assert!(
        !report.findings.iter().any(|f| f.id.starts_with("git-")),
        "{:#?}",
        report.findings
    );

    // A repository that sets its own proxy: seen only with --project.
    let repo = sb.home.join("src/app");
    std::fs::create_dir_all(&repo).unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env_clear()
            .envs(env.iter())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["config", "http.proxy", "http://repo-proxy.example:1"]);
    let report = run(&env, Some(&repo));
    let cell = &report.matrix["HTTPS_PROXY"]["git"];
    assert!(cell.mismatch);
    assert_eq!(cell.effective, "http://repo-proxy.example:1");
    assert_eq!(
        cell.file.as_deref(),
        Some(repo.join(".git/config").as_path())
    );
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "git-proxy-differs")
        .unwrap();
    assert!(f.message.contains("repository config"), "{}", f.message);
    assert!(
        f.fix.as_deref().unwrap().contains("git config --local"),
        "{:?}",
        f.fix
    );

    // GIT_CONFIG_NOSYSTEM and GIT_CONFIG_GLOBAL are git's own business: honoured because git
    // reads them.
    let elsewhere = sb.home.join("other.gitconfig");
    std::fs::write(&elsewhere, "[http]\n\tproxy = http://elsewhere.example:2\n").unwrap();
    let env2 = env.clone().with("GIT_CONFIG_GLOBAL", &elsewhere);
    let report = run(&env2, None);
    assert_eq!(
        report.matrix["HTTPS_PROXY"]["git"].effective,
        "http://elsewhere.example:2"
    );
}

#[test]
fn lower_case_https_proxy_wins_in_git_but_not_in_go() {
    let sb = Sandbox::new();
    let env = env(
        &sb,
        &[
            ("HTTPS_PROXY", "http://upper.example:1"),
            ("https_proxy", "http://lower.example:1"),
        ],
    );
    let report = run(&env, None);
    let cell = &report.matrix["HTTPS_PROXY"]["git"];
    assert_eq!(cell.value, None, "git's config sets nothing");
    assert_eq!(cell.effective, "http://lower.example:1");
    assert!(cell.mismatch);
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "git-proxy-differs")
        .unwrap();
    assert!(f.message.contains("https_proxy"), "{}", f.message);
}

/// The oracle for git's proxy choice: real `git ls-remote` runs against loopback listeners
/// standing in for proxies, and the listener that receives git's request must be the one the
/// reader predicts — for config against environment, lower against upper case, http and https.
#[test]
fn the_proxy_git_really_connects_to_is_the_predicted_one() {
    use std::io::Read;
    use std::net::TcpListener;
    use std::sync::mpsc;

    let listeners: Vec<TcpListener> = (0..4)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let urls: Vec<String> = listeners
        .iter()
        .map(|l| format!("http://127.0.0.1:{}", l.local_addr().unwrap().port()))
        .collect();
    let (tx, rx) = mpsc::channel::<usize>();
    for (i, l) in listeners.into_iter().enumerate() {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for stream in l.incoming().flatten() {
                let mut stream = stream;
                let mut buf = [0u8; 64];
                let _ = stream.read(&mut buf);
                let _ = tx.send(i);
            }
        });
    }
    let sb = Sandbox::new();
    // (name, environment, git's http.proxy, the URL fetched)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Option<&'a str>, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            "config beats HTTPS_PROXY",
            vec![("HTTPS_PROXY", &urls[0])],
            Some(&urls[1]),
            "https://example.invalid/x",
        ),
        (
            "https_proxy beats HTTPS_PROXY",
            vec![("HTTPS_PROXY", &urls[0]), ("https_proxy", &urls[2])],
            None,
            "https://example.invalid/x",
        ),
        (
            "http URLs read http_proxy only",
            vec![("HTTP_PROXY", &urls[0]), ("http_proxy", &urls[3])],
            None,
            "http://example.invalid/x",
        ),
        (
            "ALL_PROXY last",
            vec![("ALL_PROXY", &urls[3])],
            None,
            "https://example.invalid/x",
        ),
    ];
    for (name, vars, config_proxy, url) in cases {
        match config_proxy {
            Some(p) => sb.write(".gitconfig", &format!("[http]\n\tproxy = {p}\n")),
            None => sb.write(".gitconfig", ""),
        };
        let env = env(&sb, &vars);
        let config =
            modroute_core::gitconfig::read(&env, None, std::time::Duration::from_secs(10)).unwrap();
        let predicted = config.proxy(&env, url).value.unwrap_or_default();
        while rx.try_recv().is_ok() {}
        let _ = Command::new("git")
            .args(["ls-remote", url])
            .current_dir(&sb.home)
            .env_clear()
            .envs(env.iter())
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .unwrap();
        let hit = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .unwrap_or_else(|_| panic!("{name}: git contacted no listener"));
        assert_eq!(predicted, urls[hit], "{name}");
    }
}

/// go trusts SSL_CERT_FILE, git does not read it: against the testkit's TLS server (private CA)
/// the real git fails verification exactly when the finding says it will, and passes once
/// http.sslCAInfo names the same file.
#[test]
fn git_ignores_ssl_cert_file_as_the_finding_says() {
    let f = modroute_testkit::Fixture::start();
    let sb = Sandbox::new();
    let ca = f.ca_file().to_string_lossy().into_owned();
    let url = format!("{}repo.git", f.tls_base("ok"));
    let env = env(&sb, &[("SSL_CERT_FILE", ca.as_str())]);
    let tls_verified = || {
        let out = Command::new("git")
            .args(["ls-remote", &url])
            .current_dir(&sb.home)
            .env_clear()
            .envs(env.iter())
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
        !err.contains("certificate")
    };
    let has_finding = || {
        run(&env, None)
            .findings
            .iter()
            .any(|f| f.id == "git-ignores-ssl-cert-file")
    };
    assert!(!tls_verified(), "git ignored SSL_CERT_FILE");
    assert!(has_finding());

    sb.write(".gitconfig", &format!("[http]\n\tsslCAInfo = {ca}\n"));
    assert!(tls_verified(), "git trusts http.sslCAInfo");
    assert!(!has_finding());
}

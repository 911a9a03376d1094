//! GOAUTH and GOVCS: modroute's validation says what the real go says about a bad value (GOAUTH
//! with every go that reads it, 1.24 and newer; GOVCS with every go), and a profile whose GOAUTH
//! runs a program says so in its plan.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use modroute_core::{Env, Setting, plan, profile, validate};

use crate::support::{across_go_versions, go_version, run};

/// Runs `go get github.com/x/y` (a host go knows, so no go-get fetch) in a module, with
/// `vars`, a closed proxy and no network; returns what go printed.
fn go_get(go: &Path, vars: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/w\n\ngo 1.21\n",
    )
    .unwrap();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let mut cmd = Command::new(go);
    cmd.env_clear()
        .current_dir(dir.path())
        .env("PATH", go.parent().unwrap())
        .env("HOME", dir.path())
        .env("GOPATH", dir.path().join("gopath"))
        .env("GOENV", "off")
        .env("GOTOOLCHAIN", "local")
        .env("GOTELEMETRY", "off")
        .env("GOFLAGS", "-mod=mod -modcacherw")
        .env("GOSUMDB", "off")
        .env("HTTPS_PROXY", &closed)
        .args(["get", "github.com/x/y"]);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = run(&mut cmd, Duration::from_secs(60));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bad_goauth_and_govcs_values_get_go_s_own_words() {
    let failures = across_go_versions(|go| {
        let mut failures = Vec::new();
        let minor: u32 = go_version(go)
            .strip_prefix("go1.")
            .and_then(|r| r.split('.').next())
            .and_then(|m| m.parse().ok())
            .unwrap_or(99);
        for value in [
            "bad",
            "a:",
            ":git",
            "a:git,a:hg",
            "a:git||hg",
            "./x:git",
            "a:git,",
            "a:git,,b:hg",
        ] {
            let ours = validate::check(Setting::GoVcs, value).unwrap_err();
            let said = go_get(go, &[("GOPROXY", "direct"), ("GOVCS", value)]);
            if !said.contains(&ours) {
                failures.push(format!(
                    "GOVCS={value}: modroute says {ours:?}, go says {said}"
                ));
            }
        }
        for value in ["public:git|hg,private:all", "private:git"] {
            if let Err(e) = validate::check(Setting::GoVcs, value) {
                failures.push(format!("GOVCS={value} is valid for go, modroute says {e}"));
            }
        }
        if minor >= 24 {
            for value in ["off;netrc", "git rel", "netrc; ", "git"] {
                let ours = validate::check(Setting::GoAuth, value).unwrap_err();
                let said = go_get(go, &[("GOPROXY", "https://127.0.0.1:9"), ("GOAUTH", value)]);
                if !said.contains(&ours) {
                    failures.push(format!(
                        "GOAUTH={value}: modroute says {ours:?}, go says {said}"
                    ));
                }
            }
        }
        for value in [
            "netrc",
            "off",
            "git /srv/creds",
            "netrc;/usr/local/bin/corp-auth --x",
        ] {
            if let Err(e) = validate::check(Setting::GoAuth, value) {
                failures.push(format!("GOAUTH={value} is valid, modroute says {e}"));
            }
        }
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_goauth_that_runs_programs_is_named_in_the_plan() {
    let home = tempfile::tempdir().unwrap();
    let env = Env::from_vars([
        ("HOME", home.path().as_os_str()),
        ("PATH", "".as_ref()),
        ("SHELL", "/bin/bash".as_ref()),
    ]);
    let toml = "[profiles.corp]\nGOPROXY = \"https://athens.corp.example\"\n\
                GOAUTH = \"netrc;/opt/corp/bin/go-auth --realm corp\"\n\
                [profiles.plain]\nGOPROXY = \"https://athens.corp.example\"\nGOAUTH = \"netrc\"\n";
    let profiles = profile::parse_user(toml.as_bytes(), Path::new("/p/profiles.toml")).unwrap();
    let warning_of = |id: &str| {
        let p = profiles.iter().find(|p| p.id == id).unwrap();
        plan::for_profile(&env, p)
            .unwrap()
            .warnings
            .into_iter()
            .find(|w| w.setting == Some(Setting::GoAuth))
    };
    let w = warning_of("corp").expect("a warning");
    assert!(
        w.message.contains("`/opt/corp/bin/go-auth --realm corp`"),
        "{}",
        w.message
    );
    assert!(warning_of("plain").is_none());
    // The value goes where every Go setting goes: the go env file.
    let p = profiles.iter().find(|p| p.id == "corp").unwrap();
    let plan = plan::for_profile(&env, p).unwrap();
    assert!(
        plan.files.iter().any(|f| f
            .diff
            .contains("+GOAUTH=netrc;/opt/corp/bin/go-auth --realm corp")),
        "{:?}",
        plan.files.iter().map(|f| &f.diff).collect::<Vec<_>>()
    );
}

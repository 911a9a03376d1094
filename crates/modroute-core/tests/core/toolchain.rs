//! What go does when GOTOOLCHAIN makes it download a newer toolchain (module
//! golang.org/toolchain) — each lint's claim checked against the real go of every version: a
//! module whose go line is newer than the local go, served a toolchain module by a file://
//! proxy, under GOSUMDB=off, GOPROXY=off, a GOPRIVATE matching golang.org, and the single
//! file:// entry that go exempts from checksum verification.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use modroute_core::Env;
use modroute_core::doctor::lints;

use crate::support::{across_go_versions, run};

const VERSION: &str = "v0.0.1-go1.99.0.linux-amd64";

/// A file:// proxy holding golang.org/toolchain at go1.99.0 (a fake distribution: go only gets
/// as far as verifying and unpacking it).
fn toolchain_proxy(dir: &Path) -> String {
    let at = dir.join("golang.org/toolchain/@v");
    std::fs::create_dir_all(&at).unwrap();
    std::fs::write(at.join("list"), format!("{VERSION}\n")).unwrap();
    std::fs::write(
        at.join(format!("{VERSION}.info")),
        format!("{{\"Version\":\"{VERSION}\"}}"),
    )
    .unwrap();
    std::fs::write(
        at.join(format!("{VERSION}.mod")),
        "module golang.org/toolchain\n",
    )
    .unwrap();
    let zip = std::fs::File::create(at.join(format!("{VERSION}.zip"))).unwrap();
    let mut w = zip::ZipWriter::new(zip);
    let opts = zip::write::SimpleFileOptions::default();
    for (name, body) in [
        ("go.mod", "module golang.org/toolchain\n"),
        ("bin/go", "#!/bin/sh\n"),
    ] {
        w.start_file(format!("golang.org/toolchain@{VERSION}/{name}"), opts)
            .unwrap();
        std::io::Write::write_all(&mut w, body.as_bytes()).unwrap();
    }
    w.finish().unwrap();
    format!("file://{}", dir.display())
}

#[test]
fn toolchain_lints_say_what_go_does() {
    let tmp = tempfile::tempdir().unwrap();
    let proxy = toolchain_proxy(&tmp.path().join("proxy"));
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("go.mod"), "module example.com/w\n\ngo 1.99.0\n").unwrap();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let with_off = format!("{proxy},off");
    // (vars, the finding the lints must raise (None: none), what go must print / not print)
    type Case<'a> = (Vec<(&'a str, &'a str)>, Option<&'a str>, &'a str, bool);
    let cases: Vec<Case> = vec![
        (
            vec![("GOPROXY", &with_off), ("GOSUMDB", "off")],
            Some("gotoolchain-cannot-download"),
            "verifying module: checksum database disabled by GOSUMDB=off",
            true,
        ),
        (
            vec![("GOPROXY", "off")],
            Some("gotoolchain-cannot-download"),
            "toolchain not available",
            true,
        ),
        (
            vec![
                ("GOPROXY", &with_off),
                ("GOPRIVATE", "golang.org"),
                ("HTTPS_PROXY", &closed),
            ],
            Some("gonoproxy-matches-toolchain"),
            "toolchain not available",
            true,
        ),
        // A single file:// entry is exempt from checksum verification: no finding, and go gets
        // past verifying (it fails later, on the fake distribution).
        (
            vec![("GOPROXY", &proxy), ("GOSUMDB", "off")],
            None,
            "checksum database disabled",
            false,
        ),
    ];
    let failures = across_go_versions(|go| {
        let mut failures = Vec::new();
        let home = tempfile::tempdir().unwrap();
        for (vars, finding, said, present) in &cases {
            let mut env = Env::from_vars([
                ("HOME", home.path().as_os_str()),
                ("PATH", go.parent().unwrap().as_os_str()),
                ("GOENV", "off".as_ref()),
                ("GOTOOLCHAIN", "auto".as_ref()),
            ]);
            for (k, v) in vars {
                env = env.with(k, *v);
            }
            let found: Vec<_> = lints::lint_env(&env)
                .into_iter()
                .filter(|f| f.id.starts_with("goto") || f.id.starts_with("gonoproxy"))
                .collect();
            match finding {
                Some(id) => match found.iter().find(|f| f.id == *id) {
                    Some(f) if f.message.contains(said) => {}
                    Some(f) => failures.push(format!(
                        "{vars:?}: {id} does not quote {said:?}: {}",
                        f.message
                    )),
                    None => failures.push(format!("{vars:?}: no {id}: {found:?}")),
                },
                None if !found.is_empty() => {
                    failures.push(format!("{vars:?}: unexpected {found:?}"))
                }
                None => {}
            }
            let gopath = tempfile::tempdir().unwrap();
            let mut cmd = Command::new(go);
            cmd.env_clear()
                .current_dir(&work)
                .env("PATH", go.parent().unwrap())
                .env("HOME", home.path())
                .env("GOPATH", gopath.path())
                .env("GOFLAGS", "-modcacherw")
                .env("GOTELEMETRY", "off")
                .env("GOENV", "off")
                .env("GOTOOLCHAIN", "auto")
                .arg("version");
            for (k, v) in vars {
                cmd.env(k, v);
            }
            let out = run(&mut cmd, Duration::from_secs(60));
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.success() || stderr.contains(said) != *present {
                failures.push(format!(
                    "{vars:?}: go {} {said:?}: {stderr}",
                    if *present { "does not print" } else { "prints" }
                ));
            }
        }
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

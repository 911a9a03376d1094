//! git as an opt-in switch target, checked with the real git: `modroute use` writes
//! `http.proxy` through git into the file `git config --global` uses, `undo` restores it byte
//! for byte, and what git's own parser reads (includes, comments, symlinks) survives.

use std::path::Path;

use crate::harness::World;

const PROFILES: &[u8] = b"[profiles.office]\nGOPROXY = \"https://athens.corp.example,direct\"\nHTTPS_PROXY = \"http://user:s3cret@proxy.corp.example:3128\"\n\n[profiles.home]\nGOPROXY = \"https://goproxy.cn,direct\"\n";

fn world_with_git_target() -> World {
    let w = World::new();
    w.write("home/.config/modroute/profiles.toml", PROFILES);
    w.write("home/.config/modroute/targets.toml", b"git = true\n");
    w
}

/// The real `git config <args>` in the world's environment.
fn git(w: &World, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new("git")
        .env_clear()
        .envs(w.vars.iter().map(|(k, v)| (k, v)))
        .current_dir(w.dir.path().join("work"))
        .args(args)
        .output()
        .expect("run git");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).trim_end().to_string(),
    )
}

fn ok(out: &std::process::Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn use_writes_http_proxy_through_git_and_undo_restores_every_byte() {
    let w = world_with_git_target();
    // Things git's own writer must keep: comments, an include, a conditional include, other
    // sections, odd spacing, and a value with a credential already there.
    let original: &[u8] = b"# my git config\n[user]\n\tname = Me  ; trailing comment\n[include]\n\tpath = ~/.gitconfig.local\n[includeIf \"gitdir:~/work/\"]\n\tpath = ~/.gitconfig.work\n[http]\n    sslVerify = true\n";
    let real = w.write("dotfiles/gitconfig", original);
    std::os::unix::fs::symlink(&real, w.dir.path().join("home/.gitconfig")).unwrap();
    w.write("home/.gitconfig.local", b"[core]\n\teditor = vi\n");

    let plan = w.modroute(&["use", "office", "--dry-run"]);
    let shown = String::from_utf8_lossy(&plan.stdout);
    assert!(
        shown.contains("+\tproxy = http://user:xxxxx@proxy.corp.example:3128"),
        "{shown}"
    );
    assert!(!shown.contains("s3cret"), "the diff is redacted: {shown}");

    ok(&w.modroute(&["use", "office", "--yes"]));
    assert_eq!(
        git(&w, &["config", "--get", "http.proxy"]),
        (true, "http://user:s3cret@proxy.corp.example:3128".into())
    );
    let link = std::fs::symlink_metadata(w.dir.path().join("home/.gitconfig")).unwrap();
    assert!(link.file_type().is_symlink(), "the symlink stays a symlink");
    let written = std::fs::read_to_string(&real).unwrap();
    assert!(written.starts_with("# my git config\n[user]\n\tname = Me  ; trailing comment\n[include]\n\tpath = ~/.gitconfig.local\n[includeIf \"gitdir:~/work/\"]\n"), "{written}");
    assert_eq!(
        git(&w, &["config", "--get", "core.editor"]),
        (true, "vi".into()),
        "the include still works"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a file holding a password is private");

    // The home profile has no proxy: http.proxy goes away.
    ok(&w.modroute(&["use", "home", "--yes"]));
    assert!(!git(&w, &["config", "--get", "http.proxy"]).0);

    ok(&w.modroute(&["undo", "--yes"]));
    ok(&w.modroute(&["undo", "--yes"]));
    assert_eq!(
        std::fs::read(&real).unwrap(),
        original,
        "byte-identical after undo"
    );
    assert!(
        std::fs::symlink_metadata(w.dir.path().join("home/.gitconfig"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// Where `git config --global` writes, for each layout, asked of the real git and compared with
/// modroute's answer (the file it plans).
#[test]
fn the_global_file_is_the_one_git_writes() {
    // (name, files that exist, variables)
    type Layout<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)]);
    let layouts: &[Layout<'_>] = &[
        ("nothing yet", &[], &[]),
        ("only the XDG file", &["home/.config/git/config"], &[]),
        (
            "both files",
            &["home/.config/git/config", "home/.gitconfig"],
            &[],
        ),
        (
            "XDG_CONFIG_HOME elsewhere",
            &["xdg/git/config"],
            &[("XDG_CONFIG_HOME", "{tmp}/xdg")],
        ),
        (
            "GIT_CONFIG_GLOBAL",
            &["home/.gitconfig"],
            &[("GIT_CONFIG_GLOBAL", "{tmp}/custom/gitconfig")],
        ),
    ];
    for (name, files, vars) in layouts {
        let mut w = world_with_git_target();
        for (k, v) in *vars {
            w.set(k, v);
        }
        if vars.iter().any(|(k, _)| *k == "XDG_CONFIG_HOME") {
            // modroute's own config follows XDG_CONFIG_HOME too.
            w.write("xdg/modroute/profiles.toml", PROFILES);
            w.write("xdg/modroute/targets.toml", b"git = true\n");
        }
        for f in *files {
            w.write(f, b"[core]\n\tautocrlf = false\n");
        }
        if vars.iter().any(|(k, _)| *k == "GIT_CONFIG_GLOBAL") {
            std::fs::create_dir_all(w.dir.path().join("custom")).unwrap();
        }
        let before = snapshot(w.dir.path());
        let (set, _) = git(&w, &["config", "--global", "modroute.probe", "yes"]);
        assert!(set, "{name}");
        let after = snapshot(w.dir.path());
        let changed: Vec<_> = after
            .iter()
            .filter(|(p, bytes)| before.iter().find(|(q, _)| q == p).map(|(_, b)| b) != Some(bytes))
            .map(|(p, _)| p.clone())
            .collect();
        assert_eq!(changed.len(), 1, "{name}: {changed:?}");
        let (_, _) = git(&w, &["config", "--global", "--unset", "modroute.probe"]);

        let out = w.modroute(&["use", "office", "--dry-run", "--json"]);
        ok(&out);
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let git_file = plan["plan"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["target"] == "git")
            .unwrap_or_else(|| panic!("{name}: no git row in {plan:#}"));
        let planned = std::fs::canonicalize(
            git_file["real_path"]
                .as_str()
                .unwrap()
                .trim_end_matches('/'),
        )
        .unwrap_or_else(|_| git_file["real_path"].as_str().unwrap().into());
        assert_eq!(
            planned,
            std::fs::canonicalize(&changed[0]).unwrap(),
            "{name}"
        );
    }
}

fn snapshot(root: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

#[test]
fn a_config_git_cannot_parse_is_refused_naming_its_line_and_nothing_is_written() {
    let w = world_with_git_target();
    for (broken, line) in [
        (&b"[user]\n\tname = Me\n\tna$me = x\n"[..], Some(3)),
        (&b"[user]\n\tname = \"Me\n"[..], Some(2)),
        (&b"[user]\n\tname = Me\n[http\n\tproxy = x\n"[..], None),
    ] {
        let path = w.write("home/.gitconfig", broken);
        let out = w.modroute(&["use", "office", "--yes"]);
        assert_ne!(out.status.code(), Some(0));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&path.display().to_string()), "{err}");
        if let Some(line) = line {
            assert!(err.contains(&format!("line {line}")), "{err}");
        }
        assert_eq!(std::fs::read(&path).unwrap(), broken);
        assert!(
            std::fs::read(w.dir.path().join("home/.config/go/env")).is_err(),
            "nothing written at all"
        );
    }
}

#[test]
fn off_by_default_the_global_config_is_not_touched() {
    let w = World::new();
    w.write("home/.config/modroute/profiles.toml", PROFILES);
    let path = w.write("home/.gitconfig", b"[user]\n\tname = Me\n");
    ok(&w.modroute(&["use", "office", "--yes"]));
    assert_eq!(std::fs::read(&path).unwrap(), b"[user]\n\tname = Me\n");
    assert!(!git(&w, &["config", "--get", "http.proxy"]).0);
}

/// `git config --get-urlmatch` and `git ls-remote --get-url` are git's own answers to "which
/// http.<url>.proxy applies" and "what does insteadOf make of this URL": the reader agrees.
#[test]
fn urlmatch_and_insteadof_agree_with_git() {
    let w = World::new();
    w.write(
        "home/.gitconfig",
        b"[http]\n\tproxy = http://plain:1\n[http \"https://*.corp.example\"]\n\tproxy = http://wild:1\n[http \"https://git.corp.example\"]\n\tproxy = http://host:1\n[http \"https://git.corp.example/team\"]\n\tproxy = http://path:1\n[http \"https://me@git.corp.example\"]\n\tproxy = http://user:1\n[http \"https://git.corp.example:8443/\"]\n\tproxy = http://port:1\n[url \"git@github.com:\"]\n\tinsteadOf = https://github.com/\n[url \"ssh://git@github.com/corp/\"]\n\tinsteadOf = https://github.com/corp/\n\tinsteadOf = gh:\n[url \"https://mirror.example/\"]\n\tinsteadOf = https://github.com/corp/\n",
    );
    let env = modroute_core::Env::from_vars(w.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    let config = modroute_core::gitconfig::read(&env, None, std::time::Duration::from_secs(10))
        .expect("git config");
    for url in [
        "https://git.corp.example/team/x",
        "https://git.corp.example/teamx",
        "https://git.corp.example/",
        "https://me@git.corp.example/a",
        "https://git.corp.example:8443/a",
        "https://git.corp.example:443/a",
        "https://other.corp.example/a",
        "https://a.b.corp.example/a",
        "http://git.corp.example/a",
        "https://GIT.corp.example/a",
    ] {
        let (_, want) = git(&w, &["config", "--get-urlmatch", "http.proxy", url]);
        let got = config
            .http_for("proxy", url)
            .and_then(|e| e.value.clone())
            .unwrap_or_default();
        assert_eq!(got, want, "{url}");
    }
    for url in [
        "https://github.com/corp/x",
        "https://github.com/other/y",
        "gh:repo",
        "https://gitlab.com/a",
    ] {
        let (_, want) = git(&w, &["ls-remote", "--get-url", url]);
        let got = config
            .rewrite(url, false)
            .map(|r| r.url)
            .unwrap_or_else(|| url.to_string());
        assert_eq!(got, want, "{url}");
    }
}

/// `status --git` adds git's view (redacted, with layer and file); plain `status` does not ask
/// git at all.
#[test]
fn status_git_shows_gits_proxy_next_to_gos() {
    let mut w = World::new();
    let gitconfig = w.write(
        "home/.gitconfig",
        b"[http]\n\tproxy = http://me:s3cret@git-proxy.example:3128\n\tsslVerify = false\n",
    );
    w.set("HTTPS_PROXY", "http://go-proxy.example:8080");
    let out = w.modroute(&["status", "--json"]);
    ok(&out);
    let plain: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(plain.get("git").is_none(), "{plain:#}");

    let out = w.modroute(&["status", "--json", "--git"]);
    ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("s3cret"), "{text}");
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let git = &status["git"];
    assert_eq!(git["agrees"], false, "{git:#}");
    assert_eq!(
        git["https_proxy"]["value"],
        "http://me:xxxxx@git-proxy.example:3128"
    );
    assert_eq!(git["https_proxy"]["source"]["from"], "config");
    assert_eq!(git["https_proxy"]["source"]["scope"], "global");
    assert_eq!(
        git["https_proxy"]["source"]["file"],
        gitconfig.to_string_lossy().as_ref()
    );
    assert_eq!(git["go_https_proxy"], "http://go-proxy.example:8080");
    let keys: Vec<&str> = git["settings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["key"].as_str())
        .collect();
    assert!(keys.contains(&"http.sslverify"), "{keys:?}");

    let out = w.modroute(&["status", "--git"]);
    ok(&out);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("git (what `direct` fetches use)"), "{table}");
    assert!(
        table.contains("go uses http://go-proxy.example:8080"),
        "{table}"
    );
}

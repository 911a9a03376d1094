//! The doctor against real shells (bash, zsh, fish), real `go`, and IDE files as the IDEs write
//! them — all in a sandbox HOME whose path holds a space and a quote.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use modroute_core::Env;
use modroute_core::doctor::contexts::{self, ContextStatus, Seen};
use modroute_core::doctor::ide::{goland, vscode};
use modroute_core::doctor::{self, Finding, Fix, Options, Report, fix, matrix};
use modroute_core::env::TargetOs;
use modroute_core::{apply, goenv, shadow};

use crate::support::{Sandbox, tool};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/core/fixtures/doctor");

fn fixture(name: &str) -> String {
    fs::read_to_string(Path::new(FIXTURES).join(name)).unwrap()
}

/// The 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in fixture"))
        + 1
}

/// A sandbox HOME with every fixture in place, and the project directory.
struct World {
    sb: Sandbox,
    project: PathBuf,
}

impl World {
    fn new() -> Self {
        let sb = Sandbox::new();
        let home = sb.home.clone();
        sb.write(".bashrc", &fixture("debian.bashrc"));
        sb.write(".profile", &fixture("debian.profile"));
        sb.write("zdot/.zshrc", &fixture("ohmyzsh.zshrc"));
        sb.write(".config/Code/User/settings.json", &fixture("settings.json"));
        sb.write(
            ".config/environment.d/50-corp.conf",
            &fixture("50-corp.conf"),
        );
        sb.write(".config/go/env", "GOPROXY=https://goenv.example,direct\n");
        let project = home.join("proj");
        sb.write("proj/.idea/workspace.xml", &fixture("workspace.xml"));
        sb.write("proj/.envrc", &fixture("envrc"));
        World { sb, project }
    }

    fn home(&self) -> &Path {
        &self.sb.home
    }

    /// The sandbox's variables, with the real `go` on PATH.
    fn env(&self) -> Env {
        let go = which::which("go").expect("go is installed (cargo xtask setup)");
        let go_dir = go.parent().unwrap().to_string_lossy().into_owned();
        let vars = self.sb.vars().into_iter().map(|(k, v)| {
            if k == "PATH" {
                (k, format!("{go_dir}:{v}"))
            } else {
                (k, v)
            }
        });
        Env::from_vars_on(TargetOs::Unix, vars)
    }

    fn options() -> Options {
        Options {
            processes: false,
            ..Options::default()
        }
    }

    fn run(&self) -> Report {
        doctor::run(&self.env(), Some(&self.project), &Self::options())
    }
}

fn cell<'a>(report: &'a Report, var: &str, context: &str) -> &'a matrix::Cell {
    report.matrix[var]
        .get(context)
        .unwrap_or_else(|| panic!("no {var} cell for {context}: {:#?}", report.contexts))
}

fn findings<'a>(report: &'a Report, id: &str, var: &str) -> Vec<&'a Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.id == id && f.var.as_deref() == Some(var))
        .collect()
}

#[test]
fn the_matrix_shows_what_each_real_shell_and_ide_sees_with_files_and_lines() {
    let w = World::new();
    let report = w.run();
    let home = w.home();
    let bashrc = fixture("debian.bashrc");
    let profile = fixture("debian.profile");
    let zshrc = fixture("ohmyzsh.zshrc");

    assert_eq!(report.reference["GOPROXY"], "https://goenv.example,direct");
    let status = |id: &str| {
        report
            .contexts
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no context {id}"))
            .status
    };
    for id in [
        "process",
        "bash-login",
        "bash-interactive",
        "zsh-login",
        "zsh-interactive",
        "vscode-launch",
        "jetbrains-launch",
        "session",
        "vscode-user:Code",
        "vscode-user-terminal:Code",
        "goland-workspace",
        "goland-run:server",
        "direnv",
    ] {
        assert_eq!(
            status(id),
            ContextStatus::Ok,
            "{id}: {:#?}",
            report.contexts
        );
    }

    // Debian's .bashrc returns early unless interactive, so only `bash -i` sees its export;
    // `bash -l` reads .profile, which exports GOFLAGS (and sources .bashrc, which returns).
    let c = cell(&report, "GOPROXY", "bash-interactive");
    assert_eq!(c.value.as_deref(), Some("https://bashrc.example/go,direct"));
    assert!(c.mismatch);
    assert_eq!(c.file.as_deref(), Some(home.join(".bashrc").as_path()));
    assert_eq!(c.line, Some(line_of(&bashrc, "export GOPROXY=")));
    let c = cell(&report, "GOPROXY", "bash-login");
    assert_eq!(c.value, None);
    assert_eq!(c.effective, "https://goenv.example,direct");
    assert!(!c.mismatch);
    let c = cell(&report, "GOFLAGS", "bash-login");
    assert_eq!(c.value.as_deref(), Some("-mod=mod"));
    assert_eq!(c.file.as_deref(), Some(home.join(".profile").as_path()));
    assert_eq!(c.line, Some(line_of(&profile, "export GOFLAGS")));
    assert_eq!(cell(&report, "GOFLAGS", "bash-interactive").value, None);
    // The password never reaches the matrix.
    let c = cell(&report, "HTTPS_PROXY", "bash-interactive");
    assert_eq!(
        c.value.as_deref(),
        Some("http://bob:xxxxx@proxy.corp.example:3128")
    );

    // zsh: .zshrc only for interactive shells.
    let c = cell(&report, "GOPROXY", "zsh-interactive");
    assert_eq!(
        c.value.as_deref(),
        Some("https://goproxy.io|https://proxy.golang.org")
    );
    assert_eq!(c.file.as_deref(), Some(home.join("zdot/.zshrc").as_path()));
    assert_eq!(c.line, Some(line_of(&zshrc, "export GOPROXY")));
    assert_eq!(cell(&report, "GOPROXY", "zsh-login").value, None);
    // GONOPROXY follows GOPRIVATE there: it differs, but the GOPRIVATE finding explains it.
    assert!(cell(&report, "GONOPROXY", "zsh-interactive").mismatch);
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.var.as_deref() == Some("GONOPROXY")),
        "{:#?}",
        report.findings
    );

    // fish reads nothing here.
    if tool("fish").is_some() {
        assert_eq!(status("fish-login"), ContextStatus::Ok);
        assert!(!cell(&report, "GOPROXY", "fish-interactive").mismatch);
    }

    // VS Code's launch shell is `$SHELL -i -l`: .profile, which sources .bashrc interactively.
    let c = cell(&report, "GOPROXY", "vscode-launch");
    assert_eq!(c.value.as_deref(), Some("https://bashrc.example/go,direct"));
    assert_eq!(c.line, Some(line_of(&bashrc, "export GOPROXY=")));
    assert_eq!(
        cell(&report, "GOFLAGS", "jetbrains-launch")
            .value
            .as_deref(),
        Some("-mod=mod")
    );

    // One finding per line, naming every context it reaches, with the fix as data.
    let f = findings(&report, "shadowed-in-shell", "GOPROXY");
    let bash = f
        .iter()
        .find(|f| f.context == "bash-interactive")
        .unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert_eq!(bash.line, Some(line_of(&bashrc, "export GOPROXY=")));
    assert!(bash.message.contains("VS Code launch"), "{}", bash.message);
    assert_eq!(
        bash.fix_action,
        Some(Fix::CommentOutShadow {
            file: home.join(".bashrc"),
            line: line_of(&bashrc, "export GOPROXY=")
        })
    );

    // VS Code: go.toolsEnvVars and http.proxy (both proxy variables), terminal separately.
    let settings = fixture("settings.json");
    let c = cell(&report, "GOPROXY", "vscode-user:Code");
    assert_eq!(c.value.as_deref(), Some("https://vscode.example/go,direct"));
    assert_eq!(
        c.line,
        Some(line_of(&settings, "\"GOPROXY\": \"https://vscode"))
    );
    for var in ["HTTP_PROXY", "HTTPS_PROXY"] {
        let c = cell(&report, var, "vscode-user:Code");
        assert_eq!(
            c.value.as_deref(),
            Some("http://alice:xxxxx@proxy.corp.example:3128")
        );
        assert_eq!(c.line, Some(line_of(&settings, "\"http.proxy\"")));
    }
    let c = cell(&report, "GOPROXY", "vscode-user-terminal:Code");
    assert_eq!(c.value.as_deref(), Some("https://terminal.example"));
    let f = findings(&report, "shadowed-in-vscode", "GOPROXY");
    assert!(f.iter().any(|f| f.fix_action
        == Some(Fix::RemoveVsCodeKey {
            file: home.join(".config/Code/User/settings.json"),
            key_path: vec!["go.toolsEnvVars".into(), "GOPROXY".into()],
        })));

    // GoLand: the project's Go Modules environment and a run configuration.
    let xml = fixture("workspace.xml");
    let c = cell(&report, "GOPROXY", "goland-workspace");
    assert_eq!(c.value.as_deref(), Some("https://old.example"));
    assert_eq!(c.line, Some(line_of(&xml, "key=\"GOPROXY\"")));
    let f = findings(&report, "shadowed-in-goland", "GOPROXY");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.starts_with(&format!(
            "GoLand project (Go Modules environment) sets GOPROXY=https://old.example ({} line {}), which beats the go env file: GoLand's go and gopls use it",
            w.project.join(".idea/workspace.xml").display(),
            line_of(&xml, "key=\"GOPROXY\"")
        )),
        "{}",
        f[0].message
    );
    let c = cell(&report, "GOFLAGS", "goland-run:server");
    assert_eq!(c.value.as_deref(), Some("-mod=vendor"));
    assert_eq!(c.line, Some(line_of(&xml, "name=\"GOFLAGS\"")));

    // direnv and the desktop session.
    let c = cell(&report, "GOPRIVATE", "direnv");
    assert_eq!(
        c.value.as_deref(),
        Some("git.corp.example,*.internal.example")
    );
    assert_eq!(c.line, Some(2));
    let c = cell(&report, "GOPROXY", "session");
    assert_eq!(c.value.as_deref(), Some("https://session.example"));
    assert_eq!(c.line, Some(2));

    // Every go on PATH, by version, agreeing with this process.
    let go = report
        .contexts
        .iter()
        .find(|c| c.id.starts_with("go:"))
        .expect("the go on PATH");
    assert_eq!(go.status, ContextStatus::Ok, "{go:?}");
    assert!(go.label.starts_with("go1."), "{}", go.label);
    assert!(!cell(&report, "GOPROXY", &go.id).mismatch);
    assert_eq!(
        cell(&report, "GOPROXY", &go.id).effective,
        "https://goenv.example,direct"
    );

    assert!(report.has_problems());
    assert_eq!(
        report.summary.warnings,
        report.findings.len() - report.summary.infos
    );
}

#[test]
fn a_clean_home_has_no_mismatch() {
    let sb = Sandbox::new();
    let w = World {
        project: sb.home.join("none"),
        sb,
    };
    let report = w.run();
    let mismatches: Vec<_> = report
        .matrix
        .iter()
        .flat_map(|(var, row)| row.iter().map(move |(ctx, c)| (var, ctx, c)))
        .filter(|(_, _, c)| c.mismatch)
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
    assert!(
        !report.findings.iter().any(|f| f.id.starts_with("shadow")),
        "{:#?}",
        report.findings
    );
}

/// Applies `fix`, checks the file changed and the entry is gone, undoes, checks the bytes.
fn apply_and_undo(env: &Env, fix: &Fix, gone: impl Fn(&[u8]) -> bool) {
    let plan = fix::plan(env, fix).unwrap_or_else(|e| panic!("{fix:?}: {e}"));
    assert!(plan.refusals.is_empty(), "{fix:?}: {:?}", plan.refusals);
    assert!(plan.profile.starts_with(apply::FIX_PREFIX));
    let change = plan
        .changes()
        .next()
        .unwrap_or_else(|| panic!("{fix:?} changes nothing"));
    let path = change.real_path.clone();
    let before = fs::read(&path).ok();
    apply::apply(env, &plan).unwrap();
    let after = fs::read(&path).unwrap();
    assert_ne!(Some(&after), before.as_ref(), "{fix:?}");
    assert!(
        gone(&after),
        "{fix:?}:\n{}",
        String::from_utf8_lossy(&after)
    );
    assert_eq!(
        apply::active_profile(env),
        None,
        "a fix is not a profile switch"
    );
    apply::undo(env).unwrap();
    assert_eq!(
        fs::read(&path).ok(),
        before,
        "{fix:?} not undone byte for byte"
    );
}

#[test]
fn every_fix_applies_and_undoes_byte_for_byte() {
    let w = World::new();
    let env = w.env();
    let report = w.run();
    let mut fixes: Vec<Fix> = Vec::new();
    for f in &report.findings {
        if let Some(fix) = &f.fix_action
            && !fixes.contains(fix)
        {
            fixes.push(fix.clone());
        }
    }
    let kinds: BTreeSet<&str> = fixes.iter().map(fix::kind).collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            "comment_out_shadow",
            "remove_go_land_env",
            "remove_vs_code_key"
        ]),
        "{fixes:#?}"
    );
    let mut session = false;
    for fix in &fixes {
        match fix {
            Fix::CommentOutShadow { file, line } => {
                session |= file.to_string_lossy().contains("environment.d");
                let plan = fix::plan(&env, fix).unwrap();
                let expected = if session && file.to_string_lossy().contains("environment.d") {
                    modroute_core::plan::TargetKind::Session
                } else {
                    modroute_core::plan::TargetKind::RcFile
                };
                assert_eq!(plan.files[0].target, expected);
                apply_and_undo(&env, fix, |b| {
                    !shadow::find_any(b, file).iter().any(|s| s.line == *line)
                        && String::from_utf8_lossy(b).contains(shadow::MARKER)
                });
            }
            Fix::RemoveVsCodeKey { key_path, .. } => {
                apply_and_undo(&env, fix, |b| {
                    !vscode::parse(std::str::from_utf8(b).unwrap())
                        .unwrap()
                        .iter()
                        .any(|e| &e.key_path == key_path)
                });
            }
            Fix::RemoveGoLandEnv { var, line, .. } => {
                apply_and_undo(&env, fix, |b| {
                    !goland::parse(std::str::from_utf8(b).unwrap())
                        .unwrap()
                        .iter()
                        .any(|e| &e.var == var && e.line == *line)
                });
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(session, "the environment.d line has a fix too");

    // The go env file fixes, through the codec.
    let goenv_path = w.home().join(".config/go/env");
    fs::write(
        &goenv_path,
        "# mine\r\nGOPROXY=\"https://goenv.example,direct\"\r\nexport GOSUMDB=off\r\n",
    )
    .unwrap();
    let value = |b: &[u8], key: &str| goenv::GoEnvFile::parse(b).get(key).map(|e| e.value);
    apply_and_undo(
        &env,
        &Fix::SetGoEnv {
            var: "GOPROXY".into(),
            value: "https://new.example,direct".into(),
        },
        |b| value(b, "GOPROXY").as_deref() == Some("https://new.example,direct"),
    );
    apply_and_undo(
        &env,
        &Fix::UnsetGoEnv {
            var: "GOPROXY".into(),
        },
        |b| value(b, "GOPROXY").is_none(),
    );
    apply_and_undo(&env, &Fix::NormalizeGoEnv, |b| {
        b == b"# mine\nGOPROXY=https://goenv.example,direct\nGOSUMDB=off\n"
    });
    // A value go would reject is refused before anything is planned.
    assert!(
        fix::plan(
            &env,
            &Fix::SetGoEnv {
                var: "GOPROXY".into(),
                value: "ftp://goproxy.example".into()
            }
        )
        .is_err()
    );
    assert!(
        fix::plan(
            &env,
            &Fix::SetGoEnv {
                var: "HTTPS_PROXY".into(),
                value: "http://p:1".into()
            }
        )
        .is_err(),
        "a network setting in the go env file has no effect"
    );
}

#[test]
fn removing_vs_code_keys_keeps_every_comment_and_still_parses() {
    let w = World::new();
    let env = w.env();
    let file = w.home().join(".config/Code/User/settings.json");
    let original = fixture("settings.json");
    for key_path in [
        vec!["go.toolsEnvVars", "GOPROXY"],
        vec!["http.proxy"],
        vec!["terminal.integrated.env.linux", "GOPROXY"],
    ] {
        let fix = Fix::RemoveVsCodeKey {
            file: file.clone(),
            key_path: key_path.iter().map(|s| s.to_string()).collect(),
        };
        apply::apply(&env, &fix::plan(&env, &fix).unwrap()).unwrap();
    }
    let text = fs::read_to_string(&file).unwrap();
    // Comments on their own lines all survive; the one trailing the removed GOPROXY goes with it.
    for comment in original
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("//") || l.starts_with("/*"))
    {
        assert!(text.contains(comment), "{comment:?} lost:\n{text}");
    }
    assert!(!text.contains("TODO remove"));
    let entries = vscode::parse(&text).unwrap();
    let left: Vec<String> = entries.iter().map(|e| e.key_path.join(".")).collect();
    assert_eq!(left, ["go.toolsEnvVars.GOFLAGS"], "{text}");
    assert!(text.contains("\"CGO_ENABLED\": \"0\",\n    },"), "{text}");
    assert!(text.contains("\"go.useLanguageServer\": true,"), "{text}");
    // Undo all three, newest first: the original bytes.
    for _ in 0..3 {
        apply::undo(&env).unwrap();
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), original);
}

#[test]
fn stale_or_protected_targets_are_refused() {
    let w = World::new();
    let env = w.env();
    let bashrc = w.home().join(".bashrc");
    let err = fix::plan(
        &env,
        &Fix::CommentOutShadow {
            file: bashrc.clone(),
            line: 1,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
    let err = fix::plan(
        &env,
        &Fix::RemoveGoLandEnv {
            file: w.project.join(".idea/workspace.xml"),
            var: "GOPROXY".into(),
            line: 3,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("GOPROXY on line 3"), "{err}");
    let err = fix::plan(
        &env,
        &Fix::RemoveVsCodeKey {
            file: w.home().join(".bashrc"),
            key_path: vec!["http.proxy".into()],
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("settings.json"), "{err}");
    // A read-only file is a refusal, with the result to write by hand.
    let mut perms = fs::metadata(&bashrc).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&bashrc, perms).unwrap();
    let line = line_of(&fixture("debian.bashrc"), "export GOPROXY=");
    let plan = fix::plan(&env, &Fix::CommentOutShadow { file: bashrc, line }).unwrap();
    assert_eq!(plan.refusals.len(), 1, "{:?}", plan.refusals);
    assert!(plan.refusals[0].reason.contains("read-only"));
    assert!(apply::apply(&env, &plan).is_err());
}

/// A fake /proc entry.
fn fake_process(root: &Path, pid: u32, comm: &str, argv0: &str, environ: Option<&str>, start: u64) {
    let dir = root.join(pid.to_string());
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("comm"), format!("{comm}\n")).unwrap();
    fs::write(dir.join("cmdline"), format!("{argv0}\0--flag\0")).unwrap();
    if let Some(environ) = environ {
        fs::write(dir.join("environ"), environ.replace(';', "\0")).unwrap();
    }
    fs::write(
        dir.join("stat"),
        format!(
            "{pid} ({comm}) S 1 {pid} {pid} 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 {start} 1000 10"
        ),
    )
    .unwrap();
}

#[test]
fn running_ide_processes_come_from_proc_with_their_start_time() {
    let w = World::new();
    let env = w.env();
    let root = w.home().join("proc");
    fs::create_dir_all(root.join("self")).unwrap();
    fs::write(
        root.join("stat"),
        "cpu 1 2 3\nbtime 1700000000\nprocesses 9\n",
    )
    .unwrap();
    let stale = "HOME=/h;GOPROXY=https://stale.example;PATH=/bin;";
    fake_process(
        &root,
        100,
        "code",
        "/usr/share/code/code",
        Some(stale),
        500 * 100,
    );
    fake_process(
        &root,
        101,
        "code",
        "/usr/share/code/code",
        Some(stale),
        600 * 100,
    );
    fake_process(
        &root,
        200,
        "gopls",
        "/home/u/go/bin/gopls",
        Some("GOPROXY=https://goenv.example,direct;"),
        2000 * 100,
    );
    fake_process(&root, 300, "bash", "bash", Some("GOPROXY=x;"), 100);
    fake_process(&root, 400, "java", "/opt/goland/bin/goland.sh", None, 100);
    use std::os::unix::fs::MetadataExt;
    let uid = fs::metadata(&root).unwrap().uid();

    let seen = contexts::processes(&root, uid, Some(1_700_000_000 + 1000));
    let ids: Vec<&str> = seen.iter().map(|o| o.context.id.as_str()).collect();
    // 101 has the same name and variables as 100; bash is no IDE; 400 has no readable environ.
    assert_eq!(ids, ["pid:100", "pid:200"]);
    assert_eq!(seen[0].context.started_before_switch, Some(true));
    assert_eq!(seen[1].context.started_before_switch, Some(false));
    assert_eq!(seen[0].context.label, "code (pid 100)");
    match &seen[0].seen {
        Seen::Environment { vars, .. } => {
            assert_eq!(
                vars.get("GOPROXY").map(String::as_str),
                Some("https://stale.example")
            );
            assert!(!vars.contains_key("PATH"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        contexts::processes(&root, uid + 1, None).is_empty(),
        "other users' processes"
    );

    let compared = matrix::compare(&env, &seen);
    assert!(compared.matrix["GOPROXY"]["pid:100"].mismatch);
    assert!(!compared.matrix["GOPROXY"]["pid:200"].mismatch);
    let f = &compared.findings[0];
    assert_eq!(f.id, "shadowed-in-running-process");
    assert_eq!(f.fix_action, None);
    assert!(f.fix.as_deref().unwrap().contains("restart"), "{f:?}");
    assert!(
        f.message.contains("started before the last switch"),
        "{}",
        f.message
    );

    // Through `run`, with the fake root: the uid comes from `<root>/self`.
    let report = doctor::run(
        &env,
        None,
        &Options {
            shells: false,
            session: false,
            go_binaries: false,
            processes: true,
            proc_root: root,
            ..Options::default()
        },
    );
    assert!(
        report
            .contexts
            .iter()
            .any(|c| c.id == "pid:100" && c.pid == Some(100))
    );
}

#[test]
fn the_json_has_the_contract_keys() {
    let w = World::new();
    let report = w.run();
    let json = serde_json::to_value(&report).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&json),
        [
            "contexts",
            "findings",
            "generated_at",
            "matrix",
            "project",
            "reference",
            "summary"
        ]
    );
    assert_eq!(
        json["reference"].as_object().unwrap().len(),
        modroute_core::Setting::ALL.len()
    );
    for context in json["contexts"].as_array().unwrap() {
        for key in [
            "id",
            "kind",
            "label",
            "status",
            "error",
            "elapsed_ms",
            "file",
            "pid",
            "started_before_switch",
        ] {
            assert!(context.get(key).is_some(), "{key} missing in {context}");
        }
    }
    let kinds: BTreeSet<&str> = json["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "process",
        "shell",
        "ide_launch",
        "session",
        "vscode",
        "goland",
        "direnv",
        "go_binary",
    ] {
        assert!(kinds.contains(kind), "{kind}: {kinds:?}");
    }
    assert_eq!(
        keys(&json["matrix"]["GOPROXY"]["bash-interactive"]),
        ["effective", "file", "line", "mismatch", "value"]
    );
    assert_eq!(
        json["matrix"].as_object().unwrap().len(),
        modroute_core::Setting::ALL.len()
    );
    let finding = &json["findings"][0];
    assert_eq!(
        keys(finding),
        [
            "context",
            "file",
            "fix",
            "fix_action",
            "id",
            "line",
            "message",
            "severity",
            "var"
        ]
    );
    assert_eq!(keys(&json["summary"]), ["errors", "infos", "warnings"]);
    let vscode = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fix_action"]["kind"] == "remove_vs_code_key")
        .unwrap();
    assert!(vscode["fix_action"]["key_path"].is_array());
    assert_eq!(json["project"], w.project.to_string_lossy().as_ref());
}

#[test]
fn reports_never_carry_a_password() {
    let w = World::new();
    let report = w.run();
    let json = serde_json::to_string(&report).unwrap();
    let md = doctor::markdown(&report);
    for text in [&json, &md] {
        assert!(
            !text.contains("s3cret"),
            "the VS Code proxy password leaked"
        );
        assert!(
            !text.contains("hunter2"),
            "the .bashrc proxy password leaked"
        );
        assert!(text.contains("proxy.corp.example"), "hosts are kept");
    }
    // The ticket drops user names in URLs too (often tokens).
    assert!(!md.contains("alice"), "{md}");
    assert!(md.contains("## Matrix"));
    assert!(
        md.contains("**`https://bashrc.example/go,direct`**"),
        "{md}"
    );
    assert!(
        md.contains("`https://goproxy.io\\|https://proxy.golang.org`"),
        "{md}"
    );
    assert!(md.contains("## Findings"));
}

#[test]
fn a_hanging_start_up_file_times_out_and_is_reported() {
    if tool("zsh").is_none() {
        return;
    }
    let w = World::new();
    w.sb.write(
        "zdot/.zshrc",
        "echo waiting; sleep 30\nexport GOPROXY=never\n",
    );
    let started = Instant::now();
    let report = doctor::run(
        &w.env(),
        None,
        &Options {
            timeout: Duration::from_secs(1),
            processes: false,
            ..Options::default()
        },
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let zsh = report
        .contexts
        .iter()
        .find(|c| c.id == "zsh-interactive")
        .unwrap();
    assert_eq!(zsh.status, ContextStatus::Timeout, "{zsh:?}");
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.id == "context-timeout" && f.context == "zsh-interactive")
    );
    // The login shell does not read .zshrc and is unaffected.
    assert_eq!(
        report
            .contexts
            .iter()
            .find(|c| c.id == "zsh-login")
            .unwrap()
            .status,
        ContextStatus::Ok
    );
}

#[test]
fn environment_d_is_read_as_systemds_generator_reads_it() {
    const GENERATOR: &str =
        "/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator";
    if !Path::new(GENERATOR).exists() {
        eprintln!("SKIPPED: {GENERATOR} is not installed");
        return;
    }
    let sb = Sandbox::new();
    let text = "GOPROXY=\"https://a.example/$$x,direct\"\nGOPRIVATE='*.corp.example'\n  GOFLAGS = -mod=mod  \nGONOSUMDB=${GOPRIVATE},x\nHTTPS_PROXY=http://p\\ x:1\n";
    sb.write(".config/environment.d/50-test.conf", text);
    let out = crate::support::run(&mut sb.command(GENERATOR, &[]), Duration::from_secs(30));
    let generated: std::collections::BTreeMap<String, String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    let mut vars = std::collections::BTreeMap::new();
    let parsed = modroute_core::session::environment_d::parse(text, &mut vars);
    assert_eq!(parsed.len(), 5);
    for p in parsed {
        let want = generated
            .get(&p.name)
            .unwrap_or_else(|| panic!("{} not generated", p.name));
        // The generator prints values with special characters as "…" with backslash escapes.
        let want = match want.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
            Some(inner) => {
                let mut out = String::new();
                let mut chars = inner.chars();
                while let Some(c) = chars.next() {
                    out.extend(if c == '\\' { chars.next() } else { Some(c) });
                }
                out
            }
            None => want.clone(),
        };
        assert_eq!(p.value, want, "{}", p.name);
    }
}

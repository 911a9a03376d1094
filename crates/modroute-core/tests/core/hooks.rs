//! Already-open shells follow a switch at their next prompt: interactive bash, zsh, fish and
//! tcsh run under tmux (a private server per test, its socket inside the sandbox), wired with
//! the real rc blocks in a sandbox HOME. Each test switches the env files, checks the open shell
//! does *not* see the change before a prompt and does after one, that dropped variables
//! disappear, and that `$?` survives the hook. Plus the per-prompt cost of the hook, printed
//! (never asserted).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use modroute_core::shell::{self, Assignment, ConfigLocation, ShellKind};

use crate::support::{Sandbox, parse_env0, run, tool};

const WAIT: Duration = Duration::from_secs(20);

/// A private tmux server running one interactive shell in the sandbox HOME.
struct Tmux<'a> {
    sb: &'a Sandbox,
    socket: String,
}

impl<'a> Tmux<'a> {
    fn start(sb: &'a Sandbox, shell_cmd: &str) -> Self {
        // The server's socket lives inside the sandbox (TMUX_TMPDIR), so nothing outlives it.
        let socket = "t".to_owned();
        let t = Tmux { sb, socket };
        let home = sb.home.to_str().unwrap();
        let out = run(
            &mut t.tmux(&[
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                "160",
                "-y",
                "40",
                "-c",
                home,
                shell_cmd,
            ]),
            WAIT,
        );
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Wait until the shell has drawn something (its prompt) before typing.
        let deadline = Instant::now() + WAIT;
        while t.screen().trim().is_empty() {
            assert!(Instant::now() < deadline, "{shell_cmd} never drew a prompt");
            thread::sleep(Duration::from_millis(20));
        }
        t
    }

    fn tmux(&self, args: &[&str]) -> Command {
        let mut a = vec!["-L", self.socket.as_str(), "-f", "/dev/null"];
        a.extend_from_slice(args);
        let mut c = self.sb.command("tmux", &a);
        c.env("TMUX_TMPDIR", self.sb.home.parent().unwrap());
        c
    }

    fn screen(&self) -> String {
        let out = run(&mut self.tmux(&["capture-pane", "-p", "-t", "t"]), WAIT);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen stops changing: the prompt after the last command (and so its
    /// hook) has been drawn.
    fn settle(&self) {
        let deadline = Instant::now() + WAIT;
        let mut last = self.screen();
        loop {
            thread::sleep(Duration::from_millis(150));
            let now = self.screen();
            if now == last || Instant::now() > deadline {
                return;
            }
            last = now;
        }
    }

    /// Types `line` and Enter.
    fn line(&self, line: &str) {
        for args in [
            &["send-keys", "-t", "t", "-l", line][..],
            &["send-keys", "-t", "t", "Enter"],
        ] {
            let out = run(&mut self.tmux(args), WAIT);
            assert!(
                out.status.success(),
                "send-keys: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    /// Runs `cmd > name` in the shell (atomically: tmp + mv) and returns the file's bytes.
    fn capture(&self, cmd: &str, name: &str) -> Vec<u8> {
        let path = self.sb.home.join(name);
        let _ = fs::remove_file(&path);
        self.line(&format!("{cmd} > {name}.tmp && mv {name}.tmp {name}"));
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(b) = fs::read(&path) {
                return b;
            }
            assert!(
                Instant::now() < deadline,
                "no {name} after {WAIT:?}; screen:\n{}",
                self.screen()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    fn env(&self, name: &str) -> std::collections::BTreeMap<Vec<u8>, Vec<u8>> {
        parse_env0(&self.capture("env -0", name))
    }
}

impl Drop for Tmux<'_> {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]).output();
    }
}

fn state(https: &'static str, no_proxy: Option<&'static str>) -> Vec<Assignment<'static>> {
    shell::network_assignments(move |k| match k {
        "HTTPS_PROXY" => Some(https),
        "NO_PROXY" => no_proxy,
        _ => None,
    })
}

fn get<'m>(env: &'m std::collections::BTreeMap<Vec<u8>, Vec<u8>>, k: &str) -> Option<&'m str> {
    env.get(k.as_bytes())
        .map(|v| std::str::from_utf8(v).unwrap())
}

const A: &str = "http://a.example:1 'one' $x";
const B: &str = "http://b.example:2 `two` !!";
const C: &str = "http://c.example:3 \\three\\";

/// The common scenario; `status_var` is how the shell spells the last exit status.
fn follows_switch_at_next_prompt<'a>(
    sb: &'a Sandbox,
    shell_cmd: &str,
    status_var: &str,
) -> Tmux<'a> {
    sb.install(&ShellKind::ALL);
    sb.switch(&state(A, Some("keep.example")));
    let t = Tmux::start(sb, shell_cmd);

    let e = t.env("o1");
    assert_eq!(get(&e, "HTTPS_PROXY"), Some(A), "{shell_cmd}: startup");
    assert_eq!(get(&e, "no_proxy"), Some("keep.example"));

    // Let the prompt after that command finish, then switch.
    t.settle();
    sb.switch(&state(B, None));
    let e = t.env("o2");
    assert_eq!(
        get(&e, "HTTPS_PROXY"),
        Some(A),
        "{shell_cmd}: changed without a prompt"
    );
    t.line("");
    let e = t.env("o3");
    assert_eq!(
        get(&e, "HTTPS_PROXY"),
        Some(B),
        "{shell_cmd}: not followed at next prompt"
    );
    assert_eq!(get(&e, "https_proxy"), Some(B));
    assert_eq!(
        get(&e, "NO_PROXY"),
        None,
        "{shell_cmd}: dropped variable survived"
    );
    assert_eq!(get(&e, "no_proxy"), None);

    // `$?` survives a prompt whose hook re-sources.
    t.settle();
    sb.switch(&state(C, None));
    t.line("false");
    let status = t.capture(&format!("echo {status_var}"), "o4");
    assert_eq!(status, b"1\n", "{shell_cmd}: exit status lost");
    assert_eq!(get(&t.env("o5"), "HTTPS_PROXY"), Some(C));
    t
}

#[test]
fn bash_with_a_string_prompt_command() {
    if tool("tmux").is_none() {
        return;
    }
    let sb = Sandbox::new();
    // Sets PROMPT_COMMAND as a string (after the values block, before the hook block).
    sb.write(
        ".bashrc",
        &fs::read_to_string(fixture("ide-guards.bashrc")).unwrap(),
    );
    let t = follows_switch_at_next_prompt(&sb, "bash -i", "$?");
    let pc = t.capture("echo \"$PROMPT_COMMAND\"", "o6");
    assert_eq!(pc, b"__modroute_hook;__user_seen=$?; history -a\n");
    // The user's command after the hook in the same string saw the real status.
    t.line("false");
    assert_eq!(t.capture("echo $__user_seen", "o8"), b"1\n");
    // Re-reading .bashrc does not install the hook twice.
    t.line(". ~/.bashrc");
    assert_eq!(t.capture("echo \"$PROMPT_COMMAND\"", "o7"), pc);
}

#[test]
fn bash_with_an_array_prompt_command() {
    if tool("tmux").is_none() {
        return;
    }
    let sb = Sandbox::new();
    sb.write(
        ".bashrc",
        "__user_pc() { __user_seen=$?; }\nPROMPT_COMMAND=(__user_pc)\n",
    );
    let t = follows_switch_at_next_prompt(&sb, "bash -i", "$?");
    t.line("false");
    // The user's PROMPT_COMMAND entry, which runs after the hook, saw the real status.
    assert_eq!(t.capture("echo $__user_seen", "o6"), b"1\n");
    t.line(". ~/.bashrc");
    assert_eq!(
        t.capture("declare -p PROMPT_COMMAND", "o7"),
        b"declare -a PROMPT_COMMAND=([0]=\"__modroute_hook\" [1]=\"__user_pc\")\n"
    );
}

#[test]
fn zsh_precmd() {
    if tool("tmux").is_none() || tool("zsh").is_none() {
        return;
    }
    let sb = Sandbox::new();
    // A user precmd function registered after ours sees the real `$?`.
    sb.write(
        "zdot/.zshrc",
        "__user_pc() { __user_seen=$?; }\nprecmd_functions+=(__user_pc)\n",
    );
    let t = follows_switch_at_next_prompt(&sb, "zsh -i", "$?");
    t.line("false");
    assert_eq!(t.capture("echo $__user_seen", "o7"), b"1\n");
    assert_eq!(
        t.capture("print -r -- ${precmd_functions[(r)__modroute_hook]}", "o6"),
        b"__modroute_hook\n"
    );
}

#[test]
fn fish_prompt_event() {
    if tool("tmux").is_none() || tool("fish").is_none() {
        return;
    }
    let sb = Sandbox::new();
    follows_switch_at_next_prompt(&sb, "fish -i", "$status");
}

#[test]
fn tcsh_precmd_chains_the_users_alias() {
    if tool("tmux").is_none() || tool("tcsh").is_none() {
        return;
    }
    let sb = Sandbox::new();
    sb.write(
        ".tcshrc",
        "alias precmd 'set __user_precmd = ran'\nset prompt = '> '\n",
    );
    let t = follows_switch_at_next_prompt(&sb, "tcsh -i", "$status");
    assert_eq!(t.capture("echo $__user_precmd", "o6"), b"ran\n");
    // A value set by hand survives prompts while the profile does not change.
    t.line("setenv HTTPS_PROXY manual");
    t.line("");
    assert_eq!(get(&t.env("o7"), "HTTPS_PROXY"), Some("manual"));
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/core/fixtures")
        .join(name)
}

/// How long the hook takes per prompt when nothing changed, against an empty function: printed
/// (run with `--nocapture`), never asserted. `benches/prompt-hook.sh` measures the same with
/// hyperfine and compares with direnv.
#[test]
fn hook_cost_when_nothing_changed() {
    let sb = Sandbox::new();
    sb.switch(&state(A, None));
    let loc = ConfigLocation::from_env(&sb.env()).unwrap();
    let n = 20_000;
    let cases: &[(&str, ShellKind, &[&str], String)] = &[
        (
            "bash",
            ShellKind::Bash,
            &["--noprofile", "--norc", "-c"],
            format!("for ((i=0;i<{n};i++)); do __F; done"),
        ),
        (
            "zsh",
            ShellKind::Zsh,
            &["-f", "-c"],
            format!("for ((i=0;i<{n};i++)); do __F; done"),
        ),
        (
            "fish",
            ShellKind::Fish,
            &["--no-config", "-c"],
            format!("for i in (seq {n}); __F; end"),
        ),
    ];
    for (bin, kind, flags, lp) in cases {
        if which::which(bin).is_err() {
            continue;
        }
        let hook = shell::hook_text(*kind, &loc).unwrap();
        let noop = if *bin == "fish" {
            "function __noop; end\n"
        } else {
            "__noop() { :; }\n"
        };
        let time = |script: String| {
            let mut args = flags.to_vec();
            args.push(&script);
            let start = Instant::now();
            let out = run(&mut sb.command(bin, &args), Duration::from_secs(120));
            assert!(
                out.status.success(),
                "{bin}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            start.elapsed()
        };
        // The first call applies (the shell has no generation yet); the loop measures the rest.
        let with_hook = time(format!(
            "{hook}__modroute_hook\n{}",
            lp.replace("__F", "__modroute_hook")
        ));
        let with_noop = time(format!(
            "{hook}__modroute_hook\n{noop}{}",
            lp.replace("__F", "__noop")
        ));
        let per = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(n);
        eprintln!(
            "hook cost ({bin}, no change): {:.1} µs per prompt (empty function: {:.1} µs)",
            per(with_hook),
            per(with_noop)
        );
    }
}

/// Writes a wired sandbox for `benches/prompt-hook.sh` when `MODROUTE_BENCH_DIR` is set.
#[test]
fn bench_fixture() {
    #[allow(clippy::disallowed_methods)] // a switch for the bench script, not core code
    let Some(dir) = std::env::var_os("MODROUTE_BENCH_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let loc = ConfigLocation::new(&dir.join("config/modroute"), Some(&dir)).unwrap();
    fs::create_dir_all(loc.dir()).unwrap();
    for f in shell::render_env_files(&state(A, Some("keep.example"))).unwrap() {
        fs::write(loc.file(f.name), f.text).unwrap();
    }
    fs::write(loc.file(shell::GEN_FILE), "1\n").unwrap();
    for kind in [ShellKind::Bash, ShellKind::Zsh, ShellKind::Fish] {
        fs::write(
            dir.join(format!("hook.{}", kind.name())),
            shell::hook_text(kind, &loc).unwrap(),
        )
        .unwrap();
    }
}

/// nushell: the `pre_prompt` hook the `config.nu` block registers applies a switch. (No tmux:
/// the hook closure is called the way nushell calls it before a prompt.)
#[test]
fn nu_pre_prompt_hook() {
    if tool("nu").is_none() {
        return;
    }
    let sb = Sandbox::new();
    sb.install(&ShellKind::ALL);
    sb.switch(&state(A, Some("keep.example")));
    let next = sb.home.join("next.json");
    fs::write(
        &next,
        shell::render_env_file(shell::Syntax::Nu, &state(B, None)).unwrap(),
    )
    .unwrap();
    let dir = sb.config_dir();
    let q = |p: &Path| shell::nu::quote(p.to_str().unwrap());
    let script = format!(
        "if $env.HTTPS_PROXY != {a} {{ exit 3 }}\n\
         cp {next} {env_json}\n\
         \"99\\n\" | save -f {gen_file}\n\
         let hooks = ($env.config.hooks.pre_prompt | where {{|h| ($h | describe) =~ '^record' and ('__modroute' in $h) }})\n\
         if ($hooks | length) != 1 {{ exit 4 }}\n\
         do --env ($hooks | first | get code)\n\
         ^env -0\n",
        a = shell::nu::quote(A),
        next = q(&next),
        env_json = q(&dir.join("env.json")),
        gen_file = q(&dir.join(shell::GEN_FILE)),
    );
    let out = run(&mut sb.command("nu", &["-l", "-c", &script]), WAIT);
    assert!(
        out.status.success(),
        "nu: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let e = parse_env0(&out.stdout);
    assert_eq!(get(&e, "HTTPS_PROXY"), Some(B));
    assert_eq!(get(&e, "NO_PROXY"), None);
}

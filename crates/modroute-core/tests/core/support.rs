//! Shared test helpers: a sandbox HOME, hermetic shell commands with timeouts, NUL-separated
//! environment parsing, the adversarial value generator, and a stand-in for the apply engine
//! that writes env files and rc blocks with `std::fs`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use modroute_core::Env;
use modroute_core::env::TargetOs;
use modroute_core::paths;
use modroute_core::rcblock;
use modroute_core::shell::{self, Assignment, RcEdit, ShellKind};

/// A temporary HOME (with a space and a quote in its path, to exercise path quoting), with
/// `XDG_CONFIG_HOME` and `ZDOTDIR` set explicitly inside it.
pub struct Sandbox {
    _dir: tempfile::TempDir,
    pub home: PathBuf,
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("modroute-test")
            .tempdir()
            .unwrap();
        let home = dir.path().join("ho me's");
        fs::create_dir_all(home.join("zdot")).unwrap();
        fs::create_dir_all(home.join(".config")).unwrap();
        Sandbox { _dir: dir, home }
    }

    pub fn vars(&self) -> Vec<(String, String)> {
        let h = self.home.to_str().unwrap();
        vec![
            ("HOME".into(), h.into()),
            ("XDG_CONFIG_HOME".into(), format!("{h}/.config")),
            ("ZDOTDIR".into(), format!("{h}/zdot")),
            ("SHELL".into(), "/bin/bash".into()),
            ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
            ("LANG".into(), "C.UTF-8".into()),
            ("TERM".into(), "xterm".into()),
            ("USER".into(), "modroute-test".into()),
        ]
    }

    pub fn env(&self) -> Env {
        Env::from_vars_on(TargetOs::Unix, self.vars())
    }

    pub fn config_dir(&self) -> PathBuf {
        paths::config_dir(&self.env()).unwrap()
    }

    /// `program args…` with a cleared environment holding only the sandbox's variables.
    pub fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.args(args)
            .env_clear()
            .envs(self.vars())
            .current_dir(&self.home)
            .stdin(Stdio::null());
        c
    }

    /// Writes the env files of `vars` and bumps the generation file, as a switch does.
    pub fn switch(&self, vars: &[Assignment<'_>]) {
        let dir = self.config_dir();
        fs::create_dir_all(&dir).unwrap();
        for f in shell::render_env_files(vars).unwrap() {
            fs::write(dir.join(f.name), f.text).unwrap();
        }
        let gen_path = dir.join(shell::GEN_FILE);
        let current = fs::read(&gen_path).ok();
        fs::write(&gen_path, shell::next_gen(current.as_deref())).unwrap();
    }

    /// Wires up `shells` the way the apply engine will: splice each rc target.
    pub fn install(&self, shells: &[ShellKind]) {
        let env = self.env();
        let targets = shell::rc_targets(&env, shells, &|p: &Path| p.exists()).unwrap();
        for t in targets {
            let existing = match fs::read(&t.path) {
                Ok(b) => b,
                Err(_) if t.create_if_missing => Vec::new(),
                Err(_) => continue,
            };
            let new = match &t.edit {
                RcEdit::Block {
                    markers,
                    body,
                    placement,
                } => rcblock::splice(&existing, markers, body, *placement).unwrap(),
                RcEdit::OwnedFile { text } => text.clone().into_bytes(),
            };
            fs::create_dir_all(t.path.parent().unwrap()).unwrap();
            fs::write(&t.path, new).unwrap();
        }
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.home.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

/// Runs `cmd` to completion, killing it after `timeout`.
pub fn run(cmd: &mut Command, timeout: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let out = reader(&mut child, true);
    let err = reader(&mut child, false);
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("timed out after {timeout:?}: {cmd:?}");
        }
        thread::sleep(Duration::from_millis(2));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn reader(child: &mut Child, stdout: bool) -> thread::JoinHandle<Vec<u8>> {
    let mut pipe: Box<dyn Read + Send> = if stdout {
        Box::new(child.stdout.take().unwrap())
    } else {
        Box::new(child.stderr.take().unwrap())
    };
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}

/// Parses `env -0` output.
pub fn parse_env0(bytes: &[u8]) -> BTreeMap<Vec<u8>, Vec<u8>> {
    bytes
        .split(|&b| b == 0)
        .filter(|e| !e.is_empty())
        .filter_map(|e| {
            let i = e.iter().position(|&b| b == b'=')?;
            Some((e[..i].to_vec(), e[i + 1..].to_vec()))
        })
        .collect()
}

/// The program's path, or `None` (with a note) when this machine lacks it.
pub fn tool(name: &str) -> Option<PathBuf> {
    match which::which(name) {
        Ok(p) => Some(p),
        Err(_) => {
            #[allow(clippy::disallowed_methods)] // a switch for the test run itself, not core code
            let required = std::env::var_os("MODROUTE_REQUIRE_ALL_TOOLS").is_some();
            assert!(!required, "{name} is required but not installed");
            eprintln!("SKIPPED: {name} is not installed");
            None
        }
    }
}

/// Every `go` the oracle tests compare with: the one on PATH (Debian's), then the versions of
/// the matrix `cargo xtask test` installs (`MODROUTE_GO_MATRIX`, paths separated like PATH:
/// Go 1.21, 1.24 and 1.27). Under xtask (`MODROUTE_REQUIRE_ALL_TOOLS`) a missing matrix fails.
pub fn go_binaries() -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = tool("go").into_iter().collect();
    #[allow(clippy::disallowed_methods)] // the test run's own switches, not core code
    let (matrix, required) = (
        std::env::var_os("MODROUTE_GO_MATRIX"),
        std::env::var_os("MODROUTE_REQUIRE_ALL_TOOLS").is_some(),
    );
    match matrix {
        Some(list) => {
            all.extend(std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()))
        }
        None => assert!(
            !required,
            "MODROUTE_GO_MATRIX is not set: `cargo xtask test` installs Go 1.21, 1.24 and 1.27"
        ),
    }
    for go in &all {
        assert!(go.is_file(), "{} does not exist", go.display());
    }
    all
}

/// The version of a `go` binary (`go1.24.11`), read from its GOROOT's VERSION file.
pub fn go_version(go: &Path) -> String {
    let root = fs::canonicalize(go).unwrap_or_else(|_| go.to_path_buf());
    let root = root
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("/"));
    fs::read_to_string(root.join("VERSION"))
        .ok()
        .and_then(|t| t.lines().next().map(str::to_string))
        .unwrap_or_else(|| go.display().to_string())
}

/// Runs `each` for every go of [`go_binaries`] in parallel threads and joins the
/// disagreements they report (each prefixed with the version).
pub fn across_go_versions(each: impl Fn(&Path) -> Vec<String> + Sync) -> Vec<String> {
    let gos = go_binaries();
    thread::scope(|scope| {
        let handles: Vec<_> = gos
            .iter()
            .map(|go| {
                let each = &each;
                scope.spawn(move || {
                    let version = go_version(go);
                    each(go)
                        .into_iter()
                        .map(|d| format!("[{version}] {d}"))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("an oracle thread panicked"))
            .collect()
    })
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Fragments that have broken somebody's quoting: quotes, expansions, command substitutions
/// that would create `canary`, history and glob characters, shell keywords, control and
/// non-ASCII characters.
pub fn fragments(canary: &Path) -> Vec<String> {
    let c = canary.display();
    let mut f: Vec<String> = [
        "'",
        "\"",
        "$HOME",
        "${HOME}",
        "$",
        "$$",
        "$?",
        "$1",
        "\\$",
        "\\",
        "\\\\",
        "\\'",
        "'\\''",
        "\\\"",
        "`",
        "!",
        "!!",
        "!$",
        "!-1",
        "!#",
        "^",
        "*",
        "?",
        "[a]",
        "[!a]",
        "{a,b}",
        "~",
        "~root",
        "#",
        " # x",
        ";",
        "&",
        "&&",
        "|",
        "||",
        "<",
        ">",
        ">>",
        "(",
        ")",
        "=",
        " ",
        "  ",
        "\t",
        "中文",
        "ü",
        "🦀",
        "",
        "%40",
        "%PATH%",
        "\\n",
        "\\t",
        "\\x41",
        "'#",
        "'##",
        "\"'\"",
        "$'x'",
        "\u{1}",
        "\u{1b}[31m",
        "\u{7f}",
        "endif",
        "end",
        "fi",
        "done",
        "EOF",
        "--",
        "-e",
        "-n",
        "-gx",
        "@",
        "\u{2019}",
        "\u{feff}",
        "\u{a0}",
        "{",
        "}",
        "%",
        "$(",
        "${",
        "\\\n",
        "http://user:p@ss$w0rd@proxy.example:3128",
        "*.corp.example.com,github.com/org/*",
    ]
    .iter()
    .map(|s| s.to_string())
    .filter(|s| !s.contains('\n'))
    .collect();
    f.push(format!("$(touch {c})"));
    f.push(format!("`touch {c}`"));
    f.push(format!("; touch {c}"));
    f.push(format!("'; touch {c}; '"));
    f.push(format!("\"; touch {c}; \""));
    f.push(format!("$(touch${{IFS}}{c})"));
    f.push(format!("(touch {c})"));
    f.push(format!("'\\''; touch {c} #"));
    f
}

/// `n` adversarial values: every fragment alone, wrapped, at the end after a backslash, then
/// seeded random concatenations.
pub fn adversarial_values(canary: &Path, n: usize, seed: u64) -> Vec<String> {
    let f = fragments(canary);
    let mut out: Vec<String> = Vec::new();
    for x in &f {
        out.push(x.clone());
        out.push(format!("a{x}b"));
        out.push(format!("{x}{x}"));
        out.push(format!("x{x}\\"));
    }
    let mut rng = Rng::new(seed);
    while out.len() < n {
        let k = 1 + rng.below(6);
        let v: String = (0..k).map(|_| f[rng.below(f.len())].as_str()).collect();
        out.push(v);
    }
    out.truncate(n);
    out
}

/// The characters that break somebody's quoting or reader: every line break (refused), NUL
/// (refused), other controls, quotes, backslashes, expansion and history characters, Unicode
/// noncharacters and the edges of the planes, fish's private-use range, a BOM.
const TRICKY: &[char] = &[
    '\n',
    '\r',
    '\0',
    '\u{b}',
    '\u{c}',
    '\u{85}',
    '\u{2028}',
    '\u{2029}',
    '\t',
    '\u{1}',
    '\u{1b}',
    '\u{7f}',
    '\u{80}',
    '\u{9f}',
    '\'',
    '"',
    '\\',
    '$',
    '!',
    '`',
    '%',
    '^',
    '*',
    '?',
    '[',
    '{',
    '~',
    '#',
    ';',
    '&',
    '|',
    '<',
    '(',
    ' ',
    '=',
    '\u{a0}',
    '\u{feff}',
    '\u{fffd}',
    '\u{fdd0}',
    '\u{fdef}',
    '\u{fffe}',
    '\u{ffff}',
    '\u{1fffe}',
    '\u{10fffe}',
    '\u{10ffff}',
    '\u{f600}',
    '\u{f6ff}',
    '\u{e000}',
    '\u{d7ff}',
    '\u{f8ff}',
    '\u{10000}',
    '\u{300}',
    '中',
    '🦀',
];

/// Any value at all, weighted towards [`TRICKY`] characters and ASCII: what a profile could
/// hold. Some are refused (line breaks, NUL); the rest must round-trip.
pub fn any_value() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let c = prop_oneof![
        4 => any::<char>(),
        3 => proptest::sample::select(TRICKY),
        3 => proptest::char::range(' ', '~'),
    ];
    proptest::collection::vec(c, 0..20).prop_map(|cs| cs.into_iter().collect())
}

/// Why every env file must refuse `value`, as the module docs promise: `Some("NUL")` or
/// `Some("line break")`; `None` when it must be written.
pub fn must_refuse(value: &str) -> Option<&'static str> {
    if value.contains('\0') {
        Some("NUL")
    } else if value.contains([
        '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
    ]) {
        Some("line break")
    } else {
        None
    }
}

/// Real `go mod download -json <target>` in a fresh temporary HOME, module cache and go env
/// file: GOTOOLCHAIN=local, GOTELEMETRY=off, GOFLAGS=-mod=mod -modcacherw, GOSUMDB=off, PATH
/// holding only `go`'s directory; `vars` are set last (GOPROXY, proxies, SSL_CERT_FILE …).
pub fn go_mod_download(go: &Path, target: &str, vars: &[(&str, &str)]) -> Output {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(go);
    cmd.env_clear()
        .current_dir(tmp.path())
        .env("PATH", go.parent().expect("go lives in a directory"))
        .env("HOME", tmp.path())
        .env("GOPATH", tmp.path().join("gopath"))
        .env("GOMODCACHE", tmp.path().join("modcache"))
        .env("GOCACHE", tmp.path().join("gocache"))
        .env("GOENV", tmp.path().join("goenv"))
        .env("GOTOOLCHAIN", "local")
        .env("GOTELEMETRY", "off")
        .env("GOFLAGS", "-mod=mod -modcacherw")
        .env("GOSUMDB", "off")
        .args(["mod", "download", "-json", target]);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    run(&mut cmd, Duration::from_secs(60))
}

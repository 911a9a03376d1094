//! Shared set-up: a temporary world (HOME, config dirs, files) and runners for `modroute` and
//! the real `go`, both started with exactly the same, explicit environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary HOME plus the variables a child process gets.
pub struct World {
    pub dir: tempfile::TempDir,
    pub vars: Vec<(String, String)>,
}

impl World {
    /// A world whose HOME is `<tmp>/home` and whose PATH holds only the system dirs and `go`.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::create_dir_all(dir.path().join("work")).unwrap();
        let go_dir = real_go().parent().unwrap().to_path_buf();
        let mut world = World {
            dir,
            vars: Vec::new(),
        };
        let home = world.path("home");
        world.set("HOME", &home);
        world.set("PATH", &format!("{}:/usr/bin:/bin", go_dir.display()));
        world.set("GOTELEMETRY", "off");
        world
    }

    /// `<tmp>/<rel>` as a string.
    pub fn path(&self, rel: &str) -> String {
        self.dir.path().join(rel).to_string_lossy().into_owned()
    }

    /// Sets a variable; `{tmp}` in the value is replaced by the world's directory.
    pub fn set(&mut self, name: &str, value: &str) {
        let value = value.replace("{tmp}", &self.dir.path().to_string_lossy());
        self.vars.retain(|(n, _)| n != name);
        self.vars.push((name.into(), value));
    }

    /// Writes a file under the world (parents created).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .current_dir(self.dir.path().join("work"))
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `modroute <args>`.
    pub fn modroute(&self, args: &[&str]) -> Output {
        self.command(Path::new(env!("CARGO_BIN_EXE_modroute")))
            .args(args)
            .output()
            .expect("run modroute")
    }

    /// Runs the real `go <args>` — the one this world's PATH resolves to, as a shell would.
    pub fn go(&self, args: &[&str]) -> Output {
        let path = self
            .vars
            .iter()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let go = which::which_in("go", Some(path), "/").expect("go on the world's PATH");
        // A freshly copied `go` can briefly be "text file busy" (ETXTBSY) while another test
        // thread forks with the copy's descriptor inherited; wait for that fork to exec.
        for _ in 0..100 {
            match self.command(&go).args(args).output() {
                Err(e) if e.raw_os_error() == Some(26) => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                result => return result.expect("run go"),
            }
        }
        panic!("{} stayed busy", go.display())
    }

    /// `modroute status --json`, parsed.
    pub fn status_json(&self) -> serde_json::Value {
        let out = self.modroute(&["status", "--json"]);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "status --json is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }
}

thread_local! {
    /// The `go` of [`every_go`]'s current round on this thread.
    static GO_UNDER_TEST: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
}

/// Every `go` the oracle tests compare with: the one on PATH (Debian's), then the versions of the
/// matrix `cargo xtask test` installs (`MODROUTE_GO_MATRIX`, paths separated like PATH: Go 1.21,
/// 1.24 and 1.27). Under xtask (`MODROUTE_REQUIRE_ALL_TOOLS`) a missing matrix fails.
pub fn go_binaries() -> Vec<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut all: Vec<PathBuf> = which::which_in("go", Some(path), "/").into_iter().collect();
    match std::env::var_os("MODROUTE_GO_MATRIX") {
        Some(list) => {
            all.extend(std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()))
        }
        None => assert!(
            std::env::var_os("MODROUTE_REQUIRE_ALL_TOOLS").is_none(),
            "MODROUTE_GO_MATRIX is not set: `cargo xtask test` installs Go 1.21, 1.24 and 1.27"
        ),
    }
    assert!(
        !all.is_empty(),
        "no `go` to compare with; install it (`cargo xtask setup`)"
    );
    all
}

/// Runs `round` once for every `go` of [`go_binaries`]; inside it, [`real_go`] (and so
/// [`World::new`]'s PATH and [`real_goroot`]) is that go.
pub fn every_go(round: impl Fn()) {
    for go in go_binaries() {
        GO_UNDER_TEST.with(|g| *g.borrow_mut() = Some(go));
        round();
    }
    GO_UNDER_TEST.with(|g| *g.borrow_mut() = None);
}

/// `go1.24.11` for the `go` of this round (from its GOROOT's VERSION file).
pub fn go_version() -> String {
    let go = real_go();
    let root = std::fs::canonicalize(&go).unwrap_or(go);
    root.parent()
        .and_then(Path::parent)
        .and_then(|r| std::fs::read_to_string(r.join("VERSION")).ok())
        .and_then(|t| t.lines().next().map(str::to_string))
        .unwrap_or_default()
}

/// The `go` these tests compare against: [`every_go`]'s current one, else the one on the test
/// process's PATH.
pub fn real_go() -> PathBuf {
    if let Some(go) = GO_UNDER_TEST.with(|g| g.borrow().clone()) {
        return go;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    which::which_in("go", Some(path), "/").expect(
        "these tests compare modroute with the real `go` (>= 1.21); install it (`cargo xtask setup`)",
    )
}

/// The real GOROOT, asked of the real go with a clean environment.
pub fn real_goroot() -> PathBuf {
    let out = Command::new(real_go())
        .args(["env", "GOROOT"])
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("GOTOOLCHAIN", "local")
        .output()
        .expect("go env GOROOT");
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

//! `cargo xtask setup`: finds what the build and the tests need and installs what is missing.
//!
//! On Debian and Ubuntu it installs with apt (as root, or through passwordless `sudo`; otherwise
//! it prints the commands and stops). Elsewhere it prints the prerequisites and goes on only when
//! the tools are there. It never installs Node.js: a missing or old `node` is reported with the
//! fix, and setup stops.
//!
//! Facts this module relies on (measured on Debian 12):
//! - The machine image deletes downloaded `.deb` files after every dpkg run, including other
//!   processes' runs, so apt downloads into a private archive directory.
//! - bookworm's own Go is 1.19; bookworm-backports has 1.23 on the same mirror. It is installed
//!   through a private sources list and private apt state, so `/etc/apt` is never changed.
//!
//! Detection is cheap (`dpkg-query`, `PATH` look-ups, file times), so `setup` is run at the start
//! of `cargo xtask run`/`test` too, and `apt-get update` runs only when something is missing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result, bail};

use crate::util::{self, human, run, timed};

/// What the desktop app needs to build (Tauri v2 on WebKitGTK 4.1).
pub const APP_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libxdo-dev",
    "libssl-dev",
    "build-essential",
    "pkg-config",
    "file",
];

/// What the tests and benchmarks need on top: a virtual display and WebDriver for the window
/// tests, fonts so screenshots have glyphs (CJK for the Chinese UI), the shells whose snippets
/// are run for real, Chromium for the UI's browser tests, hyperfine for the benchmarks, squid as
/// the real forward proxy.
pub const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "dbus-x11",
    // The tray test runs a private session bus and drives the menu over D-Bus.
    "dbus-daemon",
    "dbus-bin",
    "libglib2.0-bin",
    "at-spi2-core",
    "imagemagick",
    "x11-utils",
    "webkit2gtk-driver",
    "fonts-dejavu-core",
    "fonts-noto-cjk",
    "zsh",
    "fish",
    "tcsh",
    "dash",
    // Open shells following a switch are tested in real interactive shells under tmux.
    "tmux",
    // systemd's environment.d generator checks the desktop-session file byte for byte.
    "systemd",
    "chromium",
    "hyperfine",
    // The prompt-hook benchmark's baseline.
    "direnv",
    // The health check's corporate-proxy test runs the real squid.
    "squid",
    // `modroute env --format gitlab-ci` is read back by PyYAML (with Debian's python3).
    "python3-yaml",
    // The doctor's sudo context is checked against the real sudo (with a test account).
    "sudo",
    // The Docker switch target is checked with Debian's docker client (against a stand-in
    // daemon on loopback: no daemon runs in the tests).
    "docker.io",
];

/// The unprivileged account the sudo tests run as (`sudo -n go env -json`); its home is a
/// dedicated directory, never a person's.
pub const SUDO_TEST_USER: &str = "modroute-test";
/// Its home.
pub const SUDO_TEST_HOME: &str = "/var/lib/modroute-test";
/// The sudoers file that lets it run sudo without a password; the `Defaults` lines give the
/// tests a keep line and a check line for that user to find.
pub const SUDO_TEST_SUDOERS: &str = "/etc/sudoers.d/modroute-test";
const SUDO_TEST_SUDOERS_TEXT: &str = "\
# Written by `cargo xtask setup`: modroute's sudo tests run `sudo -n go env -json` as this
# unprivileged account and compare it with the doctor's prediction.
modroute-test ALL=(ALL:ALL) NOPASSWD: ALL
Defaults:modroute-test env_keep += \"GOFLAGS GONOSUMDB\"
Defaults:modroute-test env_check += \"GOPRIVATE GOINSECURE\"
";

/// nushell is not packaged for Debian 12; the npm package ships its binary.
const NUSHELL_NPM: &str = "nushell@0.115.1";

/// The oldest Go the tests accept (they rely on `go env` semantics of 1.21+).
pub const MIN_GO: (u32, u32) = (1, 21);
/// The oldest Node.js the UI builds with (Vite 8 needs 20.19 on the 20 line).
pub const MIN_NODE: (u32, u32) = (20, 19);
/// Keyring that signs Debian's archive (used by the private backports sources list).
const DEBIAN_KEYRING: &str = "/usr/share/keyrings/debian-archive-keyring.gpg";

/// How much to set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Build and run the app: build libraries, node, the UI's `node_modules`.
    App,
    /// Everything `cargo xtask test` and `bench` use.
    Full,
}

/// Options of `cargo xtask setup`.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub scope: Scope,
    /// Print what would be installed, change nothing.
    pub dry_run: bool,
    /// Run `npm ci` in ui/ when `node_modules` is missing or stale (`cargo xtask test` does it
    /// as a timed step of its own instead).
    pub npm_ci: bool,
}

/// Runs the whole set-up.
pub fn setup(opts: Options) -> Result<()> {
    let start = Instant::now();
    let os = OsRelease::read();
    println!(
        "==> setup ({}) on {}",
        match opts.scope {
            Scope::App => "app",
            Scope::Full => "app + tests",
        },
        os.pretty_name
    );
    if os.is_debian_like() && util::find_in_path("dpkg-query").is_some() {
        system_packages_debian(&os, opts)?;
    } else {
        system_packages_elsewhere(opts.scope)?;
    }
    check_node()?;
    if opts.scope == Scope::Full {
        ensure_sudo_test_user(opts.dry_run)?;
        ensure_tauri_driver(opts.dry_run)?;
        ensure_nushell(opts.dry_run)?;
    }
    if opts.npm_ci && !opts.dry_run {
        npm_ci_if_needed()?;
    }
    println!("==> setup done in {}", human(start.elapsed()));
    Ok(())
}

/// The sudo tests' account and its sudoers file (Linux with sudo only). Idempotent: the account
/// is created once, and the file is installed only when its content differs.
fn ensure_sudo_test_user(dry_run: bool) -> Result<()> {
    if !cfg!(target_os = "linux") || util::find_in_path("sudo").is_none() {
        return Ok(());
    }
    let mut admin = Admin::new(privilege(), dry_run);
    let exists = Command::new("id")
        .arg(SUDO_TEST_USER)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !exists {
        let mut add = admin.command("useradd");
        add.args([
            "--system",
            "--user-group",
            "--create-home",
            "--home-dir",
            SUDO_TEST_HOME,
            "--shell",
            "/bin/sh",
            SUDO_TEST_USER,
        ]);
        admin.exec(
            &format!("creating the sudo test account {SUDO_TEST_USER}"),
            add,
        )?;
    }
    // Readable only by root: when this user cannot read it, it is installed again (same bytes).
    let current = std::fs::read(SUDO_TEST_SUDOERS).ok();
    if current.as_deref() != Some(SUDO_TEST_SUDOERS_TEXT.as_bytes()) {
        let dir = std::env::temp_dir().join(format!("modroute-sudoers-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let staged = dir.join("modroute-test");
        std::fs::write(&staged, SUDO_TEST_SUDOERS_TEXT)?;
        let mut check = admin.command("visudo");
        check.arg("-cf").arg(&staged);
        admin.exec("checking the sudo test account's sudoers file", check)?;
        let mut install = admin.command("install");
        install
            .args(["-m", "0440", "-o", "root", "-g", "root"])
            .arg(&staged)
            .arg(SUDO_TEST_SUDOERS);
        admin.exec(&format!("installing {SUDO_TEST_SUDOERS}"), install)?;
        if admin.executes() {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    if admin.executes() {
        println!("    sudo test account {SUDO_TEST_USER} ({SUDO_TEST_HOME}) ready");
    }
    admin.finish()
}

// ---------------------------------------------------------------------------------------------
// The OS

/// The fields of `/etc/os-release` setup looks at.
#[derive(Debug, Default, Clone)]
pub struct OsRelease {
    pub id: String,
    pub id_like: String,
    pub codename: String,
    pub pretty_name: String,
}

impl OsRelease {
    fn read() -> Self {
        match fs::read_to_string("/etc/os-release") {
            Ok(text) => Self::parse(&text),
            Err(_) => Self {
                pretty_name: std::env::consts::OS.to_string(),
                ..Self::default()
            },
        }
    }

    /// Parses os-release text (`KEY=value`, values optionally quoted).
    pub fn parse(text: &str) -> Self {
        let mut os = Self::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string();
            match key.trim() {
                "ID" => os.id = value,
                "ID_LIKE" => os.id_like = value,
                "VERSION_CODENAME" => os.codename = value,
                "PRETTY_NAME" => os.pretty_name = value,
                _ => {}
            }
        }
        os
    }

    fn is_ubuntu(&self) -> bool {
        self.id == "ubuntu" || self.id_like.split_whitespace().any(|id| id == "ubuntu")
    }

    /// Debian, Ubuntu and their derivatives.
    pub fn is_debian_like(&self) -> bool {
        self.id == "debian"
            || self.is_ubuntu()
            || self.id_like.split_whitespace().any(|id| id == "debian")
    }
}

// ---------------------------------------------------------------------------------------------
// Debian and Ubuntu

/// The apt packages to check for `scope` on `os`.
pub fn wanted_packages(os: &OsRelease, scope: Scope) -> Vec<&'static str> {
    let mut wanted = APP_PACKAGES.to_vec();
    if scope == Scope::Full {
        wanted.extend(TEST_PACKAGES);
        if os.is_ubuntu() {
            // Ubuntu's `chromium` is a snap wrapper that does not work in containers and CI.
            wanted.retain(|p| *p != "chromium");
        }
    }
    wanted
}

/// The packages of `wanted` that `dpkg-query -W -f='${Package} ${Status}\n'` did not report as
/// installed. Half-installed or half-configured packages count as missing: installing again
/// repairs them.
pub fn missing_packages<'a>(wanted: &[&'a str], dpkg_output: &str) -> Vec<&'a str> {
    let installed: Vec<&str> = dpkg_output
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?;
            let status: Vec<&str> = words.collect();
            (status.last() == Some(&"installed") && status.get(1) == Some(&"ok")).then_some(name)
        })
        .collect();
    wanted
        .iter()
        .copied()
        .filter(|p| !installed.contains(p))
        .collect()
}

fn query_missing<'a>(wanted: &[&'a str]) -> Result<Vec<&'a str>> {
    // dpkg-query exits 1 when some package is unknown, and still prints the others.
    let out = Command::new("dpkg-query")
        .arg("-W")
        .arg("-f=${Package} ${Status}\n")
        .args(wanted)
        .output()
        .context("could not run dpkg-query")?;
    Ok(missing_packages(
        wanted,
        &String::from_utf8_lossy(&out.stdout),
    ))
}

/// How privileged commands are run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Privilege {
    Root,
    Sudo,
    /// Neither: print the commands for the developer.
    None,
}

fn privilege() -> Privilege {
    let uid = util::probe(Command::new("id").arg("-u")).unwrap_or_default();
    if uid.trim() == "0" {
        Privilege::Root
    } else if util::probe(Command::new("sudo").args(["-n", "true"])).is_some() {
        Privilege::Sudo
    } else {
        Privilege::None
    }
}

/// Runs privileged commands, or, when it may not (no root, no sudo, or a dry run), collects them
/// as shell lines for the developer.
struct Admin {
    privilege: Privilege,
    /// Commands go through `sudo` (when running with it, or when printing them and sudo exists).
    sudo: bool,
    dry_run: bool,
    printed: Vec<String>,
    /// `apt-get update` of the system's lists already ran (it runs at most once).
    updated: bool,
}

impl Admin {
    fn new(privilege: Privilege, dry_run: bool) -> Self {
        let sudo = match privilege {
            Privilege::Root => false,
            Privilege::Sudo => true,
            Privilege::None => util::find_in_path("sudo").is_some(),
        };
        Self {
            privilege,
            sudo,
            dry_run,
            printed: Vec::new(),
            updated: false,
        }
    }

    /// `apt-get update` of the system's lists, once per run.
    fn update_once(&mut self, dirs: &AptDirs) -> Result<()> {
        if self.updated {
            return Ok(());
        }
        let mut update = self.apt_get(dirs);
        update.arg("update");
        self.exec("apt-get update", update)?;
        self.updated = true;
        Ok(())
    }

    fn executes(&self) -> bool {
        !self.dry_run && self.privilege != Privilege::None
    }

    /// `program` with root rights and a non-interactive debconf.
    fn command(&self, program: &str) -> Command {
        if !self.sudo {
            let mut cmd = Command::new(program);
            cmd.env("DEBIAN_FRONTEND", "noninteractive");
            cmd
        } else {
            // `env` rather than `sudo VAR=…`: sudoers may refuse variables on the command line.
            let mut cmd = Command::new("sudo");
            cmd.args(["env", "DEBIAN_FRONTEND=noninteractive", program]);
            cmd
        }
    }

    /// `apt-get` using the private directories `dirs`.
    fn apt_get(&self, dirs: &AptDirs) -> Command {
        let mut cmd = self.command("apt-get");
        cmd.args([
            "-q",
            "-o",
            "DPkg::Lock::Timeout=600",
            "-o",
            "Dpkg::Use-Pty=0",
            "-o",
        ])
        .arg(format!("Dir::Cache::Archives={}", dirs.archives.display()))
        // Downloads run as root: apt's `_apt` sandbox user cannot write to our directory.
        .args(["-o", "APT::Sandbox::User=root"]);
        if let Some(sources) = &dirs.sources {
            cmd.arg("-o")
                .arg(format!("Dir::Etc::SourceList={}", sources.display()))
                .args(["-o", "Dir::Etc::SourceParts=/dev/null", "-o"])
                .arg(format!("Dir::State::Lists={}", dirs.lists.display()))
                // apt's binary caches built from the private lists must not replace the system's.
                .arg("-o")
                .arg(format!("Dir::Cache={}", dirs.root.join("cache").display()));
        }
        cmd
    }

    fn exec(&mut self, what: &str, mut cmd: Command) -> Result<()> {
        if self.executes() {
            return timed(what, || run(&mut cmd));
        }
        let line = util::show(&cmd);
        self.printed.push(if !self.sudo {
            format!("DEBIAN_FRONTEND=noninteractive {line}")
        } else {
            line
        });
        Ok(())
    }

    /// Ends a run that could not execute: a dry run lists the commands; otherwise it is an error
    /// that tells the developer what to run.
    fn finish(self) -> Result<()> {
        if self.printed.is_empty() {
            return Ok(());
        }
        let script = self.printed.join("\n");
        if self.dry_run {
            println!("    dry run; setup would run:\n{script}");
            return Ok(());
        }
        bail!(
            "setup must install system packages but is neither root nor allowed to run sudo \
             without a password. Run these commands{}, then run setup again:\n\n{script}\n",
            if self.sudo { "" } else { " as root" }
        )
    }
}

/// Private apt directories under one temporary root, removed afterwards unless the commands
/// that use them are only printed.
struct AptDirs {
    root: PathBuf,
    archives: PathBuf,
    lists: PathBuf,
    /// A private sources list (for backports); `None` uses the system's sources and lists.
    sources: Option<PathBuf>,
    keep: bool,
}

impl AptDirs {
    fn new(name: &str, sources: Option<&str>, keep: bool) -> Result<Self> {
        let root =
            std::env::temp_dir().join(format!("modroute-xtask-{name}-{}", std::process::id()));
        let dirs = Self {
            archives: root.join("archives"),
            lists: root.join("lists"),
            sources: sources.map(|_| root.join("sources.list")),
            root,
            keep,
        };
        fs::create_dir_all(dirs.archives.join("partial"))
            .with_context(|| format!("creating {}", dirs.archives.display()))?;
        if let (Some(path), Some(text)) = (&dirs.sources, sources) {
            fs::create_dir_all(dirs.lists.join("partial"))?;
            fs::create_dir_all(dirs.root.join("cache"))?;
            fs::write(path, text)?;
        }
        Ok(dirs)
    }
}

impl Drop for AptDirs {
    fn drop(&mut self) {
        // Downloaded .debs can be 100+ MB. We own the directories, so we may remove what apt
        // wrote into them as root.
        if !self.keep {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

fn system_packages_debian(os: &OsRelease, opts: Options) -> Result<()> {
    let wanted = wanted_packages(os, opts.scope);
    let missing = query_missing(&wanted)?;
    let go_missing = if opts.scope == Scope::Full {
        let go = find_go();
        match &go {
            Some(go) => println!(
                "    go {}.{} at {}{}",
                go.version.0,
                go.version.1,
                go.path.display(),
                if go.is_recent() { "" } else { " (too old)" }
            ),
            None => println!("    go: not found"),
        }
        !go.is_some_and(|go| go.is_recent())
    } else {
        false
    };
    if missing.is_empty() && !go_missing {
        println!("    all {} apt packages are installed", wanted.len());
        return Ok(());
    }
    if !missing.is_empty() {
        println!("    missing apt packages: {}", missing.join(" "));
    }
    let mut admin = Admin::new(privilege(), opts.dry_run);
    let keep = !admin.executes();
    if !missing.is_empty() {
        let dirs = AptDirs::new("apt", None, keep)?;
        admin.update_once(&dirs)?;
        let mut install = admin.apt_get(&dirs);
        install
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing);
        let what = match missing.len() {
            1 => "installing 1 apt package".to_string(),
            n => format!("installing {n} apt packages"),
        };
        admin.exec(&what, install)?;
        if admin.executes() {
            let still = query_missing(&missing)?;
            if !still.is_empty() {
                bail!(
                    "apt-get ran but these are still not installed: {}",
                    still.join(" ")
                );
            }
        }
    }
    if go_missing {
        install_go(&mut admin, os, keep)?;
    }
    admin.finish()
}

/// Installs a recent Go: on bookworm `golang-go` from backports, through a private sources list;
/// elsewhere the distribution's newest `golang-1.NN-go`.
fn install_go(admin: &mut Admin, os: &OsRelease, keep: bool) -> Result<()> {
    if os.id == "debian" && os.codename == "bookworm" {
        let mirrors = read_debian_mirrors(&os.codename)?;
        let list = backports_sources_list(&mirrors, &os.codename);
        let dirs = AptDirs::new("go", Some(&list), keep)?;
        let backports = format!("{}-backports", os.codename);
        let mut update = admin.apt_get(&dirs);
        update.arg("update");
        admin.exec(
            &format!("apt-get update (private list with {backports})"),
            update,
        )?;
        let mut install = admin.apt_get(&dirs);
        install.args([
            "install",
            "-y",
            "--no-install-recommends",
            "-t",
            &backports,
            "golang-go",
        ]);
        admin.exec(&format!("installing golang-go from {backports}"), install)?;
    } else {
        let dirs = AptDirs::new("go", None, keep)?;
        if admin.executes() {
            // The lists may be stale or empty (fresh container).
            admin.update_once(&dirs)?;
        }
        let names = util::probe(Command::new("apt-cache").args(["pkgnames", "golang-1."]))
            .unwrap_or_default();
        let Some(package) = newest_go_package(&names) else {
            bail!(
                "no golang-1.NN-go package with Go >= {}.{} in this distribution's archive: \
                 install Go {}.{} or newer yourself and put it on PATH",
                MIN_GO.0,
                MIN_GO.1,
                MIN_GO.0,
                MIN_GO.1
            );
        };
        let mut install = admin.apt_get(&dirs);
        install.args(["install", "-y", "--no-install-recommends", &package]);
        admin.exec(&format!("installing {package}"), install)?;
    }
    if !admin.executes() {
        return Ok(());
    }
    match find_go() {
        Some(go) if go.is_recent() => {
            if util::find_in_path("go").is_none_or(|p| !same_file(&p, &go.path)) {
                println!(
                    "    note: go {}.{} is at {}; `cargo xtask test` puts its directory first on \
                     PATH; add it to yours to use it by hand",
                    go.version.0,
                    go.version.1,
                    go.path.display()
                );
            }
            Ok(())
        }
        _ => bail!(
            "Go was installed but no go >= {}.{} can be found",
            MIN_GO.0,
            MIN_GO.1
        ),
    }
}

/// The archive URIs of a Debian system: the main archive and the security archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebianMirrors {
    pub main: String,
    pub security: Option<String>,
}

fn read_debian_mirrors(codename: &str) -> Result<DebianMirrors> {
    let deb822 = "/etc/apt/sources.list.d/debian.sources";
    let classic = "/etc/apt/sources.list";
    let found = fs::read_to_string(deb822)
        .ok()
        .and_then(|text| mirrors_from_deb822(&text, codename))
        .or_else(|| {
            fs::read_to_string(classic)
                .ok()
                .and_then(|text| mirrors_from_sources_list(&text, codename))
        });
    found.with_context(|| {
        format!("found no `{codename}` archive in {deb822} or {classic} to take backports from")
    })
}

/// Mirrors from deb822 `.sources` text: the first `deb` stanza serving `codename`, and the first
/// serving `codename-security`.
pub fn mirrors_from_deb822(text: &str, codename: &str) -> Option<DebianMirrors> {
    let mut main = None;
    let mut security = None;
    for stanza in text.split("\n\n") {
        let field = |name: &str| {
            stanza
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.trim()
                        .eq_ignore_ascii_case(name)
                        .then(|| v.trim().to_string())
                })
                .unwrap_or_default()
        };
        if !field("Types").split_whitespace().any(|t| t == "deb")
            || field("Enabled").eq_ignore_ascii_case("no")
        {
            continue;
        }
        let Some(uri) = field("URIs").split_whitespace().next().map(str::to_string) else {
            continue;
        };
        let suites = field("Suites");
        let suites: Vec<&str> = suites.split_whitespace().collect();
        if main.is_none() && suites.contains(&codename) {
            main = Some(uri.clone());
        }
        if security.is_none() && suites.contains(&format!("{codename}-security").as_str()) {
            security = Some(uri);
        }
    }
    Some(DebianMirrors {
        main: main?,
        security,
    })
}

/// Mirrors from one-line-style `sources.list` text.
pub fn mirrors_from_sources_list(text: &str, codename: &str) -> Option<DebianMirrors> {
    let mut main = None;
    let mut security = None;
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut words = line.split_whitespace();
        if words.next() != Some("deb") {
            continue;
        }
        let mut rest: Vec<&str> = words.collect();
        if rest.first().is_some_and(|w| w.starts_with('[')) {
            let end = rest.iter().position(|w| w.ends_with(']')).unwrap_or(0);
            rest.drain(..=end);
        }
        let (Some(uri), Some(suite)) = (rest.first(), rest.get(1)) else {
            continue;
        };
        if main.is_none() && *suite == codename {
            main = Some(uri.to_string());
        } else if security.is_none() && *suite == format!("{codename}-security") {
            security = Some(uri.to_string());
        }
    }
    Some(DebianMirrors {
        main: main?,
        security,
    })
}

/// The private sources list for installing from backports: the release, its updates and
/// security suites (so dependencies resolve as on the system) and backports.
pub fn backports_sources_list(mirrors: &DebianMirrors, codename: &str) -> String {
    let signed = format!("[signed-by={DEBIAN_KEYRING}]");
    let mut text = String::new();
    for suite in [codename.to_string(), format!("{codename}-updates")] {
        text.push_str(&format!("deb {signed} {} {suite} main\n", mirrors.main));
    }
    if let Some(security) = &mirrors.security {
        text.push_str(&format!(
            "deb {signed} {security} {codename}-security main\n"
        ));
    }
    text.push_str(&format!(
        "deb {signed} {} {codename}-backports main\n",
        mirrors.main
    ));
    text
}

/// The newest `golang-1.NN-go` with NN ≥ the minimum among `apt-cache pkgnames` output.
pub fn newest_go_package(pkgnames: &str) -> Option<String> {
    pkgnames
        .lines()
        .filter_map(|name| {
            let minor: u32 = name
                .trim()
                .strip_prefix("golang-1.")?
                .strip_suffix("-go")?
                .parse()
                .ok()?;
            Some(minor)
        })
        .filter(|minor| (1, *minor) >= MIN_GO)
        .max()
        .map(|minor| format!("golang-1.{minor}-go"))
}

// ---------------------------------------------------------------------------------------------
// Go

/// A `go` found on this machine.
#[derive(Debug, Clone)]
pub struct GoInstall {
    pub path: PathBuf,
    pub version: (u32, u32),
}

impl GoInstall {
    fn is_recent(&self) -> bool {
        self.version >= MIN_GO
    }
}

/// The newest `go` among the one on `PATH`, Debian's `/usr/lib/go-1.NN` and `/usr/local/go`.
pub fn find_go() -> Option<GoInstall> {
    let mut candidates: Vec<PathBuf> = util::find_in_path("go").into_iter().collect();
    if let Ok(entries) = fs::read_dir("/usr/lib") {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with("go-1.") {
                candidates.push(entry.path().join("bin/go"));
            }
        }
    }
    candidates.push(PathBuf::from("/usr/local/go/bin/go"));
    let mut best: Option<GoInstall> = None;
    for path in candidates {
        if !util::is_executable(&path) {
            continue;
        }
        let Some(version) = go_version(&path) else {
            continue;
        };
        // Strictly newer wins, so PATH's go is kept on a tie.
        if best.as_ref().is_none_or(|b| version > b.version) {
            best = Some(GoInstall { path, version });
        }
    }
    best
}

/// The directories to put first on `PATH` so tests find a recent `go` (empty when `PATH`'s `go`
/// is already the newest).
pub fn go_path_dirs() -> Vec<PathBuf> {
    match (find_go(), util::find_in_path("go")) {
        (Some(best), on_path) if on_path.as_ref().is_none_or(|p| !same_file(p, &best.path)) => best
            .path
            .parent()
            .map(Path::to_path_buf)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The version of the `go` at `path`: its GOROOT's `VERSION` file (reading it starts no `go`,
/// which would write telemetry), else `go env GOVERSION`.
fn go_version(path: &Path) -> Option<(u32, u32)> {
    let goroot = fs::canonicalize(path)
        .ok()?
        .parent()?
        .parent()?
        .to_path_buf();
    if let Some(v) = fs::read_to_string(goroot.join("VERSION"))
        .ok()
        .and_then(|text| parse_go_version(text.lines().next()?))
    {
        return Some(v);
    }
    let out = util::probe(
        Command::new(path)
            .args(["env", "GOVERSION"])
            .env("GOTOOLCHAIN", "local")
            .env("GOTELEMETRY", "off"),
    )?;
    parse_go_version(out.trim())
}

/// `go1.23.5`, `go1.21rc2` or `go version go1.22 linux/amd64` → (major, minor).
pub fn parse_go_version(text: &str) -> Option<(u32, u32)> {
    let word = text
        .split_whitespace()
        .find_map(|w| w.strip_prefix("go1."))?;
    let minor: String = word.chars().take_while(char::is_ascii_digit).collect();
    Some((1, minor.parse().ok()?))
}

// ---------------------------------------------------------------------------------------------
// Elsewhere

fn system_packages_elsewhere(scope: Scope) -> Result<()> {
    println!(
        "    not Debian or Ubuntu: install these yourself with your system's package manager:\n\
         \x20     - Rust (rustup), Node.js >= {}.{} with npm\n\
         \x20     - the Tauri v2 system libraries (Linux: webkit2gtk-4.1, gtk3, libsoup3, librsvg, \
         ayatana-appindicator, xdo, openssl, pkg-config)\n\
         \x20     - for `cargo xtask test`: Go >= {}.{}, Xvfb, WebKitWebDriver, Chromium at \
         /usr/bin/chromium, zsh, fish, tcsh, hyperfine (tauri-driver is installed by setup)",
        MIN_NODE.0, MIN_NODE.1, MIN_GO.0, MIN_GO.1
    );
    let mut missing = Vec::new();
    if cfg!(target_os = "linux") {
        if util::find_in_path("pkg-config").is_none() {
            missing.push("pkg-config".to_string());
        } else if util::probe(Command::new("pkg-config").args([
            "--exists",
            "webkit2gtk-4.1",
            "libsoup-3.0",
            "gtk+-3.0",
        ]))
        .is_none()
        {
            missing.push("webkit2gtk-4.1 / libsoup-3.0 / gtk+-3.0 development files".to_string());
        }
    }
    if scope == Scope::Full {
        if !find_go().is_some_and(|g| g.is_recent()) {
            missing.push(format!("go >= {}.{}", MIN_GO.0, MIN_GO.1));
        }
        let tools: &[&str] = if cfg!(target_os = "linux") {
            &[
                "Xvfb",
                "WebKitWebDriver",
                "zsh",
                "fish",
                "tcsh",
                "tmux",
                "hyperfine",
            ]
        } else {
            &["zsh", "fish", "tcsh", "hyperfine"]
        };
        missing.extend(
            tools
                .iter()
                .filter(|t| util::find_in_path(t).is_none())
                .map(|t| t.to_string()),
        );
        if cfg!(target_os = "linux") && !Path::new("/usr/bin/chromium").exists() {
            missing.push("/usr/bin/chromium".to_string());
        }
    }
    if !missing.is_empty() {
        bail!("missing prerequisites: {}", missing.join(", "));
    }
    println!("    the prerequisites are present");
    Ok(())
}

/// Prints the version of each tool the build and tests use (for CI logs).
pub fn print_versions() {
    println!("==> tool versions");
    let first_line = |cmd: &mut Command| {
        let out = cmd.stdin(std::process::Stdio::null()).output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_string())
    };
    let dpkg = |package: &str| {
        first_line(Command::new("dpkg-query").args(["-W", "-f=${Version}", package]))
            .map(|v| format!("{v} (Debian package {package})"))
    };
    let tauri_driver = util::find_in_path("tauri-driver").or_else(|| {
        util::cargo_bin_dir()
            .map(|d| d.join("tauri-driver"))
            .filter(|p| util::is_executable(p))
    });
    let go = find_go();
    let rows: Vec<(&str, Option<String>)> = vec![
        ("rustc", first_line(Command::new("rustc").arg("--version"))),
        ("node", first_line(Command::new("node").arg("--version"))),
        ("npm", first_line(Command::new("npm").arg("--version"))),
        (
            "go",
            go.map(|g| format!("{}.{} at {}", g.version.0, g.version.1, g.path.display())),
        ),
        (
            "tauri-driver",
            tauri_driver.map(|p| p.display().to_string()),
        ),
        ("WebKitWebDriver", dpkg("webkit2gtk-driver")),
        ("Xvfb", dpkg("xvfb")),
        (
            "chromium",
            first_line(Command::new("chromium").arg("--version")),
        ),
        ("zsh", first_line(Command::new("zsh").arg("--version"))),
        ("fish", first_line(Command::new("fish").arg("--version"))),
        (
            "hyperfine",
            first_line(Command::new("hyperfine").arg("--version")),
        ),
    ];
    for (tool, version) in rows {
        println!(
            "    {tool:<16} {}",
            version.as_deref().unwrap_or("not found")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Node, npm, tauri-driver

fn check_node() -> Result<()> {
    let found = util::probe(Command::new("node").arg("--version"));
    let version = found.as_deref().and_then(parse_node_version);
    let npm = util::probe(Command::new("npm").arg("--version"));
    match (version, npm) {
        (Some(v), Some(npm)) if v >= MIN_NODE => {
            println!("    node {}.{}, npm {}", v.0, v.1, npm.trim());
            Ok(())
        }
        (v, npm) => {
            let problem = match (v, npm) {
                (None, _) => "`node` was not found on PATH".to_string(),
                (Some(v), _) if v < MIN_NODE => format!("node {}.{} is too old", v.0, v.1),
                _ => "`npm` was not found on PATH".to_string(),
            };
            bail!(
                "{problem}: the UI needs Node.js >= {}.{} with npm, and setup does not download \
                 Node.js. Fix: install Node.js {}.{} or newer (Debian 12's own `nodejs` is 18, too \
                 old; use nodejs.org's Linux binaries, NodeSource's apt repository for node 20+, \
                 or nvm/fnm), make sure `node --version` prints v{}.{} or newer and `npm` works \
                 in this shell, then run `cargo xtask setup` again.",
                MIN_NODE.0,
                MIN_NODE.1,
                MIN_NODE.0,
                MIN_NODE.1,
                MIN_NODE.0,
                MIN_NODE.1
            )
        }
    }
}

/// `v20.19.2` → (20, 19).
pub fn parse_node_version(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.trim().strip_prefix('v')?.split('.');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

fn ensure_tauri_driver(dry_run: bool) -> Result<()> {
    let installed = util::find_in_path("tauri-driver").or_else(|| {
        util::cargo_bin_dir()
            .map(|d| d.join("tauri-driver"))
            .filter(|p| util::is_executable(p))
    });
    if let Some(path) = installed {
        println!("    tauri-driver at {}", path.display());
        return Ok(());
    }
    if dry_run {
        println!("    dry run; would run: cargo install tauri-driver --locked");
        return Ok(());
    }
    timed("installing tauri-driver (cargo install, ~30 s)", || {
        run(util::cargo().args(["install", "tauri-driver", "--locked"]))
    })
}

fn ensure_nushell(dry_run: bool) -> Result<()> {
    if let Some(path) = util::find_in_path("nu") {
        println!("    nu at {}", path.display());
        return Ok(());
    }
    if dry_run {
        println!("    dry run; would run: npm install --global {NUSHELL_NPM}");
        return Ok(());
    }
    timed("installing nushell (npm, ~10 s)", || {
        run(Command::new("npm").args([
            "install",
            "--global",
            "--no-fund",
            "--no-audit",
            NUSHELL_NPM,
        ]))
    })
}

/// Whether ui/ needs `npm ci`: no `node_modules`, or npm's record of the last install
/// (`node_modules/.package-lock.json`) is older than `package-lock.json`.
pub fn npm_ci_needed(ui: &Path) -> bool {
    let marker = ui.join("node_modules/.package-lock.json");
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    stale(modified(&marker), modified(&ui.join("package-lock.json")))
}

/// An install recorded at `installed` is stale for a lock file modified at `lock`.
pub fn stale(installed: Option<SystemTime>, lock: Option<SystemTime>) -> bool {
    match (installed, lock) {
        (None, _) => true,
        (Some(installed), Some(lock)) => installed < lock,
        (Some(_), None) => false,
    }
}

/// Runs `npm ci` in ui/ when [`npm_ci_needed`]; returns whether it ran.
pub fn npm_ci_if_needed() -> Result<bool> {
    let ui = util::workspace_root().join("ui");
    if !ui.join("package.json").exists() {
        println!("    ui/package.json does not exist yet: skipping npm ci");
        return Ok(false);
    }
    if !npm_ci_needed(&ui) {
        println!("    ui/node_modules is up to date");
        return Ok(false);
    }
    timed("npm ci (ui)", || {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("NPM_CONFIG_UPDATE_NOTIFIER", "false")
            .current_dir(&ui))
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const BOOKWORM: &str = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n\
        VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n";

    #[test]
    fn os_release_is_parsed() {
        let os = OsRelease::parse(BOOKWORM);
        assert_eq!(
            (os.id.as_str(), os.codename.as_str()),
            ("debian", "bookworm")
        );
        assert!(os.is_debian_like());
        let mint = OsRelease::parse("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n");
        assert!(mint.is_debian_like() && mint.is_ubuntu());
        assert!(!OsRelease::parse("ID=fedora\n").is_debian_like());
    }

    #[test]
    fn missing_packages_from_dpkg_query_output() {
        let wanted = ["zsh", "fish", "tcsh", "chromium", "libssl-dev", "file"];
        let out = "zsh install ok installed\n\
                   fish deinstall ok config-files\n\
                   tcsh install ok half-configured\n\
                   libssl-dev install ok installed\n\
                   libssl-dev deinstall ok not-installed\n\
                   file hold ok installed\n";
        // chromium: unknown to dpkg (no line at all).
        assert_eq!(missing_packages(&wanted, out), ["fish", "tcsh", "chromium"]);
        assert_eq!(missing_packages(&wanted, ""), wanted);
    }

    #[test]
    fn package_lists_per_scope_and_distro() {
        let debian = OsRelease::parse(BOOKWORM);
        let app = wanted_packages(&debian, Scope::App);
        assert_eq!(app, APP_PACKAGES);
        let full = wanted_packages(&debian, Scope::Full);
        assert!(full.contains(&"chromium") && full.contains(&"libwebkit2gtk-4.1-dev"));
        assert_eq!(full.len(), APP_PACKAGES.len() + TEST_PACKAGES.len());
        let ubuntu = OsRelease::parse("ID=ubuntu\nVERSION_CODENAME=noble\n");
        assert!(!wanted_packages(&ubuntu, Scope::Full).contains(&"chromium"));
    }

    #[test]
    fn this_machine_reports_installed_packages_as_such() {
        // Only meaningful where dpkg exists; proves the query format works with real dpkg.
        if util::find_in_path("dpkg-query").is_none() {
            return;
        }
        let missing = query_missing(&["dpkg", "surely-not-a-package-xtask"]).unwrap();
        assert_eq!(missing, ["surely-not-a-package-xtask"]);
    }

    #[test]
    fn mirrors_from_deb822_sources() {
        let text = "Types: deb\n# http://snapshot.debian.org/archive/debian/20250520T000000Z\n\
                    URIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\n\
                    Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n\
                    Types: deb\nURIs: http://deb.debian.org/debian-security\n\
                    Suites: bookworm-security\nComponents: main\n";
        let m = mirrors_from_deb822(text, "bookworm").unwrap();
        assert_eq!(m.main, "http://deb.debian.org/debian");
        assert_eq!(
            m.security.as_deref(),
            Some("http://deb.debian.org/debian-security")
        );
        assert_eq!(
            mirrors_from_deb822("Types: deb-src\nURIs: x\nSuites: bookworm\n", "bookworm"),
            None
        );
    }

    #[test]
    fn mirrors_from_classic_sources_list() {
        let text = "# comment\ndeb-src http://src.example/debian bookworm main\n\
                    deb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main contrib\n\
                    deb http://m.example/debian-security bookworm-security main\n";
        let m = mirrors_from_sources_list(text, "bookworm").unwrap();
        assert_eq!(m.main, "http://m.example/debian");
        assert_eq!(
            m.security.as_deref(),
            Some("http://m.example/debian-security")
        );
    }

    #[test]
    fn backports_list_has_four_suites() {
        let m = DebianMirrors {
            main: "http://m/debian".into(),
            security: Some("http://m/debian-security".into()),
        };
        let text = backports_sources_list(&m, "bookworm");
        let suites: Vec<&str> = text
            .lines()
            .map(|l| l.split_whitespace().nth(3).unwrap())
            .collect();
        assert_eq!(
            suites,
            [
                "bookworm",
                "bookworm-updates",
                "bookworm-security",
                "bookworm-backports"
            ]
        );
        assert!(
            text.lines()
                .all(|l| l.contains("signed-by=/usr/share/keyrings/debian-archive-keyring.gpg"))
        );
    }

    #[test]
    fn go_install_on_bookworm_uses_a_private_backports_list() {
        let os = OsRelease::parse(BOOKWORM);
        if read_debian_mirrors(&os.codename).is_err() {
            return; // not a Debian machine
        }
        let mut admin = Admin::new(Privilege::Sudo, true);
        install_go(&mut admin, &os, false).unwrap();
        for line in &admin.printed {
            println!("{line}");
        }
        let [update, install] = &admin.printed[..] else {
            panic!("{:?}", admin.printed)
        };
        for line in [update, install] {
            assert!(line.starts_with("sudo env DEBIAN_FRONTEND=noninteractive apt-get "));
            assert!(
                line.contains(" -o Dir::Etc::SourceParts=/dev/null "),
                "{line}"
            );
            assert!(line.contains(" -o DPkg::Lock::Timeout=600 "), "{line}");
            assert!(line.contains("/sources.list "), "{line}");
        }
        assert!(update.ends_with(" update"));
        assert!(
            install
                .ends_with(" install -y --no-install-recommends -t bookworm-backports golang-go")
        );
    }

    #[test]
    fn newest_go_package_is_picked() {
        let names =
            "golang-1.19-go\ngolang-1.22-go\ngolang-1.22-src\ngolang-1.21-go\ngolang-1.9-go\n";
        assert_eq!(newest_go_package(names).as_deref(), Some("golang-1.22-go"));
        assert_eq!(newest_go_package("golang-1.19-go\n"), None);
    }

    #[test]
    fn versions_are_parsed() {
        assert_eq!(parse_go_version("go1.23.5"), Some((1, 23)));
        assert_eq!(
            parse_go_version("go version go1.21rc2 linux/amd64"),
            Some((1, 21))
        );
        assert_eq!(parse_go_version("devel"), None);
        assert_eq!(parse_node_version("v20.19.2\n"), Some((20, 19)));
        assert_eq!(parse_node_version("20.1"), None);
    }

    #[test]
    fn npm_install_staleness() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let later = t + Duration::from_secs(1);
        assert!(stale(None, Some(t)));
        assert!(stale(Some(t), Some(later)));
        assert!(!stale(Some(later), Some(t)));
        assert!(!stale(Some(t), None));
    }
}

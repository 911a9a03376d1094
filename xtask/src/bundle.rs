//! `cargo xtask bundle`: the desktop app as distributable Linux packages, made by the Tauri
//! bundler (the Tauri CLI from npm, installed on demand into `<target>/tauri-cli`: it is not a
//! devDependency of `ui/` because the npm registry reachable here lacks its macOS/Windows/musl
//! optional packages, so a lock file that lists it would break `npm ci`).
//!
//! Steps: set-up (unless `--no-setup`), `npm run build` in `ui/` (tauri.conf.json has no
//! `beforeBuildCommand`), `cargo build --release -p modroute-cli`, then
//! `npx tauri build --bundles deb` from `ui/` with `TAURI_APP_PATH` pointing at `src-tauri/` (the
//! CLI otherwise looks for tauri.conf.json below the current directory). The release build of the
//! desktop crate is the CLI's (`--features tauri/custom-protocol`: the UI is embedded). The command
//! line `modroute` goes into the .deb as `/usr/bin/modroute` through a `--config` overlay
//! (`bundle.linux.deb.files`), so tauri.conf.json names no path inside `target/`. The CLI also
//! rewrites `src-tauri/Cargo.toml` when the `tauri`/`tauri-build` features do not match the
//! config (`tauri-build = { version = "2", features = [] }` is its form); the command says so.
//!
//! The .deb is then checked with `dpkg-deb -I`/`-c`/`-x` ([`check_control`], [`check_listing`],
//! [`check_desktop_entry`], and the packaged `modroute --version`); a package that lacks an entry
//! fails the command.
//!
//! The AppImage is only attempted with `--appimage`: Tauri's AppImage bundler downloads
//! `AppRun-<arch>` and `linuxdeploy-<arch>.AppImage` from GitHub into `~/.cache/tauri` on first
//! use, which fails on a machine that reaches only package registries. Then [`appimage_help`]
//! says what is missing and how to provide it.
//!
//! Two flags of the Tauri CLI are always passed:
//! - `--ignore-version-mismatches`: the workspace's MSRV (1.88) holds the `tauri` crate at 2.11
//!   (2.12 needs Rust 1.90) while `@tauri-apps/api` is 2.12; the CLI refuses such a pair by
//!   default. The window tests run exactly this pair.
//! - `--no-binary-patching`: the CLI would otherwise rewrite `target/release/modroute-desktop` in
//!   place with the bundle type (deb/appimage), which only the updater plugin reads (modroute has
//!   none) and which fails with a warning once the binary was patched by an earlier run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::setup::{self, Scope};
use crate::util::{self, capture, human, run, timed};

/// Options of `cargo xtask bundle`.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Skip installing system and npm packages.
    pub no_setup: bool,
    /// Also try the AppImage (needs GitHub, or the tools in Tauri's cache).
    pub appimage: bool,
}

/// The Debian package name (tauri.conf.json's `productName`).
pub const DEB_PACKAGE: &str = "modroute";

/// Files the .deb must contain (paths as `dpkg-deb -c` lists them, without `./`), and whether
/// each must be executable.
pub const DEB_FILES: &[(&str, bool)] = &[
    ("usr/bin/modroute-desktop", true),
    ("usr/bin/modroute", true),
    ("usr/share/applications/modroute.desktop", false),
    (
        "usr/share/icons/hicolor/32x32/apps/modroute-desktop.png",
        false,
    ),
    (
        "usr/share/icons/hicolor/128x128/apps/modroute-desktop.png",
        false,
    ),
    (
        "usr/share/icons/hicolor/512x512/apps/modroute-desktop.png",
        false,
    ),
];

/// Packages the .deb must depend on: WebKitGTK and GTK, and the tray's indicator library (the
/// Tauri CLI adds them itself on Linux; tauri.conf.json must not repeat them, or they appear
/// twice in `Depends`).
pub const DEB_DEPENDS: &[&str] = &[
    "libwebkit2gtk-4.1-0",
    "libgtk-3-0",
    "libayatana-appindicator3-1",
];

/// The executable the .desktop file starts (tauri.conf.json's `mainBinaryName`).
const DESKTOP_BINARY: &str = "modroute-desktop";

/// Runs `cargo xtask bundle`.
pub fn bundle(opts: Options) -> Result<()> {
    if !cfg!(target_os = "linux") {
        bail!(
            "`cargo xtask bundle` builds Linux packages (.deb, AppImage). On macOS and Windows run \
             the Tauri CLI yourself (README, \"Packages\"):\n\n    cd ui && npm run build\n    \
             TAURI_APP_PATH=../src-tauri npx tauri build --ignore-version-mismatches \
             --bundles app,dmg   (Windows: --bundles msi,nsis)"
        );
    }
    let start = SystemTime::now();
    if !opts.no_setup {
        setup::setup(setup::Options {
            scope: Scope::App,
            dry_run: false,
            npm_ci: true,
        })?;
    }
    let root = util::workspace_root();
    let ui = root.join("ui");
    if util::find_in_path("dpkg-deb").is_none() {
        bail!("dpkg-deb is needed to check the .deb (install the `dpkg` package)");
    }
    let target = util::target_dir()?;
    let cli_dir = target.join("tauri-cli");
    if !tauri_bin(&cli_dir).exists() {
        timed(&format!("npm install {TAURI_CLI}"), || {
            std::fs::create_dir_all(&cli_dir)?;
            run(Command::new("npm")
                .args([
                    "install",
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                ])
                .arg(&cli_dir)
                .arg(TAURI_CLI)
                .env("NPM_CONFIG_UPDATE_NOTIFIER", "false"))
        })?;
    }
    let release = target.join("release");

    timed("ui: npm run build", || {
        run(Command::new("npm")
            .args(["run", "build"])
            .env("NPM_CONFIG_UPDATE_NOTIFIER", "false")
            .current_dir(&ui))
    })?;
    timed("cargo build --release -p modroute-cli", || {
        run(util::without_cargo_vars(&mut util::cargo())
            .args(["build", "--release", "-p", "modroute-cli"])
            .current_dir(&root))
    })?;
    let cli = release.join("modroute");
    let overlay = format!(
        r#"{{"bundle":{{"linux":{{"deb":{{"files":{{"/usr/bin/modroute":{}}}}}}}}}}}"#,
        json_string(&cli.to_string_lossy())
    );
    println!(
        "    note: the Tauri CLI reports the tauri 2.11 crate vs @tauri-apps/api 2.12 as an \
         error; the MSRV holds the crate at 2.11 and the build goes on"
    );
    // The Tauri CLI rewrites the `tauri`/`tauri-build` lines of the manifest when their
    // features differ from what tauri.conf.json implies (the committed form is the one it
    // writes); say so if it ever does.
    let manifest = root.join("src-tauri").join("Cargo.toml");
    let manifest_before = fs::read(&manifest).ok();
    timed(
        "tauri build --bundles deb (release build of the app)",
        || {
            run(tauri(&root)
                .args(["build", "--bundles", "deb", "--ignore-version-mismatches"])
                .args(COMMON_FLAGS)
                .arg("--config")
                .arg(&overlay))
        },
    )?;

    if fs::read(&manifest).ok() != manifest_before {
        println!(
            "    note: the Tauri CLI rewrote {} (its tauri/tauri-build features): review the diff",
            manifest.display()
        );
    }

    let deb = newest_since(&release.join("bundle").join("deb"), "deb", start)?
        .context("the Tauri CLI succeeded but wrote no .deb under target/release/bundle/deb")?;
    let summary = timed("check the .deb", || {
        verify_deb(&deb, &target.join("xtask").join("deb-check"))
    })?;
    println!("{summary}");

    let appimage = if opts.appimage {
        Some(build_appimage(&root, &release, start))
    } else {
        None
    };

    println!(
        "\n==> packages (bundle took {})",
        human(start.elapsed().unwrap_or_default())
    );
    println!("    {}  ({})", deb.display(), size_of(&deb));
    match appimage {
        None => {
            println!(
                "    AppImage: not attempted (`--appimage`; it needs tools from GitHub, see \
                 README, \"Packages\")"
            );
            Ok(())
        }
        Some(Ok(path)) => {
            println!("    {}  ({})", path.display(), size_of(&path));
            Ok(())
        }
        Some(Err(e)) => Err(e),
    }
}

/// Flags every Tauri CLI call gets (see the module docs).
const COMMON_FLAGS: &[&str] = &["--ci", "--no-binary-patching"];

/// The Tauri CLI version installed on demand (matches @tauri-apps/api's minor version).
const TAURI_CLI: &str = "@tauri-apps/cli@2.12.5";

/// The CLI's entry point in its install directory.
fn tauri_bin(cli_dir: &Path) -> PathBuf {
    cli_dir.join("node_modules").join(".bin").join("tauri")
}

/// The Tauri CLI run from `ui/` on the app in `src-tauri/`.
fn tauri(root: &Path) -> Command {
    let cli = util::target_dir()
        .map(|t| tauri_bin(&t.join("tauri-cli")))
        .unwrap_or_else(|_| PathBuf::from("tauri"));
    let mut cmd = Command::new(cli);
    util::without_cargo_vars(&mut cmd)
        .current_dir(root.join("ui"))
        .env("TAURI_APP_PATH", root.join("src-tauri"))
        .env("TAURI_FRONTEND_PATH", root.join("ui"))
        .env("NPM_CONFIG_UPDATE_NOTIFIER", "false");
    cmd
}

/// `tauri bundle --bundles appimage` on the binary `tauri build` made; on failure an error that
/// says which downloaded tools are missing.
fn build_appimage(root: &Path, release: &Path, start: SystemTime) -> Result<PathBuf> {
    let tools = appimage_tools_dir();
    let arch = std::env::consts::ARCH;
    let missing = missing_appimage_tools(&tools, arch);
    if !missing.is_empty() {
        println!(
            "    the AppImage bundler will download {} into {}",
            missing.join(", "),
            tools.display()
        );
    }
    let built = timed("tauri bundle --bundles appimage", || {
        // Its version check is not run by `bundle`.
        let mut cmd = tauri(root);
        cmd.args(["bundle", "--bundles", "appimage"])
            .args(COMMON_FLAGS);
        run(&mut cmd)
    });
    if built.is_err() {
        bail!(
            "{}",
            appimage_help(
                &tools,
                arch,
                &missing_appimage_tools(&tools, arch),
                &release.join("bundle").join("deb")
            )
        );
    }
    newest_since(&release.join("bundle").join("appimage"), "AppImage", start)?
        .context("the Tauri CLI succeeded but wrote no .AppImage under target/release/bundle")
}

/// Where Tauri's AppImage bundler keeps its downloaded tools: `$XDG_CACHE_HOME/tauri`, else
/// `~/.cache/tauri` (the bundler's `dirs::cache_dir()`; tauri.conf.json does not set
/// `bundle.useLocalToolsDir`).
fn appimage_tools_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty() && Path::new(dir).is_absolute())
        .map(PathBuf::from)
        .or_else(|| util::home_dir().map(|home| home.join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("tauri")
}

/// The tools the AppImage bundler cannot do without, with where it downloads them from
/// (tauri-bundler 2.x, `linux/appimage/linuxdeploy.rs`; the gtk and gstreamer plugin scripts are
/// built into the CLI, and linuxdeploy-plugin-appimage is optional).
pub fn appimage_tools(arch: &str) -> [(String, String); 2] {
    const RELEASES: &str = "https://github.com/tauri-apps/binary-releases/releases/download";
    [
        (
            format!("AppRun-{arch}"),
            format!("{RELEASES}/apprun-old/AppRun-{arch}"),
        ),
        (
            format!("linuxdeploy-{arch}.AppImage"),
            format!("{RELEASES}/linuxdeploy/linuxdeploy-{arch}.AppImage"),
        ),
    ]
}

/// The file names of [`appimage_tools`] that are not in `dir`.
fn missing_appimage_tools(dir: &Path, arch: &str) -> Vec<String> {
    appimage_tools(arch)
        .into_iter()
        .filter(|(name, _)| !dir.join(name).is_file())
        .map(|(name, _)| name)
        .collect()
}

/// The explanation printed when the AppImage could not be made.
pub fn appimage_help(tools_dir: &Path, arch: &str, missing: &[String], deb_dir: &Path) -> String {
    let mut text = String::from("the AppImage was not built");
    if missing.is_empty() {
        text.push_str(&format!(
            ": the Tauri AppImage bundler failed (its output is above) although its tools are in \
             {}. Run it again with `-v` for linuxdeploy's log:\n\n    cd ui && \
             TAURI_APP_PATH=../src-tauri npx tauri bundle --bundles appimage -v\n",
            tools_dir.display()
        ));
    } else {
        text.push_str(&format!(
            ". Tauri's AppImage bundler runs linuxdeploy, which it downloads from GitHub on first \
             use, and this machine could not download it. Missing from {}:\n\n",
            tools_dir.display()
        ));
        for (name, url) in appimage_tools(arch) {
            if missing.contains(&name) {
                text.push_str(&format!("    {name:<30} {url}\n"));
            }
        }
        text.push_str(&format!(
            "\nEither run `cargo xtask bundle --appimage` where github.com is reachable, or \
             download these files elsewhere, copy them into {} with \
             `chmod +x`, and run it again.\n",
            tools_dir.display()
        ));
    }
    text.push_str(&format!(
        "The .deb is built and checked: {}",
        deb_dir.display()
    ));
    text
}

/// The newest file in `dir` whose name ends in `.ext` and that was written at or after `since`.
fn newest_since(dir: &Path, ext: &str, since: SystemTime) -> Result<Option<PathBuf>> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(None);
    };
    let mut best: Option<(SystemTime, PathBuf)> = None;
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some(ext) || !path.is_file() {
            continue;
        }
        let modified = path.metadata()?.modified()?;
        if modified >= since && best.as_ref().is_none_or(|(t, _)| modified > *t) {
            best = Some((modified, path));
        }
    }
    Ok(best.map(|(_, path)| path))
}

fn size_of(path: &Path) -> String {
    path.metadata()
        .map(|m| format!("{:.1} MiB", m.len() as f64 / (1024.0 * 1024.0)))
        .unwrap_or_else(|_| "size unknown".into())
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------------
// Checking the .deb

/// Checks `deb` with `dpkg-deb` (control fields, listing, the .desktop entry, the packaged CLI
/// runs), extracting it into `scratch`; returns a summary for the log.
fn verify_deb(deb: &Path, scratch: &Path) -> Result<String> {
    let info = capture(Command::new("dpkg-deb").arg("-I").arg(deb))?;
    check_control(&info).with_context(|| format!("{} (dpkg-deb -I):\n{info}", deb.display()))?;
    let listing = capture(Command::new("dpkg-deb").arg("-c").arg(deb))?;
    check_listing(&listing)
        .with_context(|| format!("{} (dpkg-deb -c):\n{listing}", deb.display()))?;

    if scratch.exists() {
        fs::remove_dir_all(scratch).with_context(|| format!("removing {}", scratch.display()))?;
    }
    fs::create_dir_all(scratch)?;
    capture(Command::new("dpkg-deb").arg("-x").arg(deb).arg(scratch))?;
    let desktop = scratch.join("usr/share/applications/modroute.desktop");
    let entry =
        fs::read_to_string(&desktop).with_context(|| format!("reading {}", desktop.display()))?;
    check_desktop_entry(&entry).with_context(|| format!("{}:\n{entry}", desktop.display()))?;
    let version = capture(Command::new(scratch.join("usr/bin/modroute")).arg("--version"))?;
    if !version.starts_with("modroute ") {
        bail!("the packaged `modroute --version` printed {version:?}");
    }
    let files = listing_entries(&listing)
        .into_iter()
        .filter(|e| !e.mode.starts_with('d'))
        .count();
    let summary = format!(
        "    {}: {} files; Depends: {}; Section: {}; packaged CLI: {}",
        deb.file_name().unwrap_or_default().to_string_lossy(),
        files,
        control_field(&info, "Depends").unwrap_or_default(),
        control_field(&info, "Section").unwrap_or("-"),
        version.trim()
    );
    let _ = fs::remove_dir_all(scratch);
    Ok(summary)
}

/// A field of the control file as `dpkg-deb -I` prints it (indented `Name: value`).
pub fn control_field<'a>(info: &'a str, name: &str) -> Option<&'a str> {
    info.lines().find_map(|line| {
        let (key, value) = line.trim_start().split_once(':')?;
        (key == name).then(|| value.trim())
    })
}

/// The package names in a `Depends` value (alternatives and version constraints dropped).
fn depends_names(depends: &str) -> Vec<&str> {
    depends
        .split([',', '|'])
        .filter_map(|dep| dep.split_whitespace().next())
        .map(|name| name.split(':').next().unwrap_or(name))
        .collect()
}

/// Checks the control fields of `dpkg-deb -I`: the package name, an architecture, a description
/// and every package of [`DEB_DEPENDS`].
pub fn check_control(info: &str) -> Result<()> {
    let mut problems = Vec::new();
    match control_field(info, "Package") {
        Some(DEB_PACKAGE) => {}
        other => problems.push(format!("Package is {other:?}, expected {DEB_PACKAGE:?}")),
    }
    for field in ["Version", "Architecture", "Description"] {
        if control_field(info, field).is_none_or(str::is_empty) {
            problems.push(format!("no {field}"));
        }
    }
    let depends = depends_names(control_field(info, "Depends").unwrap_or_default());
    for wanted in DEB_DEPENDS {
        if !depends.contains(wanted) {
            problems.push(format!("Depends lacks {wanted}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!("the .deb's control file is wrong: {}", problems.join("; "))
    }
}

/// One line of `dpkg-deb -c`.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    pub mode: String,
    /// Without a leading `./` or trailing `/`; a symlink's target dropped.
    pub path: String,
}

/// The entries of `dpkg-deb -c` output (`mode owner size date time path [-> target]`).
pub fn listing_entries(listing: &str) -> Vec<Entry> {
    listing
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 6 {
                return None;
            }
            let path = fields[5..].join(" ");
            let path = path.split(" -> ").next().unwrap_or_default();
            let path = path
                .strip_prefix("./")
                .unwrap_or(path)
                .trim_end_matches('/');
            Some(Entry {
                mode: fields[0].to_string(),
                path: path.to_string(),
            })
        })
        .filter(|e| !e.path.is_empty() && e.path != ".")
        .collect()
}

/// Checks that the listing has every file of [`DEB_FILES`], executables with their `x` bits.
pub fn check_listing(listing: &str) -> Result<()> {
    let entries = listing_entries(listing);
    let mut problems = Vec::new();
    for (path, executable) in DEB_FILES {
        match entries.iter().find(|e| e.path == *path) {
            None => problems.push(format!("{path} is missing")),
            Some(e) if !e.mode.starts_with('-') => {
                problems.push(format!("{path} is not a regular file ({})", e.mode));
            }
            Some(e) if *executable && e.mode.get(1..4) != Some("rwx") => {
                problems.push(format!("{path} is not executable ({})", e.mode));
            }
            Some(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!(
            "the .deb lacks what it must install: {}",
            problems.join("; ")
        )
    }
}

/// Checks the `[Desktop Entry]`: an application that starts `modroute-desktop` with its icon, in
/// the Development menu.
pub fn check_desktop_entry(text: &str) -> Result<()> {
    let value = |key: &str| {
        text.lines().find_map(|line| {
            let (k, v) = line.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    };
    let mut problems = Vec::new();
    if !text.lines().any(|l| l.trim() == "[Desktop Entry]") {
        problems.push("no [Desktop Entry] group".to_string());
    }
    if value("Type") != Some("Application") {
        problems.push(format!("Type is {:?}", value("Type")));
    }
    if value("Exec").and_then(|e| e.split_whitespace().next()) != Some(DESKTOP_BINARY) {
        problems.push(format!("Exec is {:?}", value("Exec")));
    }
    if value("Icon") != Some(DESKTOP_BINARY) {
        problems.push(format!("Icon is {:?}", value("Icon")));
    }
    if !value("Categories").is_some_and(|c| c.split(';').any(|c| c == "Development")) {
        problems.push(format!("Categories is {:?}", value("Categories")));
    }
    if value("Name").is_none_or(str::is_empty) {
        problems.push("no Name".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!("the .desktop entry is wrong: {}", problems.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `dpkg-deb -I` of the .deb this command built (Tauri CLI 2.12.5, tauri 2.11.6).
    const INFO: &str = " new Debian package, version 2.0.
 size 8650000 bytes: control archive=680 bytes.
     470 bytes,    10 lines      control
     560 bytes,     7 lines      md5sums
 Package: modroute
 Version: 0.1.0
 Architecture: amd64
 Installed-Size: 20117
 Maintainer: modroute
 Section: devel
 Priority: optional
 Depends: libayatana-appindicator3-1, libwebkit2gtk-4.1-0, libgtk-3-0
 Description: Where each Go network setting really comes from
  modroute shows Go developers where GOPROXY, GOSUMDB … really come from.
";

    /// `dpkg-deb -c` of the same package.
    const LISTING: &str = "\
drwxr-xr-x 0/0               0 2026-11-21 22:46 usr
drwxr-xr-x 0/0               0 2026-11-21 22:46 usr/share/icons/hicolor/512x512/apps
-rw-r--r-- 0/0           35102 2026-11-21 22:46 usr/share/icons/hicolor/512x512/apps/modroute-desktop.png
-rw-r--r-- 0/0            7776 2026-11-21 22:46 usr/share/icons/hicolor/128x128/apps/modroute-desktop.png
-rw-r--r-- 0/0            1637 2026-11-21 22:46 usr/share/icons/hicolor/32x32/apps/modroute-desktop.png
-rw-r--r-- 0/0           15930 2026-11-21 22:46 usr/share/icons/hicolor/256x256@2/apps/modroute-desktop.png
-rw-r--r-- 0/0             218 2026-11-21 22:46 usr/share/applications/modroute.desktop
drwxr-xr-x 0/0               0 2026-11-21 22:46 usr/bin
-rwxr-xr-x 0/0        14392936 2026-11-21 22:46 usr/bin/modroute-desktop
-rwxr-xr-x 0/0         6085744 2026-11-21 22:46 usr/bin/modroute
";

    const DESKTOP: &str = "[Desktop Entry]
Categories=Development;
Comment=Where each Go network setting really comes from
Exec=modroute-desktop
StartupWMClass=modroute-desktop
Icon=modroute-desktop
Name=modroute
Terminal=false
Type=Application
";

    #[test]
    fn the_built_package_passes() {
        check_control(INFO).unwrap();
        check_listing(LISTING).unwrap();
        check_desktop_entry(DESKTOP).unwrap();
        assert_eq!(control_field(INFO, "Section"), Some("devel"));
        assert_eq!(control_field(INFO, "Maintainer"), Some("modroute"));
    }

    #[test]
    fn missing_dependencies_fail() {
        let info = INFO.replace("libayatana-appindicator3-1, ", "");
        let err = check_control(&info).unwrap_err().to_string();
        assert!(
            err.contains("Depends lacks libayatana-appindicator3-1"),
            "{err}"
        );
        let err = check_control(&INFO.replace("Package: modroute", "Package: other"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("Package is Some(\"other\")"), "{err}");
    }

    #[test]
    fn depends_with_versions_and_alternatives() {
        assert_eq!(
            depends_names("libc6 (>= 2.34), libfoo1 | libbar1, libgtk-3-0:amd64"),
            ["libc6", "libfoo1", "libbar1", "libgtk-3-0"]
        );
    }

    #[test]
    fn listing_paths_are_normalised() {
        let entries = listing_entries(
            "drwxr-xr-x root/root 0 2024-01-01 00:00 ./\n\
             drwxr-xr-x root/root 0 2024-01-01 00:00 ./usr/bin/\n\
             lrwxrwxrwx root/root 0 2024-01-01 00:00 ./usr/bin/x y -> ../lib/x\n",
        );
        assert_eq!(
            entries,
            [
                Entry {
                    mode: "drwxr-xr-x".into(),
                    path: "usr/bin".into()
                },
                Entry {
                    mode: "lrwxrwxrwx".into(),
                    path: "usr/bin/x y".into()
                },
            ]
        );
    }

    #[test]
    fn a_listing_without_the_cli_or_the_desktop_file_fails() {
        let listing: String = LISTING
            .lines()
            .filter(|l| !l.ends_with("usr/bin/modroute") && !l.contains(".desktop"))
            .map(|l| format!("{l}\n"))
            .collect();
        let err = check_listing(&listing).unwrap_err().to_string();
        assert!(err.contains("usr/bin/modroute is missing"), "{err}");
        assert!(
            err.contains("usr/share/applications/modroute.desktop is missing"),
            "{err}"
        );
        let not_executable = LISTING.replace(
            "-rwxr-xr-x 0/0        14392936",
            "-rw-r--r-- 0/0        14392936",
        );
        let err = check_listing(&not_executable).unwrap_err().to_string();
        assert!(err.contains("modroute-desktop is not executable"), "{err}");
    }

    #[test]
    fn a_wrong_desktop_entry_fails() {
        let err = check_desktop_entry(&DESKTOP.replace("Exec=modroute-desktop", "Exec=other %U"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("Exec is Some(\"other %U\")"), "{err}");
        assert!(check_desktop_entry(&DESKTOP.replace("Development;", "Utility;")).is_err());
    }

    #[test]
    fn appimage_help_names_the_missing_tools() {
        let missing = vec!["linuxdeploy-x86_64.AppImage".to_string()];
        let text = appimage_help(
            Path::new("/root/.cache/tauri"),
            "x86_64",
            &missing,
            Path::new("/t/release/bundle/deb"),
        );
        assert!(text.contains("Missing from /root/.cache/tauri"), "{text}");
        assert!(
            text.contains("https://github.com/tauri-apps/binary-releases/releases/download/linuxdeploy/linuxdeploy-x86_64.AppImage"),
            "{text}"
        );
        assert!(!text.contains("AppRun-x86_64"), "{text}");
        assert!(text.ends_with("/t/release/bundle/deb"), "{text}");
        let text = appimage_help(Path::new("/c"), "x86_64", &[], Path::new("/d"));
        assert!(text.contains("bundler failed"), "{text}");
    }

    #[test]
    fn missing_tools_are_found_in_the_cache_dir() {
        let dir = std::env::temp_dir().join(format!("xtask-bundle-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("AppRun-x86_64"), "").unwrap();
        assert_eq!(
            missing_appimage_tools(&dir, "x86_64"),
            ["linuxdeploy-x86_64.AppImage"]
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn overlay_paths_are_json_strings() {
        assert_eq!(json_string(r#"/a "b"\c"#), r#""/a \"b\"\\c""#);
        assert_eq!(json_string("x\ny"), r#""x\u000ay""#);
    }
}

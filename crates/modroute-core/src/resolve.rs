//! Which value of each setting `go` actually uses, and every value that lost.
//!
//! Precedence is data: [`Source`] orders the layers weakest to strongest, and [`resolve`] walks
//! them strongest first with cmd/go's rules (`cfg.Getenv` + `envOr`/`EnvOrAndChanged`):
//!
//! 1. the OS variable, only when **non-empty** (`GOPROXY=` exported empty falls through);
//! 2. the user's go env file, where an empty value *is* a setting — it hides `go.env`;
//! 3. `$GOROOT/go.env` (Go 1.21+), which never overrides the user file;
//! 4. the built-in default, used whenever the value found so far is empty. For `GONOPROXY` and
//!    `GONOSUMDB` that default is `GOPRIVATE`'s effective value.
//!
//! Network settings (`HTTPS_PROXY` …) only have layers 1 and 4: net/http reads the upper-case
//! name when non-empty, else the lower-case one. A copy in a go env file is kept in the result so
//! it can be shown as ineffective, but it never wins. This module does no I/O.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::env::Env;
use crate::goenv::GoEnvFile;
use crate::goroot::GoVersion;
use crate::setting::{Setting, SettingKind};

/// Where a value comes from, weakest first: the derived `Ord` *is* the precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The toolchain's built-in default.
    Default,
    /// `$GOROOT/go.env`.
    Goroot,
    /// The user's go env file (`go env -w`).
    Goenv,
    /// The OS environment of the process that runs `go`.
    Env,
}

impl Source {
    /// Every source, strongest first.
    pub const STRONGEST_FIRST: [Source; 4] =
        [Source::Env, Source::Goenv, Source::Goroot, Source::Default];
}

/// A file layer: its path and parsed contents.
#[derive(Clone, Copy, Debug)]
pub struct FileLayer<'a> {
    /// Where the file is.
    pub path: &'a Path,
    /// What it says.
    pub file: &'a GoEnvFile,
}

/// Everything the resolver looks at.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// The OS environment `go` would be started with.
    pub env: &'a Env,
    /// The user's go env file, when one is read.
    pub goenv: Option<FileLayer<'a>>,
    /// `$GOROOT/go.env`, when one is read.
    pub goroot: Option<FileLayer<'a>>,
    /// The toolchain version, when known (selects the built-in defaults).
    pub go_version: Option<GoVersion>,
}

/// A position in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
}

/// The value each layer holds; `None` when the layer does not set the setting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LayerValues {
    /// The OS environment (`Some("")` when exported empty).
    pub env: Option<String>,
    /// The user's go env file.
    pub goenv: Option<String>,
    /// `$GOROOT/go.env`.
    pub goroot: Option<String>,
    /// The built-in default.
    pub default: Option<String>,
}

impl LayerValues {
    /// The value of one layer.
    pub fn get(&self, source: Source) -> Option<&str> {
        match source {
            Source::Env => self.env.as_deref(),
            Source::Goenv => self.goenv.as_deref(),
            Source::Goroot => self.goroot.as_deref(),
            Source::Default => self.default.as_deref(),
        }
    }

    fn get_mut(&mut self, source: Source) -> &mut Option<String> {
        match source {
            Source::Env => &mut self.env,
            Source::Goenv => &mut self.goenv,
            Source::Goroot => &mut self.goroot,
            Source::Default => &mut self.default,
        }
    }
}

/// How one setting resolves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The setting.
    pub setting: Setting,
    /// The value `go` uses ("" when unset).
    pub value: String,
    /// The layer it comes from.
    pub source: Source,
    /// Every layer's value, winners and losers.
    pub layers: LayerValues,
    /// The file and line of the winning value, for file layers.
    pub location: Option<Location>,
    /// The OS variable that fed the env layer (`https_proxy` when the lower-case one was used).
    pub env_name: Option<&'static str>,
    /// The setting whose value the default follows, when the default won.
    pub derived_from: Option<Setting>,
    /// The `go` on PATH predates this setting and ignores it (GOAUTH before Go 1.24): the
    /// value is then the empty default, whatever the layers say.
    pub unread: bool,
}

/// The built-in default of a setting for a toolchain version. Go 1.21 moved the GOPROXY,
/// GOSUMDB and GOTOOLCHAIN defaults into `$GOROOT/go.env`; older releases compile them in.
pub fn builtin_default(setting: Setting, version: Option<GoVersion>) -> &'static str {
    let compiled_in = version.is_some_and(|v| !v.has_go_env());
    match setting {
        Setting::GoProxy if compiled_in => "https://proxy.golang.org,direct",
        Setting::GoSumDb if compiled_in => "sum.golang.org",
        // cmd/go 1.24+: `envOr("GOAUTH", "netrc")`; older go has no GOAUTH.
        Setting::GoAuth if !too_old(setting, version) => "netrc",
        _ => "",
    }
}

/// Whether the `go` of `version` is older than the first one that reads `setting` (an
/// unknown version is taken as the newest).
pub fn too_old(setting: Setting, version: Option<GoVersion>) -> bool {
    match (setting.since(), version) {
        (Some(since), Some(v)) => (v.major, v.minor) < since,
        _ => false,
    }
}

/// Resolves every setting in [`Setting::ALL`] order.
pub fn resolve(inputs: &Inputs<'_>) -> Vec<Resolution> {
    let mut out: Vec<Resolution> = Vec::with_capacity(Setting::ALL.len());
    for setting in Setting::ALL {
        let derived = setting
            .default_follows()
            .and_then(|other| out.iter().find(|r| r.setting == other))
            .map(|r| (r.setting, r.value.clone()));
        out.push(resolve_one(setting, inputs, derived));
    }
    out
}

fn resolve_one(
    setting: Setting,
    inputs: &Inputs<'_>,
    derived: Option<(Setting, String)>,
) -> Resolution {
    let mut layers = LayerValues::default();
    let mut locations: [Option<Location>; 2] = [None, None];

    let (env_name, env_value) = env_layer(setting, inputs.env);
    layers.env = env_value;
    for (slot, source, layer) in [
        (0, Source::Goenv, inputs.goenv),
        (1, Source::Goroot, inputs.goroot),
    ] {
        if let Some(entry) = layer.and_then(|l| l.file.get(setting.name())) {
            *layers.get_mut(source) = Some(entry.value);
            locations[slot] = layer.map(|l| Location {
                file: l.path.to_path_buf(),
                line: entry.line,
            });
        }
    }
    let default = match &derived {
        Some((_, value)) => value.clone(),
        None => builtin_default(setting, inputs.go_version).to_string(),
    };
    layers.default = Some(default.clone());

    // cfg.Getenv: a non-empty OS value, else the first file layer that has the key at all.
    let found = match setting.kind() {
        SettingKind::Network => layers
            .env
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(|_| Source::Env),
        SettingKind::Go => Source::STRONGEST_FIRST[..3]
            .iter()
            .copied()
            .find(|&s| match s {
                Source::Env => layers.env.as_deref().is_some_and(|v| !v.is_empty()),
                _ => layers.get(s).is_some(),
            }),
    };
    // envOr: an empty result falls back to the default — which only matters when the default
    // itself is non-empty (GONOPROXY following GOPRIVATE, pre-1.21 compiled-in defaults).
    let source = match found {
        Some(s) if !layers.get(s).unwrap_or_default().is_empty() || default.is_empty() => s,
        _ => Source::Default,
    };
    // A setting this go does not know has no effect, whatever the layers say (they are still
    // shown, as losing values).
    let unread = too_old(setting, inputs.go_version);
    let source = if unread { Source::Default } else { source };
    let value = layers.get(source).unwrap_or_default().to_string();
    let location = match source {
        Source::Goenv => locations[0].take(),
        Source::Goroot => locations[1].take(),
        Source::Env | Source::Default => None,
    };
    Resolution {
        setting,
        value,
        source,
        layers,
        location,
        env_name,
        derived_from: derived
            .filter(|_| source == Source::Default)
            .map(|(s, _)| s),
        unread,
    }
}

/// The OS layer: for network settings the upper-case name when non-empty, else the lower-case
/// one (net/http's `getEnvAny`); reports which name supplied the value.
fn env_layer(setting: Setting, env: &Env) -> (Option<&'static str>, Option<String>) {
    let names = setting.env_names();
    if let Some((name, value)) = names
        .iter()
        .find_map(|n| env.get_non_empty(n).map(|v| (*n, v)))
    {
        return (Some(name), Some(value));
    }
    match names.iter().find_map(|n| env.get(n).map(|v| (*n, v))) {
        Some((name, value)) => (Some(name), Some(value)),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::TargetOs;

    fn run(vars: &[(&str, &str)], user: Option<&str>, goroot: Option<&str>) -> Vec<Resolution> {
        let env = Env::from_vars_on(TargetOs::Unix, vars.iter().copied());
        let user = user.map(|t| GoEnvFile::parse(t.as_bytes()));
        let root = goroot.map(|t| GoEnvFile::parse(t.as_bytes()));
        let inputs = Inputs {
            env: &env,
            goenv: user.as_ref().map(|file| FileLayer {
                path: Path::new("/u/go/env"),
                file,
            }),
            goroot: root.as_ref().map(|file| FileLayer {
                path: Path::new("/r/go.env"),
                file,
            }),
            go_version: None,
        };
        resolve(&inputs)
    }

    fn get(rs: &[Resolution], s: Setting) -> &Resolution {
        rs.iter().find(|r| r.setting == s).unwrap()
    }

    const GO_ENV: &str =
        "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n";

    #[test]
    fn precedence_is_ordered() {
        assert!(
            Source::Env > Source::Goenv
                && Source::Goenv > Source::Goroot
                && Source::Goroot > Source::Default
        );
        let mut sorted = Source::STRONGEST_FIRST;
        sorted.sort();
        sorted.reverse();
        assert_eq!(sorted, Source::STRONGEST_FIRST);
    }

    #[test]
    fn os_variable_beats_go_env_w() {
        let rs = run(
            &[("GOPROXY", "https://env.example")],
            Some("GOPROXY=https://file.example\n"),
            Some(GO_ENV),
        );
        let r = get(&rs, Setting::GoProxy);
        assert_eq!(
            (r.value.as_str(), r.source),
            ("https://env.example", Source::Env)
        );
        assert_eq!(r.layers.goenv.as_deref(), Some("https://file.example"));
        assert_eq!(
            r.layers.goroot.as_deref(),
            Some("https://proxy.golang.org,direct")
        );
        assert_eq!(r.env_name, Some("GOPROXY"));
    }

    #[test]
    fn empty_os_variable_falls_through_but_empty_file_value_hides_go_env() {
        let rs = run(&[("GOPROXY", "")], Some("GOPROXY=\n"), Some(GO_ENV));
        let r = get(&rs, Setting::GoProxy);
        assert_eq!((r.value.as_str(), r.source), ("", Source::Goenv));
        assert_eq!(r.layers.env.as_deref(), Some(""));
        assert_eq!(
            r.location,
            Some(Location {
                file: "/u/go/env".into(),
                line: 1
            })
        );
        let r = get(&rs, Setting::GoSumDb);
        assert_eq!(
            (r.value.as_str(), r.source),
            ("sum.golang.org", Source::Goroot)
        );
        assert_eq!(r.location.as_ref().map(|l| l.line), Some(2));
    }

    #[test]
    fn gonoproxy_follows_goprivate_even_over_an_empty_file_value() {
        let rs = run(
            &[],
            Some("GOPRIVATE=corp.example\nGONOPROXY=\n"),
            Some(GO_ENV),
        );
        let r = get(&rs, Setting::GoNoProxy);
        assert_eq!(
            (r.value.as_str(), r.source),
            ("corp.example", Source::Default)
        );
        assert_eq!(r.derived_from, Some(Setting::GoPrivate));
        let rs = run(
            &[("GONOSUMDB", "none")],
            Some("GOPRIVATE=corp.example\n"),
            None,
        );
        let r = get(&rs, Setting::GoNoSumDb);
        assert_eq!(
            (r.value.as_str(), r.source, r.derived_from),
            ("none", Source::Env, None)
        );
    }

    #[test]
    fn network_settings_come_only_from_the_os() {
        let rs = run(
            &[
                ("HTTPS_PROXY", ""),
                ("https_proxy", "http://p:3128"),
                ("no_proxy", "x"),
                ("NO_PROXY", "y"),
            ],
            Some("HTTPS_PROXY=http://file:1\nHTTP_PROXY=http://file:2\n"),
            None,
        );
        let r = get(&rs, Setting::HttpsProxy);
        assert_eq!(
            (r.value.as_str(), r.source, r.env_name),
            ("http://p:3128", Source::Env, Some("https_proxy"))
        );
        assert_eq!(r.layers.goenv.as_deref(), Some("http://file:1"));
        let r = get(&rs, Setting::HttpProxy);
        assert_eq!(
            (r.value.as_str(), r.source),
            ("", Source::Default),
            "a go env file entry has no effect"
        );
        assert_eq!(
            get(&rs, Setting::NoProxy).value,
            "y",
            "upper case wins when non-empty"
        );
    }

    #[test]
    fn pre_121_toolchains_have_compiled_in_defaults() {
        let env = Env::from_vars_on(TargetOs::Unix, [("X", "")]);
        let user = GoEnvFile::parse(b"GOPROXY=\n");
        let inputs = Inputs {
            env: &env,
            goenv: Some(FileLayer {
                path: Path::new("/u"),
                file: &user,
            }),
            goroot: None,
            go_version: GoVersion::parse("go1.19.8"),
        };
        let rs = resolve(&inputs);
        let r = get(&rs, Setting::GoProxy);
        assert_eq!(
            (r.value.as_str(), r.source),
            ("https://proxy.golang.org,direct", Source::Default)
        );
    }
}

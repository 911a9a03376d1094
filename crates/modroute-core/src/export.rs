//! A profile's settings (or the effective ones) written for other tools: shells, Docker, CI
//! systems — `modroute env --format <f>` and the app's "Everywhere" snippets.
//!
//! # What is exported
//!
//! [`for_profile`] and [`effective`] produce the same shape: one [`Var`] per OS variable name of
//! every [`Setting`] — the GO* settings once, the network settings in both spellings
//! (`HTTPS_PROXY` and `https_proxy`), `None` for a setting that is not set. A profile is a
//! complete state, so formats that can remove a variable (`sh`, `fish`, `powershell`, `cmd`,
//! `json` as `null`) do; formats that cannot (`dotenv`, Docker, CI) list only what is set.
//!
//! # Quoting and refusals
//!
//! Every format has its own quoting, chosen so that no value can end the string, start a new
//! line, expand a variable or run a command in the tool that reads it. A value the format
//! cannot carry exactly is refused with [`RenderError`], naming the variable and the reason,
//! rather than written wrongly. NUL is refused everywhere (no environment can hold it); line
//! breaks everywhere except `json`, `gitlab-ci` (escaped) and `github-actions` (GitHub's
//! delimiter form, for `\n` only).
//!
//! # Passwords
//!
//! These outputs exist to hand real values to another tool, so they carry proxy passwords
//! unredacted — the one place modroute does so. Callers must not log them; the app shows a
//! redacted copy ([`crate::redact`]) unless the user reveals it. The `dockerfile` format refuses
//! credentials: a Dockerfile is committed and its `ARG`/`ENV` values end up in the image.

use serde::Serialize;

use crate::env::Env;
use crate::profile::{self, LoadError, Profile};
use crate::redact;
use crate::resolve::{Resolution, Source};
use crate::setting::{Setting, SettingKind};
use crate::shell;

/// One OS variable to export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Var {
    /// The variable name (`GOPROXY`, `https_proxy`).
    pub name: String,
    /// The setting it carries.
    #[serde(skip)]
    pub setting: Setting,
    /// The value; `None`: not set (removed where the format can remove).
    pub value: Option<String>,
}

/// The variables of a profile: every OS name of every setting, set to the profile's value or
/// `None` when the profile leaves the setting out.
pub fn for_profile(profile: &Profile) -> Vec<Var> {
    vars_from(|s| profile.get(s).map(str::to_owned))
}

/// The variables of the effective settings as `status` resolves them: every non-empty effective
/// value. A default that only follows another setting (GONOPROXY and GONOSUMDB follow
/// GOPRIVATE) is left out, so the reader derives it the same way.
pub fn effective(resolutions: &[Resolution]) -> Vec<Var> {
    vars_from(|s| {
        let r = resolutions.iter().find(|r| r.setting == s)?;
        if r.value.is_empty() || (r.source == Source::Default && r.derived_from.is_some()) {
            return None;
        }
        Some(r.value.clone())
    })
}

fn vars_from(value: impl Fn(Setting) -> Option<String>) -> Vec<Var> {
    let mut out = Vec::new();
    for setting in Setting::ALL {
        let v = value(setting);
        for &name in setting.env_names() {
            out.push(Var {
                name: name.to_owned(),
                setting,
                value: v.clone(),
            });
        }
    }
    out
}

/// The same variables with every password masked, for showing (never for use).
pub fn redacted(vars: &[Var]) -> Vec<Var> {
    vars.iter()
        .map(|v| Var {
            value: v.value.as_deref().map(redact::redact),
            ..v.clone()
        })
        .collect()
}

/// Whether any value carries a password.
pub fn has_credentials(vars: &[Var]) -> bool {
    vars.iter()
        .any(|v| v.value.as_deref().is_some_and(redact::has_credentials))
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// POSIX sh (`eval "$(modroute env --format sh)"`): `export`/`unset`, single quotes.
    Sh,
    /// fish (`modroute env --format fish | source`): `set -gx`/`set -e -g`.
    Fish,
    /// PowerShell: `$env:NAME = '…'` / `Remove-Item`.
    Powershell,
    /// A cmd.exe batch file: `set "NAME=value"`.
    Cmd,
    /// Docker's `--env-file`: `NAME=value`, the value taken literally.
    Dotenv,
    /// `docker build` arguments, one per line: `--build-arg=NAME=value`.
    DockerBuildArgs,
    /// Lines for a Dockerfile: `ARG` with the values as defaults, `ENV` for the GO* settings.
    Dockerfile,
    /// Lines for `$GITHUB_ENV`.
    GithubActions,
    /// A `variables:` block for `.gitlab-ci.yml`.
    GitlabCi,
    /// A JSON object; `null` for a setting that is not set.
    Json,
}

impl Format {
    /// Every format, in the order they are offered.
    pub const ALL: [Format; 10] = [
        Format::Sh,
        Format::Fish,
        Format::Powershell,
        Format::Cmd,
        Format::Dotenv,
        Format::DockerBuildArgs,
        Format::Dockerfile,
        Format::GithubActions,
        Format::GitlabCi,
        Format::Json,
    ];

    /// The name on the command line and over IPC.
    pub const fn name(self) -> &'static str {
        match self {
            Format::Sh => "sh",
            Format::Fish => "fish",
            Format::Powershell => "powershell",
            Format::Cmd => "cmd",
            Format::Dotenv => "dotenv",
            Format::DockerBuildArgs => "docker-build-args",
            Format::Dockerfile => "dockerfile",
            Format::GithubActions => "github-actions",
            Format::GitlabCi => "gitlab-ci",
            Format::Json => "json",
        }
    }

    /// Looks a format up by [`Format::name`].
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the format can remove a variable (otherwise unset settings are left out).
    pub const fn can_unset(self) -> bool {
        matches!(
            self,
            Format::Sh | Format::Fish | Format::Powershell | Format::Cmd | Format::Json
        )
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a value cannot be written in a format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{name} cannot be written as {format}: {reason}")]
pub struct RenderError {
    /// The variable.
    pub name: String,
    /// The format.
    pub format: Format,
    /// Why, in a sentence that says what to do instead where there is an alternative.
    pub reason: String,
}

/// What the output is about, for the comment line of formats that have comments.
#[derive(Clone, Copy, Debug)]
pub enum Origin<'a> {
    /// A profile, by id.
    Profile(&'a str),
    /// The effective settings of the calling environment.
    Effective,
}

impl Origin<'_> {
    fn describe(self) -> String {
        match self {
            // Profile ids are `[a-z0-9_-]+` (checked when profiles load), safe in any comment.
            Origin::Profile(id) => format!("modroute profile {id}"),
            Origin::Effective => "modroute: the effective Go network settings".into(),
        }
    }
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Checks `value` of `name` for `format`; `Err(reason)` when it cannot be carried.
fn check(format: Format, var: &Var, value: &str) -> Result<(), String> {
    if value.contains('\0') {
        return Err("it contains a NUL character, which no environment can hold".into());
    }
    match format {
        Format::Json | Format::GitlabCi => {}
        Format::GithubActions if value.contains('\r') => {
            return Err(
                "it contains a carriage return, which the runner reads as a line end".into(),
            );
        }
        Format::GithubActions => {}
        _ if value.chars().any(is_line_break) => {
            return Err("it contains a line break; this format is one line per value".into());
        }
        _ => {}
    }
    match format {
        Format::Cmd => {
            if let Some(c) = value
                .chars()
                .find(|&c| matches!(c, '"' | '!') || c.is_control() || !c.is_ascii())
            {
                return Err(format!(
                    "it contains {c:?}; cmd.exe cannot quote `\"` or `!` (delayed expansion), and \
                     reads batch files in the console's code page (ASCII only)"
                ));
            }
        }
        Format::DockerBuildArgs if value.contains([' ', '\t']) => {
            return Err(format!(
                "it contains a space or tab, and `$(…)` splits words there; pass it from the \
                 environment instead: `modroute exec <profile> -- docker build --build-arg {} .`",
                var.name
            ));
        }
        Format::Dockerfile if value.contains('\'') => {
            return Err(
                "it contains `'`, which a Dockerfile cannot escape portably (the escape \
                 character is set per file); use --format docker-build-args"
                    .into(),
            );
        }
        Format::Dockerfile if redact::has_credentials(value) => {
            return Err(
                "it contains a password, and a Dockerfile's ARG and ENV values are stored in the \
                 image; use --format docker-build-args"
                    .into(),
            );
        }
        // Docker reads the file with Go's bufio.Scanner: 64 KiB per line at most.
        Format::Dotenv if var.name.len() + 1 + value.len() >= 64 * 1024 => {
            return Err("it is longer than docker's 64 KiB line limit".into());
        }
        _ => {}
    }
    Ok(())
}

/// Renders `vars` in `format`.
pub fn render(format: Format, vars: &[Var], origin: Origin<'_>) -> Result<String, RenderError> {
    for var in vars {
        if let Some(value) = &var.value {
            check(format, var, value).map_err(|reason| RenderError {
                name: var.name.clone(),
                format,
                reason,
            })?;
        }
    }
    let set = || {
        vars.iter()
            .filter_map(|v| v.value.as_deref().map(|value| (v, value)))
    };
    let title = origin.describe();
    let mut out = String::new();
    match format {
        Format::Sh => {
            out.push_str(&format!("# {title}\n"));
            for v in vars {
                match &v.value {
                    Some(value) => out.push_str(&format!(
                        "export {}={}\n",
                        v.name,
                        shell::posix::quote(value)
                    )),
                    None => out.push_str(&format!("unset {}\n", v.name)),
                }
            }
        }
        Format::Fish => {
            out.push_str(&format!("# {title}\n"));
            for v in vars {
                match &v.value {
                    Some(value) => out.push_str(&format!(
                        "set -gx {} {}\n",
                        v.name,
                        shell::fish::quote(value)
                    )),
                    None => out.push_str(&format!("set -e -g {}\n", v.name)),
                }
            }
        }
        Format::Powershell => {
            out.push_str(&format!("# {title}\n"));
            for v in vars {
                match &v.value {
                    Some(value) => out.push_str(&format!(
                        "$env:{} = {}\n",
                        v.name,
                        shell::pwsh::quote(value)
                    )),
                    None => out.push_str(&format!(
                        "Remove-Item -LiteralPath 'env:/{}' -ErrorAction Ignore\n",
                        v.name
                    )),
                }
            }
        }
        Format::Cmd => {
            out.push_str(&format!("@rem {title}\r\n"));
            // Windows names are case-insensitive: HTTPS_PROXY and https_proxy are one variable.
            let mut seen: Vec<String> = Vec::new();
            for v in vars {
                let key = v.name.to_ascii_uppercase();
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                // Inside `set "…"` the operators & | < > ^ are literal; in a batch file `%`
                // must be doubled.
                let value = v.value.as_deref().unwrap_or("").replace('%', "%%");
                out.push_str(&format!("@set \"{}={value}\"\r\n", v.name));
            }
        }
        Format::Dotenv => {
            out.push_str(&format!("# {title}\n"));
            for (v, value) in set() {
                out.push_str(&format!("{}={value}\n", v.name));
            }
        }
        Format::DockerBuildArgs => {
            for (v, value) in set() {
                if v.setting == Setting::SslCertFile {
                    continue; // a path on this machine, not inside the build
                }
                out.push_str(&format!("--build-arg={}={value}\n", v.name));
            }
        }
        Format::Dockerfile => {
            out.push_str(&format!("# {title}\n"));
            let go: Vec<(&Var, &str)> = set()
                .filter(|(v, _)| v.setting.kind() == SettingKind::Go)
                .collect();
            for (v, value) in &go {
                out.push_str(&format!("ARG {}='{value}'\n", v.name));
            }
            if !go.is_empty() {
                let envs: Vec<String> = go
                    .iter()
                    .map(|(v, _)| format!("{0}=\"${{{0}}}\"", v.name))
                    .collect();
                out.push_str(&format!("ENV {}\n", envs.join(" ")));
            }
            let network: Vec<&str> = set()
                .filter(|(v, _)| {
                    v.setting.kind() == SettingKind::Network && v.setting != Setting::SslCertFile
                })
                .map(|(v, _)| v.name.as_str())
                .collect();
            if !network.is_empty() {
                out.push_str(&format!(
                    "# {} are Docker's predefined build args: pass them with --build-arg \
                     (--format docker-build-args); they stay out of the image and its history.\n",
                    network.join(", ")
                ));
            }
            if set().any(|(v, _)| v.setting == Setting::SslCertFile) {
                out.push_str(
                    "# SSL_CERT_FILE names a file on this machine: COPY the CA into the image \
                     and set SSL_CERT_FILE to its path there.\n",
                );
            }
        }
        Format::GithubActions => {
            for (v, value) in set() {
                if value.contains('\n') {
                    let delimiter = delimiter_for(value);
                    out.push_str(&format!("{}<<{delimiter}\n{value}\n{delimiter}\n", v.name));
                } else {
                    out.push_str(&format!("{}={value}\n", v.name));
                }
            }
        }
        Format::GitlabCi => {
            out.push_str(&format!("# {title}\nvariables:\n"));
            for (v, value) in set() {
                out.push_str(&format!(
                    "  {}:\n    value: {}\n    expand: false\n",
                    v.name,
                    yaml_quote(value)
                ));
            }
        }
        Format::Json => {
            // Written by hand to keep the settings' display order.
            out.push('{');
            for (i, v) in vars.iter().enumerate() {
                let value = match &v.value {
                    Some(s) => serde_json::Value::String(s.clone()),
                    None => serde_json::Value::Null,
                };
                let sep = if i == 0 { "" } else { "," };
                out.push_str(&format!("{sep}\n  \"{}\": {value}", v.name));
            }
            out.push_str("\n}\n");
        }
    }
    Ok(out)
}

/// Why an export (or `exec`) cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The profiles file cannot be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// No profile has that id.
    #[error("unknown profile `{id}`; available: {available}")]
    Unknown {
        /// The id asked for.
        id: String,
        /// The ids there are, comma-separated.
        available: String,
    },
    /// The profile cannot be used.
    #[error("profile `{id}` cannot be used: {problems}")]
    Unusable {
        /// The id.
        id: String,
        /// Its problems, `; `-separated.
        problems: String,
    },
    /// A value cannot be written in the format.
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// Profile `id` from the built-ins and the user's file, if it exists and can be used.
pub fn usable_profile(env: &Env, id: &str) -> Result<Profile, ExportError> {
    let profiles = profile::load(env)?;
    let Some(chosen) = profiles.get(id) else {
        let ids: Vec<&str> = profiles.list.iter().map(|p| p.id.as_str()).collect();
        return Err(ExportError::Unknown {
            id: id.to_owned(),
            available: ids.join(", "),
        });
    };
    if !chosen.is_usable() {
        let problems: Vec<String> = chosen.problems.iter().map(ToString::to_string).collect();
        return Err(ExportError::Unusable {
            id: id.to_owned(),
            problems: problems.join("; "),
        });
    }
    Ok(chosen.clone())
}

/// `modroute env`: profile `id`'s variables (or, without one, the effective settings of `env`)
/// in `format`. The text carries real values, passwords included.
pub fn export(env: &Env, id: Option<&str>, format: Format) -> Result<String, ExportError> {
    let (vars, origin) = match id {
        Some(id) => (for_profile(&usable_profile(env, id)?), Origin::Profile(id)),
        None => (
            effective(&crate::status::resolutions(env)),
            Origin::Effective,
        ),
    };
    Ok(render(format, &vars, origin)?)
}

/// One format's snippet for the app.
#[derive(Clone, Debug, Serialize)]
pub struct Snippet {
    /// The format.
    pub format: Format,
    /// The text with real values (to copy); `None` when refused.
    pub text: Option<String>,
    /// The same text with passwords masked (to show); `None` when refused.
    pub masked: Option<String>,
    /// Why the format cannot carry the profile (redacted), when it cannot.
    pub refused: Option<String>,
}

/// Every format's snippet for profile `id`.
pub fn snippets(env: &Env, id: &str) -> Result<Vec<Snippet>, ExportError> {
    let chosen = usable_profile(env, id)?;
    let vars = for_profile(&chosen);
    let masked_vars = redacted(&vars);
    let origin = Origin::Profile(id);
    Ok(Format::ALL
        .into_iter()
        .map(|format| {
            // The masked text is rendered from masked values; both must succeed (a refusal of
            // either is shown as the refusal), so the panel never has one without the other.
            let both = render(format, &vars, origin)
                .and_then(|text| Ok((text, render(format, &masked_vars, origin)?)));
            match both {
                Ok((text, masked)) => Snippet {
                    format,
                    text: Some(text),
                    masked: Some(masked),
                    refused: None,
                },
                Err(e) => Snippet {
                    format,
                    text: None,
                    masked: None,
                    refused: Some(redact::redact_lines(&e.to_string())),
                },
            }
        })
        .collect())
}

/// A heredoc delimiter that is no line of `value`.
fn delimiter_for(value: &str) -> String {
    let mut n = 0u32;
    loop {
        let d = if n == 0 {
            "MODROUTE_EOF".to_string()
        } else {
            format!("MODROUTE_EOF_{n}")
        };
        if !value.split('\n').any(|line| line == d) {
            return d;
        }
        n += 1;
    }
}

/// `value` as a YAML double-quoted scalar that every YAML 1.1/1.2 reader (PyYAML, Ruby's Psych)
/// reads back exactly: `"` and `\` escaped, and every character outside YAML's printable set —
/// plus line breaks, the BOM and noncharacters — written as an escape.
pub fn yaml_quote(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        let code = c as u32;
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\t' => s.push_str("\\t"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            _ if code < 0x20 || (0x7f..=0x9f).contains(&code) => {
                s.push_str(&format!("\\x{code:02X}"));
            }
            _ if matches!(code, 0xfeff | 0x2028 | 0x2029)
                || (0xfdd0..=0xfdef).contains(&code)
                || (code & 0xfffe) == 0xfffe =>
            {
                if code > 0xffff {
                    s.push_str(&format!("\\U{code:08X}"));
                } else {
                    s.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(Setting, &str)]) -> Vec<Var> {
        vars_from(|s| {
            pairs
                .iter()
                .find(|(p, _)| *p == s)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn every_name_once_network_in_both_cases() {
        let v = vars(&[
            (Setting::GoProxy, "https://goproxy.cn,direct"),
            (Setting::HttpsProxy, "http://u:pw@p:3128"),
        ]);
        let names: Vec<&str> = v.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names.len(), 19);
        assert!(names.contains(&"https_proxy") && names.contains(&"NO_PROXY"));
        let get = |n: &str| v.iter().find(|v| v.name == n).unwrap().value.clone();
        assert_eq!(get("https_proxy").as_deref(), Some("http://u:pw@p:3128"));
        assert_eq!(get("GOPRIVATE"), None);
        assert!(has_credentials(&v));
        assert_eq!(
            redacted(&v)
                .iter()
                .find(|v| v.name == "HTTPS_PROXY")
                .unwrap()
                .value
                .as_deref(),
            Some("http://u:xxxxx@p:3128")
        );
    }

    #[test]
    fn formats_round_trip_by_name() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::from_name("bash"), None);
    }

    #[test]
    fn shells_set_and_unset() {
        let v = vars(&[(Setting::GoProxy, "a'b")]);
        let sh = render(Format::Sh, &v, Origin::Profile("x")).unwrap();
        assert!(sh.starts_with("# modroute profile x\n"));
        assert!(sh.contains("export GOPROXY='a'\\''b'\n"));
        assert!(sh.contains("unset https_proxy\n"));
        let fish = render(Format::Fish, &v, Origin::Effective).unwrap();
        assert!(fish.contains("set -gx GOPROXY 'a\\'b'\n") && fish.contains("set -e -g GOSUMDB\n"));
        let ps = render(Format::Powershell, &v, Origin::Effective).unwrap();
        assert!(ps.contains("$env:GOPROXY = 'a''b'\n"));
        assert!(ps.contains("Remove-Item -LiteralPath 'env:/NO_PROXY' -ErrorAction Ignore\n"));
    }

    #[test]
    fn cmd_doubles_percent_refuses_what_it_cannot_quote_and_folds_case() {
        let v = vars(&[
            (Setting::GoProxy, "https://x/%41&b|c"),
            (Setting::HttpProxy, "http://p"),
        ]);
        let out = render(Format::Cmd, &v, Origin::Effective).unwrap();
        assert!(out.contains("@set \"GOPROXY=https://x/%%41&b|c\"\r\n"));
        assert!(out.contains("@set \"HTTP_PROXY=http://p\"\r\n"));
        assert!(!out.contains("http_proxy"));
        assert!(out.contains("@set \"GOPRIVATE=\"\r\n"));
        for bad in ["a\"b", "a!b", "中", "a\u{1}"] {
            let err = render(
                Format::Cmd,
                &vars(&[(Setting::GoFlags, bad)]),
                Origin::Effective,
            )
            .unwrap_err();
            assert_eq!(err.name, "GOFLAGS");
        }
    }

    #[test]
    fn line_breaks_and_nul_are_refused_by_name() {
        for f in Format::ALL {
            let err =
                render(f, &vars(&[(Setting::NoProxy, "a\0b")]), Origin::Effective).unwrap_err();
            assert_eq!(err.name, "NO_PROXY", "{f}");
            let nl = render(f, &vars(&[(Setting::GoFlags, "a\nb")]), Origin::Effective);
            let carries = matches!(f, Format::Json | Format::GitlabCi | Format::GithubActions);
            assert_eq!(nl.is_ok(), carries, "{f}: {nl:?}");
        }
        let err = render(
            Format::GithubActions,
            &vars(&[(Setting::GoFlags, "a\rb")]),
            Origin::Effective,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("GOFLAGS cannot be written as github-actions")
        );
    }

    #[test]
    fn github_uses_a_delimiter_no_line_equals() {
        let v = vars(&[(Setting::GoFlags, "a\nMODROUTE_EOF\nb")]);
        let out = render(Format::GithubActions, &v, Origin::Effective).unwrap();
        assert_eq!(
            out,
            "GOFLAGS<<MODROUTE_EOF_1\na\nMODROUTE_EOF\nb\nMODROUTE_EOF_1\n"
        );
        let v = vars(&[(Setting::GoProxy, "x=y<<z")]);
        assert_eq!(
            render(Format::GithubActions, &v, Origin::Effective).unwrap(),
            "GOPROXY=x=y<<z\n"
        );
    }

    #[test]
    fn docker_formats() {
        let v = vars(&[
            (Setting::GoProxy, "https://goproxy.cn,direct"),
            (Setting::GoPrivate, "*.corp.example"),
            (Setting::HttpsProxy, "http://p:3128"),
            (Setting::SslCertFile, "/etc/ca.pem"),
        ]);
        let args = render(Format::DockerBuildArgs, &v, Origin::Effective).unwrap();
        assert_eq!(
            args,
            "--build-arg=GOPROXY=https://goproxy.cn,direct\n--build-arg=GOPRIVATE=*.corp.example\n\
             --build-arg=HTTPS_PROXY=http://p:3128\n--build-arg=https_proxy=http://p:3128\n"
        );
        let file = render(Format::Dockerfile, &v, Origin::Profile("acme")).unwrap();
        assert_eq!(
            file.lines().take(4).collect::<Vec<_>>(),
            [
                "# modroute profile acme",
                "ARG GOPROXY='https://goproxy.cn,direct'",
                "ARG GOPRIVATE='*.corp.example'",
                "ENV GOPROXY=\"${GOPROXY}\" GOPRIVATE=\"${GOPRIVATE}\"",
            ]
        );
        assert!(file.contains("HTTPS_PROXY, https_proxy are Docker's predefined build args"));
        assert!(file.contains("SSL_CERT_FILE names a file on this machine"));
        let secret = vars(&[(Setting::HttpsProxy, "http://u:pw@p:3128")]);
        let err = render(Format::Dockerfile, &secret, Origin::Effective).unwrap_err();
        assert!(err.reason.contains("password"), "{err}");
        let spaced = vars(&[(Setting::GoFlags, "-mod=mod -x")]);
        let err = render(Format::DockerBuildArgs, &spaced, Origin::Effective).unwrap_err();
        assert!(err.reason.contains("--build-arg GOFLAGS"), "{err}");
        let dotenv = render(Format::Dotenv, &spaced, Origin::Effective).unwrap();
        assert_eq!(
            dotenv,
            "# modroute: the effective Go network settings\nGOFLAGS=-mod=mod -x\n"
        );
    }

    #[test]
    fn snippets_hold_real_and_masked_text_or_a_redacted_refusal() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(".config/modroute");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("profiles.toml"),
            "[profiles.acme]\nGOPROXY = \"https://goproxy.cn,direct\"\nHTTPS_PROXY = \"http://u:s3cret@p:3128\"\n",
        )
        .unwrap();
        let env = Env::from_vars_on(crate::TargetOs::Unix, [("HOME", home.path())]);
        let all = snippets(&env, "acme").unwrap();
        assert_eq!(all.len(), Format::ALL.len());
        for s in &all {
            match s.format {
                Format::Dockerfile => {
                    let why = s.refused.as_deref().unwrap();
                    assert!(
                        why.contains("HTTPS_PROXY") && !why.contains("s3cret"),
                        "{why}"
                    );
                    assert!(s.text.is_none() && s.masked.is_none());
                }
                f => {
                    assert!(s.text.as_deref().unwrap().contains("s3cret"), "{f}");
                    let masked = s.masked.as_deref().unwrap();
                    assert!(
                        masked.contains("u:xxxxx@p") && !masked.contains("s3cret"),
                        "{f}"
                    );
                }
            }
        }
        assert!(matches!(
            snippets(&env, "nope"),
            Err(ExportError::Unknown { .. })
        ));
        assert!(matches!(
            snippets(&env, "corporate"),
            Err(ExportError::Unusable { .. })
        ));
    }

    #[test]
    fn gitlab_and_json() {
        let v = vars(&[(Setting::GoProxy, "$CI_X \"q\" \\ \u{1} \u{feff} 中")]);
        let out = render(Format::GitlabCi, &v, Origin::Effective).unwrap();
        assert!(out.contains(
            "variables:\n  GOPROXY:\n    value: \"$CI_X \\\"q\\\" \\\\ \\x01 \\uFEFF 中\"\n    expand: false\n"
        ));
        assert_eq!(yaml_quote("\u{10FFFF}\u{85}"), "\"\\U0010FFFF\\x85\"");
        let json = render(Format::Json, &v, Origin::Effective).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["GOPROXY"], "$CI_X \"q\" \\ \u{1} \u{feff} 中");
        assert!(parsed["https_proxy"].is_null());
    }
}

//! What modroute writes for shells: the env files holding the network variables, the prompt hooks
//! that carry a switch into already-open shells, and the rc-file wiring that sources both.
//!
//! # Model
//!
//! - **Values live in files modroute owns** under `<config>/modroute` ([`crate::paths::config_dir`]):
//!   `env.sh` (sh, dash, bash, zsh, ksh), `env.fish`, `env.csh`, `env.json` (read by nushell) and
//!   `env.ps1`. Each is a *complete state*: every managed variable ([`NETWORK_VARS`]) is either
//!   set and exported or unset, so a switch also removes what the new profile drops. They are
//!   rewritten on every switch; the user's rc files are edited once ([`rc_targets`]).
//! - **A generation file** `<config>/modroute/gen` ([`GEN_FILE`]) holds a token that changes after
//!   every switch (written *after* the env files). Prompt hooks read it with shell builtins only —
//!   no process per prompt — and re-source the env file when it differs from the token they last
//!   applied. The startup code reads `gen` *before* sourcing, so a concurrent switch can only make
//!   the next prompt re-source once more, never miss a change.
//! - **Quoting is per shell** ([`Syntax`]), each in its own file: POSIX single quotes
//!   ([`posix::quote`]), fish's single quotes with `\\`/`\'` ([`fish::quote`]), csh single quotes
//!   with `!` escaped ([`csh::quote`]), JSON for nushell ([`nu`]), PowerShell verbatim strings
//!   ([`pwsh::quote`]). The integration tests run every generated file in the real shells on
//!   thousands of adversarial values. Values may hold anything except NUL (no environment can)
//!   and line breaks (refused for simplicity: csh and environment.d cannot carry them cleanly);
//!   names must match `[A-Za-z_][A-Za-z0-9_]*`. Both are checked before any text is produced.
//!
//! # Paths inside generated text
//!
//! When the config dir is under `$HOME`, generated text names it relative to the shell's own
//! `$HOME` at run time (`"$HOME"'/.config/modroute/env.sh'`), so an rc file kept in a dotfiles
//! repository works on every machine; otherwise the absolute path is written, quoted.

pub mod csh;
pub mod fish;
pub mod nu;
pub mod posix;
pub mod pwsh;

use std::path::{Path, PathBuf};

use crate::env::{Env, TargetOs};
use crate::paths;
use crate::rcblock::{Markers, Placement};

/// The variables modroute writes to shells: the proxy variables in both spellings (Go reads the
/// upper case first, curl and git prefer the lower case), the CA bundle and directory, and the
/// netrc file go reads credentials from. GO* settings are not
/// here: they go to the go env file, which every `go` reads fresh.
pub const NETWORK_VARS: [&str; 9] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "NO_PROXY",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "NETRC",
];

/// The first line of every env file, after the shell's comment token.
pub const HEADER: &str = "Managed by modroute — rewritten on every switch; edit profiles instead.";

/// The generation file's name inside the config dir.
pub const GEN_FILE: &str = "gen";

/// The fish file modroute owns in `conf.d`.
pub const FISH_CONF_D_FILE: &str = "modroute.fish";

/// A variable assignment: `Some(value)` sets and exports it, `None` unsets it.
pub type Assignment<'a> = (&'a str, Option<&'a str>);

/// The complete shell state for a profile: for each of [`NETWORK_VARS`], the value `get` returns
/// for its upper-case name (`None`: unset). Lower-case spellings copy their upper-case partner.
pub fn network_assignments<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
) -> Vec<(&'static str, Option<&'a str>)> {
    NETWORK_VARS
        .iter()
        .map(|&name| (name, get(&name.to_ascii_uppercase())))
        .collect()
}

/// The syntax an env file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// POSIX sh: sh, dash, bash, zsh, ksh, busybox ash.
    Posix,
    /// fish.
    Fish,
    /// csh and tcsh.
    Csh,
    /// nushell (the file is JSON, loaded at run time).
    Nu,
    /// PowerShell 5.1 and 7.
    Pwsh,
}

impl Syntax {
    /// Every syntax, in the order env files are written.
    pub const ALL: [Syntax; 5] = [
        Syntax::Posix,
        Syntax::Fish,
        Syntax::Csh,
        Syntax::Nu,
        Syntax::Pwsh,
    ];

    /// The env file's name inside the config dir.
    pub const fn file_name(self) -> &'static str {
        match self {
            Syntax::Posix => "env.sh",
            Syntax::Fish => "env.fish",
            Syntax::Csh => "env.csh",
            Syntax::Nu => "env.json",
            Syntax::Pwsh => "env.ps1",
        }
    }
}

/// A shell modroute wires up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ShellKind {
    /// GNU bash (login and interactive).
    Bash,
    /// zsh (every zsh, including `zsh -c`).
    Zsh,
    /// POSIX sh login shells — dash, ksh, and display managers that source `~/.profile`.
    Sh,
    /// fish (every fish).
    Fish,
    /// tcsh and csh.
    Tcsh,
    /// nushell (interactive and `nu -l`).
    Nu,
    /// PowerShell (all hosts).
    Pwsh,
}

impl ShellKind {
    /// Every shell, in the order targets are listed.
    pub const ALL: [ShellKind; 7] = [
        ShellKind::Bash,
        ShellKind::Zsh,
        ShellKind::Sh,
        ShellKind::Fish,
        ShellKind::Tcsh,
        ShellKind::Nu,
        ShellKind::Pwsh,
    ];

    /// The user-facing name (also the usual binary name, except `pwsh`'s 5.1 sibling).
    pub const fn name(self) -> &'static str {
        match self {
            ShellKind::Bash => "bash",
            ShellKind::Zsh => "zsh",
            ShellKind::Sh => "sh",
            ShellKind::Fish => "fish",
            ShellKind::Tcsh => "tcsh",
            ShellKind::Nu => "nu",
            ShellKind::Pwsh => "pwsh",
        }
    }

    /// The env file syntax this shell sources.
    pub const fn syntax(self) -> Syntax {
        match self {
            ShellKind::Bash | ShellKind::Zsh | ShellKind::Sh => Syntax::Posix,
            ShellKind::Fish => Syntax::Fish,
            ShellKind::Tcsh => Syntax::Csh,
            ShellKind::Nu => Syntax::Nu,
            ShellKind::Pwsh => Syntax::Pwsh,
        }
    }
}

/// Why an assignment cannot be written safely.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    /// The name is not `[A-Za-z_][A-Za-z0-9_]*`.
    #[error(
        "invalid variable name {name:?}: use letters, digits and `_`, not starting with a digit"
    )]
    InvalidName {
        /// The offending name.
        name: String,
    },
    /// The value contains a NUL byte, which no environment can hold.
    #[error("the value of {name} contains a NUL character")]
    Nul {
        /// The variable.
        name: String,
    },
    /// The value contains a line break.
    #[error("the value of {name} contains a line break; values must be a single line")]
    LineBreak {
        /// The variable.
        name: String,
    },
    /// The value contains a Unicode noncharacter (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF), which
    /// systemd rejects as invalid UTF-8 (only the desktop session refuses it; shells carry it).
    #[error(
        "the value of {name} contains U+{code:04X}, a Unicode noncharacter that systemd rejects as invalid UTF-8"
    )]
    Noncharacter {
        /// The variable.
        name: String,
        /// The code point.
        code: u32,
    },
}

/// Why modroute's files cannot be located.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LocateError {
    /// Neither a home directory nor a config dir could be determined from the environment.
    #[error("cannot determine the home directory (is HOME set?)")]
    NoHome,
    /// A path that must appear in shell text is not UTF-8.
    #[error("{} is not valid UTF-8; shell files cannot name it portably", path.display())]
    NonUtf8Path {
        /// The path.
        path: PathBuf,
    },
}

fn valid_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b == b'_' || b.is_ascii_alphabetic())
        && bytes.all(|b| b == b'_' || b.is_ascii_alphanumeric())
}

/// Characters treated as line breaks (refused in values).
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Checks names and values before any text is generated.
pub fn validate(vars: &[Assignment<'_>]) -> Result<(), QuoteError> {
    for &(name, value) in vars {
        if !valid_name(name) {
            return Err(QuoteError::InvalidName {
                name: name.to_owned(),
            });
        }
        let Some(value) = value else { continue };
        if value.contains('\0') {
            return Err(QuoteError::Nul {
                name: name.to_owned(),
            });
        }
        if value.chars().any(is_line_break) {
            return Err(QuoteError::LineBreak {
                name: name.to_owned(),
            });
        }
    }
    Ok(())
}

/// Renders one env file: a header comment, then for each assignment a set-and-export or an unset
/// in `syntax`.
pub fn render_env_file(syntax: Syntax, vars: &[Assignment<'_>]) -> Result<String, QuoteError> {
    validate(vars)?;
    Ok(match syntax {
        Syntax::Posix => posix::render(vars),
        Syntax::Fish => fish::render(vars),
        Syntax::Csh => csh::render(vars),
        Syntax::Nu => nu::render(vars),
        Syntax::Pwsh => pwsh::render(vars),
    })
}

/// One file modroute owns in its config dir.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFile {
    /// The file name inside the config dir.
    pub name: &'static str,
    /// The complete contents.
    pub text: String,
}

/// Every env file for `vars`, one per [`Syntax`].
pub fn render_env_files(vars: &[Assignment<'_>]) -> Result<Vec<EnvFile>, QuoteError> {
    Syntax::ALL
        .iter()
        .map(|&s| {
            Ok(EnvFile {
                name: s.file_name(),
                text: render_env_file(s, vars)?,
            })
        })
        .collect()
}

/// The contents of the generation file after a switch, given its current contents: the previous
/// number plus one (1 when missing or unreadable).
pub fn next_gen(current: Option<&[u8]>) -> String {
    let n = current
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(0);
    format!("{}\n", n.wrapping_add(1))
}

/// Where modroute's config dir is, as shell text should name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigLocation {
    dir: String,
    home_relative: Option<String>,
}

impl ConfigLocation {
    /// `<config>/modroute` for `env` ([`paths::config_dir`]).
    pub fn from_env(env: &Env) -> Result<Self, LocateError> {
        let dir = paths::config_dir(env).ok_or(LocateError::NoHome)?;
        Self::new(&dir, env.home().as_deref())
    }

    /// A location for an explicit config dir; named relative to `home` when inside it.
    pub fn new(dir: &Path, home: Option<&Path>) -> Result<Self, LocateError> {
        let text = |p: &Path| {
            p.to_str()
                .map(str::to_owned)
                .ok_or_else(|| LocateError::NonUtf8Path { path: p.to_owned() })
        };
        let home_relative = match home.and_then(|h| dir.strip_prefix(h).ok()) {
            Some(rel) if !rel.as_os_str().is_empty() => Some(text(rel)?),
            _ => None,
        };
        Ok(ConfigLocation {
            dir: text(dir)?,
            home_relative,
        })
    }

    /// The config dir.
    pub fn dir(&self) -> &Path {
        Path::new(&self.dir)
    }

    /// A file in the config dir.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir().join(name)
    }

    /// The file's path relative to `$HOME`, when the config dir is inside it (`/`-separated).
    pub(crate) fn home_relative(&self, name: &str) -> Option<String> {
        self.home_relative
            .as_ref()
            .map(|r| format!("{}/{name}", r.trim_end_matches(['/', '\\'])))
    }

    /// The file's absolute path as text.
    pub(crate) fn absolute(&self, name: &str) -> String {
        format!("{}/{name}", self.dir.trim_end_matches(['/', '\\']))
    }
}

/// The prompt hook alone, as text for `shell` (what the rc wiring installs; shown in docs and
/// previews). Sh has no prompt hook (`None`): POSIX shells offer no portable one.
pub fn hook_text(shell: ShellKind, loc: &ConfigLocation) -> Option<String> {
    Some(match shell {
        ShellKind::Bash => posix::bash_hook(loc),
        ShellKind::Zsh => posix::zsh_hook(loc),
        ShellKind::Sh => return None,
        ShellKind::Fish => fish::hook(loc),
        ShellKind::Tcsh => csh::hook(loc),
        ShellKind::Nu => nu::hook(loc),
        ShellKind::Pwsh => pwsh::hook(loc),
    })
}

/// How modroute changes one rc file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RcEdit {
    /// A managed block in a file the user owns ([`crate::rcblock::splice`]).
    Block {
        /// The block's markers.
        markers: Markers,
        /// The block body (without markers and the managed line).
        body: String,
        /// Where a new block goes.
        placement: Placement,
    },
    /// A whole file modroute owns (fish's `conf.d/modroute.fish`).
    OwnedFile {
        /// The complete contents.
        text: String,
    },
}

/// One rc file to wire up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RcTarget {
    /// The shell it is for (`~/.profile` is listed under [`ShellKind::Sh`] and, if sh is not
    /// requested, under bash).
    pub shell: ShellKind,
    /// The file.
    pub path: PathBuf,
    /// What to write.
    pub edit: RcEdit,
    /// Whether to create the file when it does not exist (otherwise: skip the target).
    pub create_if_missing: bool,
}

/// The rc files to wire up for `shells`, decided from `env` and from which files exist.
///
/// `exists` is asked about candidate files (pass `|p| p.exists()`; tests pass a fake). Rules,
/// after what rustup's installer does and what each shell's manual says it reads:
///
/// - **bash:** `~/.bashrc` gets the values block at the top (before Debian's non-interactive
///   `return` and users' IDE-probe guards) and the hook block at the bottom (after anything that
///   assigns `PROMPT_COMMAND`); it is created only when `$SHELL` is bash. `~/.profile` gets the
///   values block (created when missing: bash login shells read it when there is no
///   `~/.bash_profile`). `~/.bash_profile` and `~/.bash_login` get it only if they exist — creating
///   one would shadow `~/.profile`.
/// - **zsh:** `${ZDOTDIR:-$HOME}/.zshenv`, read by every zsh including `zsh -c`; the hook part is
///   guarded to interactive shells.
/// - **sh:** `~/.profile` (strictly POSIX: dash and display managers read it).
/// - **fish:** `${XDG_CONFIG_HOME:-~/.config}/fish/conf.d/modroute.fish`, a file modroute owns.
/// - **tcsh:** `~/.tcshrc`, or `~/.cshrc` when only that exists: values at the top, the `precmd`
///   hook at the bottom (so it can chain a `precmd` alias the file defines).
/// - **nu:** nushell's `config.nu` (bottom: a later `$env.config = {…}` would drop the hook).
/// - **pwsh:** the CurrentUserAllHosts profile. On Windows `Documents` may be redirected; callers
///   that can run PowerShell should prefer `$PROFILE.CurrentUserAllHosts` as it reports.
pub fn rc_targets(
    env: &Env,
    shells: &[ShellKind],
    exists: &dyn Fn(&Path) -> bool,
) -> Result<Vec<RcTarget>, LocateError> {
    let home = env.home().ok_or(LocateError::NoHome)?;
    let loc = ConfigLocation::from_env(env)?;
    let config_home = match env.path("XDG_CONFIG_HOME").filter(|p| p.is_absolute()) {
        Some(p) => p,
        None => home.join(".config"),
    };
    let user_shell = env
        .path("SHELL")
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    let block = |markers, body: String, placement| RcEdit::Block {
        markers,
        body,
        placement,
    };
    let mut out: Vec<RcTarget> = Vec::new();
    let mut push = |shell, path: PathBuf, edit, create_if_missing| {
        let same = |t: &RcTarget| {
            t.path == path
                && match (&t.edit, &edit) {
                    (RcEdit::Block { markers: a, .. }, RcEdit::Block { markers: b, .. }) => a == b,
                    _ => true,
                }
        };
        if !out.iter().any(same) {
            out.push(RcTarget {
                shell,
                path,
                edit,
                create_if_missing,
            });
        }
    };
    let profile_first = shells.contains(&ShellKind::Sh);
    for &shell in shells {
        match shell {
            ShellKind::Bash => {
                let create = user_shell.as_deref() == Some("bash");
                let bashrc = home.join(".bashrc");
                let values = posix::values_block(&loc);
                push(
                    shell,
                    bashrc.clone(),
                    block(Markers::VALUES, values.clone(), Placement::Top),
                    create,
                );
                push(
                    shell,
                    bashrc,
                    block(
                        Markers::HOOK,
                        posix::bash_hook_block(&loc),
                        Placement::Bottom,
                    ),
                    create,
                );
                for name in [".bash_profile", ".bash_login"] {
                    let path = home.join(name);
                    if exists(&path) {
                        push(
                            shell,
                            path,
                            block(Markers::VALUES, values.clone(), Placement::Top),
                            false,
                        );
                    }
                }
                if !profile_first {
                    push(
                        shell,
                        home.join(".profile"),
                        block(Markers::VALUES, values, Placement::Top),
                        true,
                    );
                }
            }
            ShellKind::Sh => push(
                shell,
                home.join(".profile"),
                block(Markers::VALUES, posix::values_block(&loc), Placement::Top),
                true,
            ),
            ShellKind::Zsh => {
                let dir = env.path("ZDOTDIR").unwrap_or_else(|| home.clone());
                push(
                    shell,
                    dir.join(".zshenv"),
                    block(Markers::VALUES, posix::zshenv_block(&loc), Placement::Top),
                    true,
                );
            }
            ShellKind::Fish => push(
                shell,
                config_home.join("fish/conf.d").join(FISH_CONF_D_FILE),
                RcEdit::OwnedFile {
                    text: fish::conf_d_file(&loc),
                },
                true,
            ),
            ShellKind::Tcsh => {
                let tcshrc = home.join(".tcshrc");
                let cshrc = home.join(".cshrc");
                let path = if !exists(&tcshrc) && exists(&cshrc) {
                    cshrc
                } else {
                    tcshrc
                };
                push(
                    shell,
                    path.clone(),
                    block(Markers::VALUES, csh::rc_block(&loc), Placement::Top),
                    true,
                );
                push(
                    shell,
                    path,
                    block(Markers::HOOK, csh::hook_block(&loc), Placement::Bottom),
                    true,
                );
            }
            ShellKind::Nu => {
                let dir = match (
                    env.path("XDG_CONFIG_HOME").filter(|p| p.is_absolute()),
                    env.os(),
                ) {
                    (Some(p), _) => p.join("nushell"),
                    (None, TargetOs::MacOs) => home.join("Library/Application Support/nushell"),
                    (None, TargetOs::Windows) => env
                        .path("APPDATA")
                        .unwrap_or_else(|| home.join("AppData/Roaming"))
                        .join("nushell"),
                    (None, TargetOs::Unix) => config_home.join("nushell"),
                };
                push(
                    shell,
                    dir.join("config.nu"),
                    block(Markers::VALUES, nu::config_block(&loc), Placement::Bottom),
                    true,
                );
            }
            ShellKind::Pwsh => {
                let path = match env.os() {
                    TargetOs::Windows => home.join("Documents/PowerShell/profile.ps1"),
                    TargetOs::Unix | TargetOs::MacOs => config_home.join("powershell/profile.ps1"),
                };
                push(
                    shell,
                    path,
                    block(
                        Markers::POWERSHELL,
                        pwsh::profile_block(&loc),
                        Placement::Top,
                    ),
                    true,
                );
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env::from_vars_on(
            TargetOs::Unix,
            [("HOME", "/h"), ("SHELL", "/bin/zsh"), ("ZDOTDIR", "/z")],
        )
    }

    #[test]
    fn names_and_values_are_validated() {
        let bad = |vars: &[Assignment<'_>]| render_env_file(Syntax::Posix, vars).unwrap_err();
        assert!(matches!(
            bad(&[("1X", None)]),
            QuoteError::InvalidName { .. }
        ));
        assert!(matches!(
            bad(&[("A-B", None)]),
            QuoteError::InvalidName { .. }
        ));
        assert!(matches!(bad(&[("", None)]), QuoteError::InvalidName { .. }));
        assert_eq!(
            bad(&[("X", Some("a\0b"))]),
            QuoteError::Nul { name: "X".into() }
        );
        for v in ["a\nb", "a\rb", "a\u{2028}b"] {
            assert_eq!(
                bad(&[("HTTPS_PROXY", Some(v))]),
                QuoteError::LineBreak {
                    name: "HTTPS_PROXY".into()
                }
            );
        }
        assert!(bad(&[("X", Some("a\nb"))]).to_string().contains("X"));
    }

    #[test]
    fn network_assignments_copy_upper_case_into_lower_case() {
        let got = network_assignments(|k| (k == "HTTPS_PROXY").then_some("http://p:3128"));
        assert_eq!(got.len(), 9);
        assert!(got.contains(&("https_proxy", Some("http://p:3128"))));
        assert!(got.contains(&("NO_PROXY", None)));
        assert!(got.contains(&("no_proxy", None)));
    }

    #[test]
    fn gen_counts_up_from_anything() {
        assert_eq!(next_gen(None), "1\n");
        assert_eq!(next_gen(Some(b"41\n")), "42\n");
        assert_eq!(next_gen(Some(b"junk")), "1\n");
    }

    #[test]
    fn locations_are_home_relative_when_possible() {
        let loc = ConfigLocation::from_env(&env()).unwrap();
        assert_eq!(
            loc.home_relative("env.sh").as_deref(),
            Some(".config/modroute/env.sh")
        );
        assert_eq!(loc.absolute("gen"), "/h/.config/modroute/gen");
        let elsewhere = ConfigLocation::new(Path::new("/etc/x"), Some(Path::new("/h"))).unwrap();
        assert_eq!(elsewhere.home_relative("gen"), None);
    }

    #[test]
    fn targets_follow_the_rules() {
        let e = env();
        let none = |_: &Path| false;
        let t = rc_targets(&e, &ShellKind::ALL, &none).unwrap();
        let paths: Vec<String> = t.iter().map(|t| t.path.display().to_string()).collect();
        assert_eq!(
            paths,
            [
                "/h/.bashrc",
                "/h/.bashrc",
                "/z/.zshenv",
                "/h/.profile",
                "/h/.config/fish/conf.d/modroute.fish",
                "/h/.tcshrc",
                "/h/.tcshrc",
                "/h/.config/nushell/config.nu",
                "/h/.config/powershell/profile.ps1",
            ]
        );
        // $SHELL is zsh: a missing .bashrc is not created; .profile always is.
        assert!(!t[0].create_if_missing && t[3].create_if_missing);
        assert_eq!(t[3].shell, ShellKind::Sh);

        let exists = |p: &Path| p.ends_with(".bash_profile") || p.ends_with(".cshrc");
        let t = rc_targets(&e, &[ShellKind::Bash, ShellKind::Tcsh], &exists).unwrap();
        let paths: Vec<String> = t.iter().map(|t| t.path.display().to_string()).collect();
        assert_eq!(
            paths,
            [
                "/h/.bashrc",
                "/h/.bashrc",
                "/h/.bash_profile",
                "/h/.profile",
                "/h/.cshrc",
                "/h/.cshrc"
            ]
        );
        assert!(!t[2].create_if_missing);
        assert_eq!(t[3].shell, ShellKind::Bash);
    }

    #[test]
    fn every_shell_has_a_hook_but_sh() {
        let loc = ConfigLocation::from_env(&env()).unwrap();
        for s in ShellKind::ALL {
            assert_eq!(hook_text(s, &loc).is_some(), s != ShellKind::Sh, "{s:?}");
        }
    }
}

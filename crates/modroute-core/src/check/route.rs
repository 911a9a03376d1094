//! What a check probes: the settings that decide where `go` sends its requests.

use std::path::PathBuf;

use crate::env::Env;
use crate::httpproxy::ProxyEnv;
use crate::modpath;
use crate::netrc::{self, Netrc};
use crate::profile::Profile;
use crate::resolve::Resolution;
use crate::setting::Setting;
use crate::status;

/// The settings of one route, unredacted (they carry the credentials the probes send).
#[derive(Clone, Debug, Default)]
pub struct Route {
    /// GOPROXY.
    pub goproxy: String,
    /// GOSUMDB.
    pub gosumdb: String,
    /// GONOPROXY, or GOPRIVATE when that is empty (as cmd/go derives it).
    pub gonoproxy: String,
    /// GONOSUMDB, or GOPRIVATE when that is empty.
    pub gonosumdb: String,
    /// GOPRIVATE (the default of GONOPROXY and GONOSUMDB).
    pub goprivate: String,
    /// GOINSECURE: direct (go-get, VCS) fetches of matching modules may use plain http.
    pub goinsecure: String,
    /// GOVCS: which version control tools `direct` may run, for public and private modules.
    pub govcs: String,
    /// HTTP_PROXY / HTTPS_PROXY / NO_PROXY as Go reads them.
    pub proxies: ProxyEnv,
    /// SSL_CERT_FILE: replaces the system bundle as Go's trust roots.
    pub ssl_cert_file: Option<String>,
    /// SSL_CERT_DIR: colon-separated directories replacing the system ones.
    pub ssl_cert_dir: Option<String>,
    /// The credentials go would send (netrc, as GOAUTH and the go version decide).
    pub credentials: Credentials,
    /// git, as `direct` fetches run it.
    pub vcs: super::Vcs,
}

/// Where the credentials of a request come from (never the secret itself).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CredentialSource {
    /// A netrc line: the file as shown (`~/.netrc`) and the line of its `machine` token.
    Netrc {
        /// The file, under `~` when it is in HOME.
        file: String,
        /// 1-based line.
        line: usize,
    },
    /// The user and password written in the URL.
    UrlUserInfo,
}

impl std::fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialSource::Netrc { file, line } => write!(f, "{file} line {line}"),
            CredentialSource::UrlUserInfo => f.write_str("the URL's user info"),
        }
    }
}

/// What go authenticates its https requests with.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    /// The netrc go reads, when GOAUTH uses it and the file exists.
    pub netrc: Option<Netrc>,
    /// Go 1.24+ matches netrc machines as `host/path` prefixes (older: the host exactly).
    pub prefixes: bool,
    /// GOAUTH as go reads it (`None` for a go older than 1.24, which has no GOAUTH).
    pub goauth: Option<String>,
    /// What the check does not model: GOAUTH commands and `git <dir>` are not run, a netrc
    /// that cannot be read.
    pub notes: Vec<String>,
    /// HOME, to show `~/.netrc`.
    pub home: Option<PathBuf>,
}

impl Credentials {
    /// The credentials the `go` on `env`'s PATH uses, as [`Credentials::resolved`] from
    /// `env`'s resolved settings.
    pub fn from_env(env: &Env) -> Credentials {
        Credentials::resolved(env, &status::resolutions(env))
    }

    /// The credentials go uses given its resolved settings (GOAUTH: the environment, the go
    /// env file, `$GOROOT/go.env`, else `netrc`; ignored by a go older than 1.24) and the netrc
    /// file `env` points at (NETRC, else `~/.netrc`).
    pub fn resolved(env: &Env, resolutions: &[Resolution]) -> Credentials {
        let goauth = resolutions
            .iter()
            .find(|r| r.setting == Setting::GoAuth)
            .filter(|r| !r.unread)
            .map(|r| r.value.clone());
        Credentials::new(env, goauth)
    }

    /// The credentials for GOAUTH's value (`None`: the go on PATH predates GOAUTH and always
    /// reads the netrc) and the netrc file `env` points at.
    pub fn new(env: &Env, goauth: Option<String>) -> Credentials {
        let mut credentials = Credentials {
            prefixes: goauth.is_some(),
            home: env.home(),
            ..Credentials::default()
        };
        let mut use_netrc = true;
        if let Some(goauth) = &goauth {
            use_netrc = false;
            for method in goauth.split(';').map(str::trim) {
                match method.split_whitespace().next() {
                    Some("netrc") => use_netrc = true,
                    Some("off") | None => {}
                    Some("git") => credentials.notes.push(format!(
                        "GOAUTH runs `{method}` (git credential fill) for each host; the check does not run it"
                    )),
                    Some(_) => credentials.notes.push(format!(
                        "GOAUTH runs the command `{method}`; the check does not run it"
                    )),
                }
            }
        }
        if use_netrc {
            match netrc::load(env) {
                Ok(found) => credentials.netrc = found,
                Err(e) => credentials.notes.push(format!(
                    "the netrc file {} cannot be read: {e}",
                    netrc::path(env).unwrap_or_default().display()
                )),
            }
        }
        credentials.goauth = goauth;
        credentials
    }

    /// The Authorization header go adds to a request for `url`, and where it came from
    /// ("~/.netrc line 4"). Only https requests get one.
    pub fn for_url(&self, url: &url::Url) -> Option<(String, CredentialSource)> {
        if url.scheme() != "https" {
            return None;
        }
        let netrc = self.netrc.as_ref()?;
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str()?),
            None => url.host_str()?.to_string(),
        };
        let entry = netrc.lookup(&host, url.path(), self.prefixes)?;
        let header = basic(&entry.login, &entry.password);
        let source = CredentialSource::Netrc {
            file: shown_path(&netrc.path, self.home.as_deref()),
            line: entry.line,
        };
        Some((header, source))
    }

    /// Why a request to `url` carries no credentials, for a 401/403 message.
    pub fn missing_for(&self, url: &url::Url) -> String {
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        if url.scheme() != "https" {
            return "go sends credentials only over https".to_string();
        }
        if self.goauth.as_deref() == Some("off") {
            return "GOAUTH=off: go sends no credentials".to_string();
        }
        match &self.netrc {
            Some(n) => format!(
                "no line of {} has `machine {host}` with a login and a password",
                shown_path(&n.path, self.home.as_deref())
            ),
            None => format!(
                "no netrc file: add `machine {host} login <user> password <token>` to ~/.netrc (mode 0600)"
            ),
        }
    }
}

/// The variables a switch to `profile` sets for the processes go starts (git): its proxies in
/// both spellings and its CA file; `None` removes a variable the profile leaves out.
fn profile_overrides(profile: &Profile) -> Vec<(&'static str, Option<String>)> {
    let value = |s: Setting| profile.get(s).map(str::to_string);
    vec![
        ("HTTP_PROXY", value(Setting::HttpProxy)),
        ("http_proxy", value(Setting::HttpProxy)),
        ("HTTPS_PROXY", value(Setting::HttpsProxy)),
        ("https_proxy", value(Setting::HttpsProxy)),
        ("NO_PROXY", value(Setting::NoProxy)),
        ("no_proxy", value(Setting::NoProxy)),
        ("SSL_CERT_FILE", value(Setting::SslCertFile)),
        ("SSL_CERT_DIR", value(Setting::SslCertDir)),
        ("NETRC", value(Setting::Netrc)),
    ]
}

/// `path` under `~` when it lies in `home`.
fn shown_path(path: &std::path::Path, home: Option<&std::path::Path>) -> String {
    match home.and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

fn basic(login: &str, password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{login}:{password}"))
    )
}

impl Route {
    /// The route `go` takes in `env`: each setting's effective value (OS env > go env file >
    /// `$GOROOT/go.env` > default).
    pub fn effective(env: &Env) -> Route {
        let resolutions = status::resolutions(env);
        let value = |s: Setting| {
            resolutions
                .iter()
                .find(|r| r.setting == s)
                .map(|r| r.value.clone())
                .unwrap_or_default()
        };
        Route {
            goproxy: value(Setting::GoProxy),
            gosumdb: value(Setting::GoSumDb),
            gonoproxy: value(Setting::GoNoProxy),
            gonosumdb: value(Setting::GoNoSumDb),
            goprivate: value(Setting::GoPrivate),
            goinsecure: value(Setting::GoInsecure),
            govcs: value(Setting::GoVcs),
            proxies: ProxyEnv::from_lookup(|name| env.get(name)),
            ssl_cert_file: env.get_non_empty("SSL_CERT_FILE"),
            ssl_cert_dir: env.get_non_empty("SSL_CERT_DIR"),
            credentials: Credentials::resolved(env, &resolutions),
            vcs: super::Vcs::from_env(env, &[]),
        }
    }

    /// The route a switch to `profile` sets up: its values; Go settings it leaves out take
    /// their `$GOROOT/go.env` or built-in default (a switch removes them from the go env file),
    /// network settings it leaves out are unset.
    pub fn for_profile(env: &Env, profile: &Profile) -> Route {
        let resolutions = status::resolutions(env);
        let go = |s: Setting| -> String {
            if let Some(v) = profile.get(s) {
                return v.to_string();
            }
            resolutions
                .iter()
                .find(|r| r.setting == s)
                .and_then(|r| r.layers.goroot.clone().or_else(|| r.layers.default.clone()))
                .unwrap_or_default()
        };
        let private = go(Setting::GoPrivate);
        let or_private = |v: String| if v.is_empty() { private.clone() } else { v };
        Route {
            goproxy: go(Setting::GoProxy),
            gosumdb: go(Setting::GoSumDb),
            gonoproxy: or_private(go(Setting::GoNoProxy)),
            gonosumdb: or_private(go(Setting::GoNoSumDb)),
            goprivate: private.clone(),
            goinsecure: go(Setting::GoInsecure),
            govcs: go(Setting::GoVcs),
            proxies: ProxyEnv::from_lookup(|name| {
                let setting = match name {
                    "HTTP_PROXY" => Setting::HttpProxy,
                    "HTTPS_PROXY" => Setting::HttpsProxy,
                    "NO_PROXY" => Setting::NoProxy,
                    "REQUEST_METHOD" => return env.get(name),
                    _ => return None,
                };
                profile.get(setting).map(str::to_string)
            }),
            ssl_cert_file: profile.get(Setting::SslCertFile).map(str::to_string),
            ssl_cert_dir: profile.get(Setting::SslCertDir).map(str::to_string),
            // The profile's GOAUTH (else go.env's or the default) and its NETRC (a switch unsets
            // a NETRC the profile leaves out, so go then reads ~/.netrc).
            credentials: Credentials::new(
                &match profile.get(Setting::Netrc) {
                    Some(path) => env.clone().with("NETRC", path),
                    None => env.clone().without("NETRC"),
                },
                resolutions
                    .iter()
                    .find(|r| r.setting == Setting::GoAuth)
                    .filter(|r| !r.unread)
                    .map(|_| go(Setting::GoAuth)),
            ),
            vcs: super::Vcs::from_env(env, &profile_overrides(profile)),
        }
    }

    /// Whether GONOPROXY sends `module` straight to its origin (cmd/go's `noproxy`).
    pub fn private_match(&self, module: &str) -> bool {
        self.goproxy != "direct" && modpath::matches_prefix_patterns(&self.gonoproxy, module)
    }

    /// The checksum DB as cmd/go's `dbDial` reads GOSUMDB: `None` when off, else its name and
    /// the explicit URL (second field), or why the value is invalid.
    pub fn sumdb(&self) -> Option<Result<(String, Option<url::Url>), String>> {
        let value = self.gosumdb.as_str();
        if value == "off" {
            return None;
        }
        let value = if value == "sum.golang.google.cn" {
            "sum.golang.org https://sum.golang.google.cn"
        } else {
            value
        };
        let fields: Vec<&str> = value.split_whitespace().collect();
        Some(match fields.as_slice() {
            [] => Err("missing GOSUMDB".to_string()),
            [key, rest @ ..] if rest.len() <= 1 => {
                let name = key.split('+').next().unwrap_or_default().to_string();
                if !key.contains('+') && *key != "sum.golang.org" {
                    return Some(Err("invalid GOSUMDB: malformed verifier id".to_string()));
                }
                match rest.first() {
                    Some(u) => url::Url::parse(u)
                        .map(|u| (name, Some(u)))
                        .map_err(|e| format!("invalid GOSUMDB URL: {e}")),
                    None => Ok((name, None)),
                }
            }
            _ => Err("invalid GOSUMDB: too many fields".to_string()),
        })
    }
}

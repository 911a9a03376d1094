//! What a check probes: the settings that decide where `go` sends its requests.

use crate::env::Env;
use crate::httpproxy::ProxyEnv;
use crate::modpath;
use crate::profile::Profile;
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
    /// HTTP_PROXY / HTTPS_PROXY / NO_PROXY as Go reads them.
    pub proxies: ProxyEnv,
    /// SSL_CERT_FILE: replaces the system bundle as Go's trust roots.
    pub ssl_cert_file: Option<String>,
    /// SSL_CERT_DIR: colon-separated directories replacing the system ones.
    pub ssl_cert_dir: Option<String>,
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
            proxies: ProxyEnv::from_lookup(|name| env.get(name)),
            ssl_cert_file: env.get_non_empty("SSL_CERT_FILE"),
            ssl_cert_dir: env.get_non_empty("SSL_CERT_DIR"),
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
            ssl_cert_dir: env.get_non_empty("SSL_CERT_DIR"),
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

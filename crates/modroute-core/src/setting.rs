//! The settings modroute explains and manages, and how `go` reads each one.
//!
//! Two kinds: *Go settings* (`GOPROXY` … `GOTOOLCHAIN`, `GOAUTH`, `GOVCS`) go through cmd/go's
//! `cfg.Getenv`, so they can come from the OS environment, the user's go env file or
//! `$GOROOT/go.env`. *Network settings* (`HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`,
//! `SSL_CERT_FILE`, `SSL_CERT_DIR`, `NETRC`) are read by Go's net/http, crypto/x509 and cmd/go's
//! auth package straight from the OS environment; a copy written into a go env file is never
//! exported to them and has no effect.
//!
//! `GOAUTH` exists from Go 1.24 ([`Setting::since`]): an older go ignores it.

use serde::Serialize;

/// How `go` obtains a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingKind {
    /// Read through cmd/go's layered lookup (OS env > go env file > GOROOT/go.env > default).
    Go,
    /// Read by the Go standard library from the OS environment only.
    Network,
}

/// One setting modroute knows about. The order of [`Setting::ALL`] is the display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)] // the variants are the variable names themselves
pub enum Setting {
    GoProxy,
    GoSumDb,
    GoPrivate,
    GoNoProxy,
    GoNoSumDb,
    GoInsecure,
    GoFlags,
    GoToolchain,
    GoAuth,
    GoVcs,
    HttpProxy,
    HttpsProxy,
    NoProxy,
    SslCertFile,
    SslCertDir,
    Netrc,
}

impl Setting {
    /// Every setting, in display order.
    pub const ALL: [Setting; 16] = [
        Setting::GoProxy,
        Setting::GoSumDb,
        Setting::GoPrivate,
        Setting::GoNoProxy,
        Setting::GoNoSumDb,
        Setting::GoInsecure,
        Setting::GoFlags,
        Setting::GoToolchain,
        Setting::GoAuth,
        Setting::GoVcs,
        Setting::HttpProxy,
        Setting::HttpsProxy,
        Setting::NoProxy,
        Setting::SslCertFile,
        Setting::SslCertDir,
        Setting::Netrc,
    ];

    /// The variable name, as the user writes it.
    pub const fn name(self) -> &'static str {
        match self {
            Setting::GoProxy => "GOPROXY",
            Setting::GoSumDb => "GOSUMDB",
            Setting::GoPrivate => "GOPRIVATE",
            Setting::GoNoProxy => "GONOPROXY",
            Setting::GoNoSumDb => "GONOSUMDB",
            Setting::GoInsecure => "GOINSECURE",
            Setting::GoFlags => "GOFLAGS",
            Setting::GoToolchain => "GOTOOLCHAIN",
            Setting::GoAuth => "GOAUTH",
            Setting::GoVcs => "GOVCS",
            Setting::HttpProxy => "HTTP_PROXY",
            Setting::HttpsProxy => "HTTPS_PROXY",
            Setting::NoProxy => "NO_PROXY",
            Setting::SslCertFile => "SSL_CERT_FILE",
            Setting::SslCertDir => "SSL_CERT_DIR",
            Setting::Netrc => "NETRC",
        }
    }

    /// Looks a setting up by its variable name (exact, upper case).
    pub fn from_name(name: &str) -> Option<Setting> {
        Setting::ALL.into_iter().find(|s| s.name() == name)
    }

    /// How `go` reads this setting.
    pub const fn kind(self) -> SettingKind {
        match self {
            Setting::HttpProxy
            | Setting::HttpsProxy
            | Setting::NoProxy
            | Setting::SslCertFile
            | Setting::SslCertDir
            | Setting::Netrc => SettingKind::Network,
            _ => SettingKind::Go,
        }
    }

    /// The OS variable names consulted, in the order Go consults them. net/http's
    /// `httpproxy.FromEnvironment` takes the upper-case name when it is non-empty, else the
    /// lower-case one.
    pub const fn env_names(self) -> &'static [&'static str] {
        match self {
            Setting::HttpProxy => &["HTTP_PROXY", "http_proxy"],
            Setting::HttpsProxy => &["HTTPS_PROXY", "https_proxy"],
            Setting::NoProxy => &["NO_PROXY", "no_proxy"],
            Setting::GoProxy => &["GOPROXY"],
            Setting::GoSumDb => &["GOSUMDB"],
            Setting::GoPrivate => &["GOPRIVATE"],
            Setting::GoNoProxy => &["GONOPROXY"],
            Setting::GoNoSumDb => &["GONOSUMDB"],
            Setting::GoInsecure => &["GOINSECURE"],
            Setting::GoFlags => &["GOFLAGS"],
            Setting::GoToolchain => &["GOTOOLCHAIN"],
            Setting::GoAuth => &["GOAUTH"],
            Setting::GoVcs => &["GOVCS"],
            Setting::SslCertFile => &["SSL_CERT_FILE"],
            Setting::SslCertDir => &["SSL_CERT_DIR"],
            Setting::Netrc => &["NETRC"],
        }
    }

    /// The first Go minor version whose `go` reads this setting (`GOAUTH`: 1.24); `None` for
    /// settings every supported go reads.
    pub const fn since(self) -> Option<(u32, u32)> {
        match self {
            Setting::GoAuth => Some((1, 24)),
            _ => None,
        }
    }

    /// The setting whose effective value is this one's default, if any. Since Go 1.13
    /// `GONOPROXY` and `GONOSUMDB` fall back to `GOPRIVATE` when they are empty.
    pub const fn default_follows(self) -> Option<Setting> {
        match self {
            Setting::GoNoProxy | Setting::GoNoSumDb => Some(Setting::GoPrivate),
            _ => None,
        }
    }
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Setting::ALL {
            assert_eq!(Setting::from_name(s.name()), Some(s));
            assert_eq!(s.env_names()[0], s.name());
        }
        assert_eq!(Setting::from_name("goproxy"), None);
    }
}

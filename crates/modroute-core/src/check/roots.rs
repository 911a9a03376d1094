//! The certificates Go trusts, found the way `crypto/x509` finds them.
//!
//! On Linux (`root_unix.go`, `root_linux.go`): `SSL_CERT_FILE` replaces the list of bundle files,
//! of which the first readable one is loaded; `SSL_CERT_DIR` (colon-separated) replaces the
//! certificate directories, every file of which is loaded. Elsewhere Go asks the platform
//! verifier; the platform's root store (rustls-native-certs) stands in for it, plus the two
//! variables, which Go also honours on the BSDs.

use std::collections::HashSet;
use std::path::Path;

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// Go's bundle files on Linux, in its order.
const LINUX_FILES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// Go's certificate directories on Linux.
const LINUX_DIRS: &[&str] = &["/etc/ssl/certs", "/etc/pki/tls/certs"];

/// Go's trust roots for a route, and where they came from (for messages).
pub(crate) struct Roots {
    pub store: RootCertStore,
    pub sources: Vec<String>,
}

/// Loads the roots Go would use with these variables.
pub(crate) fn load(ssl_cert_file: Option<&str>, ssl_cert_dir: Option<&str>) -> Roots {
    let mut seen = HashSet::new();
    let mut store = RootCertStore::empty();
    let mut sources = Vec::new();
    let mut add = |der: CertificateDer<'static>, store: &mut RootCertStore| {
        if seen.insert(der.as_ref().to_vec()) {
            let _ = store.add(der);
        }
    };
    let explicit_file = ssl_cert_file.map(|f| vec![f.to_string()]);
    let files = explicit_file.unwrap_or_else(|| {
        if cfg!(target_os = "linux") {
            LINUX_FILES.iter().map(|s| s.to_string()).collect()
        } else {
            Vec::new()
        }
    });
    for file in &files {
        if let Ok(bytes) = std::fs::read(file) {
            for der in CertificateDer::pem_slice_iter(&bytes).flatten() {
                add(der, &mut store);
            }
            sources.push(file.clone());
            break;
        }
    }
    let dirs: Vec<String> = match ssl_cert_dir {
        Some(d) => d.split(':').map(str::to_string).collect(),
        None if cfg!(target_os = "linux") => LINUX_DIRS.iter().map(|s| s.to_string()).collect(),
        None => Vec::new(),
    };
    for dir in &dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut loaded = false;
        for entry in entries.flatten() {
            let path = entry.path();
            // Go skips symlinks that point into the same directory (the hash links).
            if let Ok(target) = std::fs::read_link(&path)
                && !target.to_string_lossy().contains('/')
            {
                continue;
            }
            if let Ok(bytes) = std::fs::read(&path) {
                for der in CertificateDer::pem_slice_iter(&bytes).flatten() {
                    add(der, &mut store);
                    loaded = true;
                }
            }
        }
        if loaded {
            sources.push(dir.clone());
        }
    }
    #[cfg(not(target_os = "linux"))]
    if ssl_cert_file.is_none() && ssl_cert_dir.is_none() {
        let native = rustls_native_certs::load_native_certs();
        for der in native.certs {
            add(der, &mut store);
        }
        sources.push("the system's trust store".to_string());
    }
    Roots { store, sources }
}

/// Mozilla's public CA list, for telling public CAs from private ones.
pub(crate) fn public() -> RootCertStore {
    RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    }
}

/// Whether `path` can be read as a certificate bundle (for messages about SSL_CERT_FILE).
pub(crate) fn readable(path: &str) -> bool {
    Path::new(path).is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_cert_file_replaces_the_system_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "").unwrap();
        let empty_dir = dir.path().join("certs");
        std::fs::create_dir(&empty_dir).unwrap();
        let roots = load(empty.to_str(), empty_dir.to_str());
        assert!(
            roots.store.is_empty(),
            "only the named (empty) file and dir are read"
        );
        assert_eq!(roots.sources, vec![empty.to_string_lossy().into_owned()]);
        assert!(readable(empty.to_str().unwrap()));
        assert!(!readable(empty_dir.join("nope").to_str().unwrap()));
    }

    #[test]
    fn the_public_list_is_not_empty() {
        assert!(public().len() > 100);
    }
}

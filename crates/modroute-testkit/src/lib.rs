//! Loopback test servers for modroute's health checker: its tests, benchmarks and the UI's
//! end-to-end tests.
//!
//! [`Fixture::start`] binds every server on an ephemeral port of 127.0.0.1:
//!
//! - a Go module proxy (plain HTTP, and four TLS listeners presenting a good certificate, a
//!   self-signed one, one for the wrong name and an expired one), where the first path segment of
//!   every URL picks a fault (`ok`, `404`, `slow-400`, `hang`, `reset`, `portal` …; see
//!   [`Fixture::http_base`]);
//! - an authenticating forward proxy ([`Fixture::proxy_url`]) that resolves `*.corp.test` itself;
//! - a proxy that refuses CONNECT ([`Fixture::no_connect_proxy_url`]);
//! - a port that refuses connections ([`Fixture::closed_base`]).
//!
//! The servers run on their own tokio runtime (two workers) on a dedicated thread, so a fixture
//! works from plain `#[test]`s and from async tests alike. Dropping the fixture stops them all.

use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdTcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;
use tokio_rustls::TlsAcceptor;

mod certs;
pub mod docker;
pub mod git;
mod module;
mod proxy;
mod wire;

/// User name the forward proxy ([`Fixture::proxy_url`]) accepts.
pub const PROXY_USER: &str = "modroute";
/// Password the forward proxy ([`Fixture::proxy_url`]) accepts.
pub const PROXY_PASSWORD: &str = "s3cret-pw";
/// The login the `auth` and `auth-403` module faults want (Basic auth, as a netrc supplies it).
pub const AUTH_USER: &str = "gopher";
/// The password the `auth` and `auth-403` module faults want.
pub const AUTH_PASSWORD: &str = "s3cret-token";
/// `Authorization: Basic …` for [`AUTH_USER`] and [`AUTH_PASSWORD`].
pub static AUTH_HEADER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{AUTH_USER}:{AUTH_PASSWORD}"))
    )
});

/// One request seen by a server of the fixture, as it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    /// Which server saw it: `"module"` (any module-proxy listener, plain or TLS), `"proxy"` (the
    /// authenticating forward proxy) or `"no-connect-proxy"`.
    pub server: &'static str,
    /// The request method (`GET`, `CONNECT` …).
    pub method: String,
    /// The request target as sent: an origin-form path (still percent-encoded, fault segment
    /// included), a CONNECT authority (`athens.corp.test:4433`) or an absolute URI.
    pub target: String,
    /// The `Host` header, if any.
    pub host: Option<String>,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<String>,
    /// For the forward proxy: the request carried the right `Proxy-Authorization` credentials.
    /// For the no-CONNECT proxy: it carried a `Proxy-Authorization` header. For module servers:
    /// it carried an `Authorization` header.
    pub authorized: bool,
}

/// State the servers share: the request log and precomputed bodies.
pub(crate) struct Shared {
    log: Mutex<Vec<Logged>>,
    huge_block: bytes::Bytes,
    /// The TLS module server's port, which the forward proxy uses for `*.corp.test:443`.
    https_443: std::sync::atomic::AtomicU16,
    /// Bare git repositories served by the `git` and `git-auth` faults (`git http-backend`).
    git_root: PathBuf,
}

impl Shared {
    fn record(&self, entry: Logged) {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(entry);
    }
}

/// Ports bound by the server thread.
struct Bound {
    http: u16,
    tls: u16,
    self_signed: u16,
    wrong_name: u16,
    expired: u16,
    proxy: u16,
    no_connect: u16,
    tasks: Vec<AbortHandle>,
}

/// A running set of loopback test servers; dropping it stops them and deletes the CA file.
pub struct Fixture {
    http: u16,
    tls: u16,
    self_signed: u16,
    wrong_name: u16,
    expired: u16,
    proxy: u16,
    no_connect: u16,
    closed: u16,
    ca_file: PathBuf,
    shared: Arc<Shared>,
    tasks: Vec<AbortHandle>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    // Last: the CA file's directory outlives the servers.
    _dir: tempfile::TempDir,
}

impl std::fmt::Debug for Fixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fixture")
            .field("http", &self.http_base(""))
            .field("tls", &self.tls_base(""))
            .field("proxy", &self.proxy_addr())
            .field("ca_file", &self.ca_file)
            .finish_non_exhaustive()
    }
}

fn tls_acceptor(identity: certs::Identity) -> Result<TlsAcceptor, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(identity.chain, identity.key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

async fn bind() -> std::io::Result<TcpListener> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await
}

/// Accepts connections forever, one task per connection.
async fn accept_loop<F, Fut>(listener: TcpListener, handler: F)
where
    F: Fn(TcpStream) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(handler(stream));
            }
            // Out of file descriptors and the like: back off instead of spinning.
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

fn spawn_module_plain(listener: TcpListener, shared: &Arc<Shared>) -> AbortHandle {
    let shared = Arc::clone(shared);
    tokio::spawn(accept_loop(listener, move |stream| {
        module::serve(stream, Arc::clone(&shared))
    }))
    .abort_handle()
}

fn spawn_module_tls(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    shared: &Arc<Shared>,
) -> AbortHandle {
    let shared = Arc::clone(shared);
    tokio::spawn(accept_loop(listener, move |stream| {
        let acceptor = acceptor.clone();
        let shared = Arc::clone(&shared);
        async move {
            // A client that rejects the certificate just closes: nothing to do.
            if let Ok(tls) = acceptor.accept(stream).await {
                module::serve(tls, shared).await;
            }
        }
    }))
    .abort_handle()
}

impl Fixture {
    /// Starts every server and returns once all of them are listening.
    ///
    /// # Panics
    /// When a certificate cannot be generated or a loopback port cannot be bound.
    pub fn start() -> Fixture {
        match Self::try_start() {
            Ok(fixture) => fixture,
            Err(e) => panic!("modroute-testkit: starting the loopback test servers failed: {e}"),
        }
    }

    fn try_start() -> Result<Fixture, Box<dyn std::error::Error + Send + Sync>> {
        let certs = certs::generate()?;
        let dir = tempfile::Builder::new()
            .prefix("modroute-testkit-")
            .tempdir()?;
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, certs.ca_pem.as_bytes())?;

        let acceptors = [
            tls_acceptor(certs.main)?,
            tls_acceptor(certs.self_signed)?,
            tls_acceptor(certs.wrong_name)?,
            tls_acceptor(certs.expired)?,
        ];

        // A port that was bound and closed again: connecting to it is refused.
        let closed = {
            let listener = StdTcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
            listener.local_addr()?.port()
        };

        let git_root = dir.path().join("git");
        let shared = Arc::new(Shared {
            log: Mutex::new(Vec::new()),
            huge_block: module::huge_block(),
            https_443: std::sync::atomic::AtomicU16::new(0),
            git_root,
        });

        let (ready_tx, ready_rx) = mpsc::channel::<std::io::Result<Bound>>();
        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("modroute-testkit".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("modroute-testkit-worker")
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let [main, self_signed, wrong_name, expired] = acceptors;
                    let bound = async {
                        let listeners = [
                            bind().await?,
                            bind().await?,
                            bind().await?,
                            bind().await?,
                            bind().await?,
                            bind().await?,
                            bind().await?,
                        ];
                        let mut ports = [0u16; 7];
                        for (port, listener) in ports.iter_mut().zip(&listeners) {
                            *port = listener.local_addr()?.port();
                        }
                        thread_shared
                            .https_443
                            .store(ports[1], std::sync::atomic::Ordering::Relaxed);
                        let [l_http, l_tls, l_self, l_wrong, l_expired, l_proxy, l_noconn] =
                            listeners;
                        let shared = &thread_shared;
                        let proxy_shared = Arc::clone(shared);
                        let noconn_shared = Arc::clone(shared);
                        let tasks = vec![
                            spawn_module_plain(l_http, shared),
                            spawn_module_tls(l_tls, main, shared),
                            spawn_module_tls(l_self, self_signed, shared),
                            spawn_module_tls(l_wrong, wrong_name, shared),
                            spawn_module_tls(l_expired, expired, shared),
                            tokio::spawn(accept_loop(l_proxy, move |s| {
                                proxy::serve(s, Arc::clone(&proxy_shared))
                            }))
                            .abort_handle(),
                            tokio::spawn(accept_loop(l_noconn, move |s| {
                                proxy::serve_no_connect(s, Arc::clone(&noconn_shared))
                            }))
                            .abort_handle(),
                        ];
                        Ok::<_, std::io::Error>(Bound {
                            http: ports[0],
                            tls: ports[1],
                            self_signed: ports[2],
                            wrong_name: ports[3],
                            expired: ports[4],
                            proxy: ports[5],
                            no_connect: ports[6],
                            tasks,
                        })
                    }
                    .await;
                    let failed = bound.is_err();
                    let _ = ready_tx.send(bound);
                    if !failed {
                        // Serve until the fixture is dropped (or its sender is lost).
                        let _ = shutdown_rx.await;
                    }
                });
                // Connection tasks may be parked forever (hang, slowloris): do not wait for them.
                runtime.shutdown_background();
            })?;

        let bound = match ready_rx.recv() {
            Ok(Ok(bound)) => bound,
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e.into());
            }
            Err(_) => {
                let _ = thread.join();
                return Err("the server thread ended before binding its ports".into());
            }
        };

        Ok(Fixture {
            http: bound.http,
            tls: bound.tls,
            self_signed: bound.self_signed,
            wrong_name: bound.wrong_name,
            expired: bound.expired,
            proxy: bound.proxy,
            no_connect: bound.no_connect,
            closed,
            ca_file,
            shared,
            tasks: bound.tasks,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
            _dir: dir,
        })
    }

    /// Base URL of the plain-HTTP module proxy with a fault: `http://127.0.0.1:P/<fault>`.
    ///
    /// Append a Go module proxy path (`/example.com/m/@v/list`). Faults:
    /// `ok` (a correct GOPROXY for `example.com/m` v1.0.0 v1.1.0, `example.com/Upper/m` v1.0.0 and
    /// `golang.org/x/text` v0.3.0 v0.14.0, plus `sumdb/sum.golang.org/{supported,latest}`),
    /// `nosumdb` (sumdb paths 404), `sumdb500` (sumdb paths 500), `404` `410` `403` `500`
    /// (every request), `slow-<ms>` (as `ok`, headers delayed), `hang` (never answers),
    /// `hang-body` (200, Content-Length 100, 10 bytes, then stalls), `reset` (TCP RST),
    /// `garbage` (non-HTTP bytes), `portal` (captive-portal HTML), `huge` (64 MiB `@v/list`),
    /// `endless` (a chunked body that never ends), `slowloris` (one header byte every 200 ms),
    /// `redirect-loop` (302 to itself), `bad-chunk` (invalid chunk size), `html-list` (HTML
    /// from `@v/list` and `@latest`).
    pub fn http_base(&self, fault: &str) -> String {
        format!("http://127.0.0.1:{}/{fault}", self.http)
    }

    /// Base URL of the TLS module proxy (certificate from the private CA in [`Fixture::ca_file`],
    /// names 127.0.0.1, localhost and athens.corp.test): `https://127.0.0.1:P/<fault>`.
    pub fn tls_base(&self, fault: &str) -> String {
        format!("https://127.0.0.1:{}/{fault}", self.tls)
    }

    /// The TLS module proxy by name: `https://athens.corp.test:P/<fault>`. The name resolves
    /// nowhere but in the forward proxy ([`Fixture::proxy_url`]).
    pub fn tls_named_base(&self, fault: &str) -> String {
        format!("https://athens.corp.test:{}/{fault}", self.tls)
    }

    /// A TLS module proxy whose certificate is self-signed (name 127.0.0.1; not in the CA file).
    pub fn self_signed_base(&self, fault: &str) -> String {
        format!("https://127.0.0.1:{}/{fault}", self.self_signed)
    }

    /// A TLS module proxy whose certificate comes from the private CA but names only
    /// `wrong.test`.
    pub fn wrong_name_base(&self, fault: &str) -> String {
        format!("https://127.0.0.1:{}/{fault}", self.wrong_name)
    }

    /// A TLS module proxy whose certificate (private CA, name 127.0.0.1) expired in 2021.
    pub fn expired_base(&self, fault: &str) -> String {
        format!("https://127.0.0.1:{}/{fault}", self.expired)
    }

    /// The PEM file of the private CA (use it as `SSL_CERT_FILE`); deleted when the fixture drops.
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// URL of the authenticating forward proxy, credentials included:
    /// `http://modroute:s3cret-pw@127.0.0.1:P`.
    pub fn proxy_url(&self) -> String {
        format!(
            "http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{}",
            self.proxy
        )
    }

    /// Address of the authenticating forward proxy.
    pub fn proxy_addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.proxy))
    }

    /// URL of a proxy that answers every request with `501 Unsupported method ('CONNECT')`.
    pub fn no_connect_proxy_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.no_connect)
    }

    /// URL of a loopback port nothing listens on (connections are refused).
    pub fn closed_base(&self) -> String {
        format!("http://127.0.0.1:{}", self.closed)
    }

    /// Every request the module servers and the proxies have seen, in arrival order.
    pub fn log(&self) -> Vec<Logged> {
        self.shared
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets the requests logged so far.
    pub fn clear_log(&self) {
        self.shared
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

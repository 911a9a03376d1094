//! One HTTP GET, stage by stage, as Go's `net/http` would send it: the proxy Go picks (CONNECT
//! for https, absolute-form for http), TLS with Go's roots (never unverified), HTTP/1.1.
//! Every stage is timed and bounded by the endpoint's deadline; bodies are read up to a cap.

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc::UnboundedSender;
use url::{Host, Url};

use super::{Event, Outcome, ProxyUsed, Stage, Stages, TlsInfo};
use crate::httpproxy::{Bypass, Decision, Proxy, ProxyEnv};
use crate::redact::redact;

/// Go's client follows at most this many redirects.
const MAX_REDIRECTS: usize = 10;

/// A byte stream of any layering (TCP, TLS over TCP, TLS over TLS).
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}
type Stream = Box<dyn Io>;

/// What every request of a check shares.
pub(crate) struct Net {
    pub proxies: ProxyEnv,
    pub verifier: Result<Arc<WebPkiServerVerifier>, String>,
    pub public: Arc<WebPkiServerVerifier>,
    pub provider: Arc<rustls::crypto::CryptoProvider>,
    pub body_cap: usize,
    /// Where the trusted roots came from (for messages).
    pub roots_from: String,
    /// The credentials go sends (netrc, as GOAUTH decides).
    pub credentials: super::Credentials,
}

/// A failed request: the stage, the outcome, and words for people and for Go users.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    pub stage: Stage,
    pub outcome: Outcome,
    pub detail: String,
    pub go_error: Option<String>,
    pub params: BTreeMap<&'static str, String>,
}

impl Failure {
    pub fn new(stage: Stage, outcome: Outcome, detail: impl Into<String>) -> Self {
        let mut params = BTreeMap::new();
        params.insert("stage", stage.name().to_string());
        Failure {
            stage,
            outcome,
            detail: detail.into(),
            go_error: None,
            params,
        }
    }

    pub fn go(mut self, text: impl Into<String>) -> Self {
        self.go_error = Some(crate::redact::redact_lines(&text.into()));
        self
    }

    pub fn param(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.params.insert(key, value.into());
        self
    }
}

/// The record of a request in progress: stage timings, what was learned, where to report.
pub(crate) struct Trace<'a> {
    pub stages: Stages,
    pub addresses: Vec<String>,
    pub proxy: Option<ProxyUsed>,
    pub no_proxy: Option<String>,
    pub tls: Option<TlsInfo>,
    pub http_status: Option<u16>,
    /// Where the last request's credentials came from.
    pub credentials: Option<super::CredentialSource>,
    pub deadline: Instant,
    pub events: Option<(&'a UnboundedSender<Event>, usize)>,
}

impl<'a> Trace<'a> {
    pub fn new(deadline: Instant, events: Option<(&'a UnboundedSender<Event>, usize)>) -> Self {
        Trace {
            stages: Stages::default(),
            addresses: Vec::new(),
            proxy: None,
            no_proxy: None,
            tls: None,
            http_status: None,
            credentials: None,
            deadline,
            events,
        }
    }

    /// Forgets what an earlier request of the same probe recorded.
    pub fn reset(&mut self) {
        self.stages = Stages::default();
        self.addresses.clear();
        self.proxy = None;
        self.no_proxy = None;
        self.tls = None;
        self.http_status = None;
        self.credentials = None;
    }

    fn record(&mut self, stage: Stage, took: Duration) {
        let ms = took.as_millis() as u64;
        let slot = match stage {
            Stage::Dns => &mut self.stages.dns_ms,
            Stage::Connect => &mut self.stages.connect_ms,
            Stage::Proxy => &mut self.stages.proxy_ms,
            Stage::Tls => &mut self.stages.tls_ms,
            Stage::Http => &mut self.stages.http_ms,
            Stage::Vcs => &mut self.stages.vcs_ms,
            Stage::Protocol => return,
        };
        // Redirects add up.
        *slot = Some(slot.unwrap_or(0) + ms);
        if let Some((tx, index)) = self.events {
            let _ = tx.send(Event::Stage {
                index,
                stage,
                ms: slot.unwrap_or(ms),
            });
        }
    }

    /// Records a stage timed elsewhere (the version control step).
    pub fn record_stage(&mut self, stage: Stage, took: Duration) {
        self.record(stage, took);
    }

    /// Runs one stage within what is left of the deadline.
    async fn stage<T>(
        &mut self,
        stage: Stage,
        fut: impl Future<Output = Result<T, Failure>>,
    ) -> Result<T, Failure> {
        let started = Instant::now();
        let left = self.deadline.saturating_duration_since(started);
        match tokio::time::timeout(left, fut).await {
            Ok(Ok(value)) => {
                self.record(stage, started.elapsed());
                Ok(value)
            }
            Ok(Err(failure)) => Err(failure),
            Err(_) => Err(timeout(stage, started.elapsed())),
        }
    }
}

fn timeout(stage: Stage, waited: Duration) -> Failure {
    let ms = waited.as_millis().to_string();
    let (detail, go) = match stage {
        Stage::Dns => ("no answer from the name server".to_string(), None),
        Stage::Connect => (
            "the TCP connection was not accepted (a firewall dropping packets?)".to_string(),
            Some("dial tcp: i/o timeout".to_string()),
        ),
        Stage::Proxy => ("the proxy did not answer the tunnel request".to_string(), None),
        Stage::Tls => (
            "the TLS handshake stalled".to_string(),
            Some("net/http: TLS handshake timeout".to_string()),
        ),
        Stage::Http | Stage::Protocol => (
            "the server accepted the request but did not answer in time; go sets no response timeout and would wait forever"
                .to_string(),
            None,
        ),
        Stage::Vcs => (
            "git did not finish in time (go gives git no deadline and would wait)".to_string(),
            None,
        ),
    };
    let mut f =
        Failure::new(stage, Outcome::Timeout, format!("{detail} ({ms} ms)")).param("ms", ms);
    if let Some(go) = go {
        f = f.go(go);
    }
    f
}

/// A response, body capped.
pub(crate) struct Response {
    pub url: Url,
    pub location: Option<String>,
    pub status: u16,
    pub reason: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub truncated: bool,
    /// For a 401/403: where the credentials came from, or why go sent none.
    pub auth_note: String,
    /// The body broke off (reset, or closed without TLS close_notify) after the status line.
    pub body_error: Option<String>,
}

impl Net {
    /// GETs `url` as Go would, following redirects, filling `trace`.
    pub async fn get(&self, url: &Url, trace: &mut Trace<'_>) -> Result<Response, Failure> {
        let mut url = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let response = self.get_once(&url, trace).await?;
            if !matches!(response.status, 301 | 302 | 303 | 307 | 308) {
                return Ok(response);
            }
            let Some(location) = response.location else {
                return Ok(response);
            };
            let next = url.join(&location).map_err(|e| {
                Failure::new(
                    Stage::Http,
                    Outcome::ProtocolError,
                    format!("bad redirect location: {e}"),
                )
            })?;
            if url.scheme() == "https" && next.scheme() == "http" {
                return Err(Failure::new(
                    Stage::Http,
                    Outcome::HttpError,
                    "redirected from https to plain http, which go refuses",
                )
                .go(format!(
                    "redirected from secure URL {} to insecure URL {}",
                    redact(url.as_str()),
                    redact(next.as_str())
                )));
            }
            url = next;
        }
        Err(Failure::new(
            Stage::Http,
            Outcome::HttpError,
            format!("more than {MAX_REDIRECTS} redirects (a redirect loop)"),
        )
        .go(format!(
            "Get {:?}: stopped after 10 redirects",
            redact(url.as_str())
        )))
    }

    async fn get_once(&self, url: &Url, trace: &mut Trace<'_>) -> Result<Response, Failure> {
        if url.scheme() == "file" {
            return Ok(file_response(url, self.body_cap));
        }
        let shown = redact(url.as_str());
        if url.scheme() == "http" && !url.username().is_empty() {
            return Err(Failure::new(
                Stage::Http,
                Outcome::HttpError,
                "go refuses to send the credentials in this URL over plain http",
            )
            .go(format!(
                "refusing to pass credentials to insecure URL: {shown}"
            )));
        }
        let decision = self.proxies.decide(url);
        let proxy = match decision {
            Decision::Proxy(p) => Some(p),
            Decision::Direct(bypass) => {
                if self.proxies.https_proxy.is_some() || self.proxies.http_proxy.is_some() {
                    trace.no_proxy = match bypass {
                        Bypass::Loopback => Some("loopback".to_string()),
                        Bypass::NoProxy { entry } => Some(entry),
                        Bypass::NotSet | Bypass::NotHttp => None,
                    };
                }
                None
            }
            Decision::CgiRefused => {
                return Err(Failure::new(
                    Stage::Proxy,
                    Outcome::HttpError,
                    "REQUEST_METHOD is set (a CGI environment): go refuses HTTP_PROXY for http:// URLs",
                )
                .go("refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy"));
            }
        };
        let host = host_of(url)?;
        let port = url.port_or_known_default().unwrap_or(443);
        let (stream, absolute) = match &proxy {
            Some(p) => {
                trace.proxy = Some(ProxyUsed {
                    url: redact(p.url.as_str().trim_end_matches('/')),
                    from: p.from,
                });
                let stream = self.reach_proxy(p, &shown, trace).await?;
                if url.scheme() == "https" {
                    let stream = trace
                        .stage(Stage::Proxy, tunnel(stream, p, &host, port, &shown))
                        .await?;
                    (stream, false)
                } else {
                    (stream, true)
                }
            }
            None => {
                let addrs = self.resolve(&host, port, &shown, trace).await?;
                let stream = trace
                    .stage(Stage::Connect, connect(addrs, &shown, None))
                    .await?;
                (stream, false)
            }
        };
        let stream = if url.scheme() == "https" {
            let (stream, info) = self.tls(stream, &host, &shown, trace).await?;
            trace.tls = Some(info);
            stream
        } else {
            stream
        };
        self.exchange(stream, url, absolute, proxy.as_ref(), trace)
            .await
    }

    /// Reaches `proxy` and, when an endpoint uses it, opens a tunnel to that endpoint
    /// (CONNECT for https, a GET in absolute form for http).
    pub async fn through_proxy(
        &self,
        proxy: &Proxy,
        target: Option<&Url>,
        trace: &mut Trace<'_>,
    ) -> Result<(), Failure> {
        let shown = redact(target.unwrap_or(&proxy.url).as_str());
        trace.proxy = Some(ProxyUsed {
            url: redact(proxy.url.as_str().trim_end_matches('/')),
            from: proxy.from,
        });
        let stream = self.reach_proxy(proxy, &shown, trace).await?;
        match target {
            Some(t) if t.scheme() == "https" => {
                let host = host_of(t)?;
                let port = t.port_or_known_default().unwrap_or(443);
                trace
                    .stage(Stage::Proxy, tunnel(stream, proxy, &host, port, &shown))
                    .await
                    .map(drop)
            }
            // Any answer but 407 means the proxy forwards.
            Some(t) => self
                .exchange(stream, t, true, Some(proxy), trace)
                .await
                .map(drop),
            None => Ok(()),
        }
    }

    async fn resolve(
        &self,
        host: &str,
        port: u16,
        shown: &str,
        trace: &mut Trace<'_>,
    ) -> Result<Vec<SocketAddr>, Failure> {
        if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        let name = host.to_string();
        let shown = shown.to_string();
        let addrs = trace
            .stage(Stage::Dns, async move {
                match tokio::net::lookup_host((name.as_str(), port)).await {
                    Ok(addrs) => {
                        let addrs: Vec<SocketAddr> = addrs.collect();
                        if addrs.is_empty() {
                            Err(dns_failure(&name, &shown, "no addresses"))
                        } else {
                            Ok(addrs)
                        }
                    }
                    Err(e) => Err(dns_failure(&name, &shown, &e.to_string())),
                }
            })
            .await?;
        let mut unique: Vec<String> = Vec::new();
        for a in &addrs {
            let ip = a.ip().to_string();
            if !unique.contains(&ip) {
                unique.push(ip);
            }
        }
        if trace.addresses.is_empty() {
            trace.addresses = unique;
        }
        Ok(addrs)
    }

    /// DNS, connect and (for an https proxy) TLS to the proxy; SOCKS5 ends with the tunnel.
    async fn reach_proxy(
        &self,
        proxy: &Proxy,
        shown: &str,
        trace: &mut Trace<'_>,
    ) -> Result<Stream, Failure> {
        let proxy_shown = redact(proxy.url.as_str());
        let host = host_of(&proxy.url)?;
        let port = proxy
            .url
            .port_or_known_default()
            .unwrap_or(match proxy.url.scheme() {
                "https" => 443,
                "socks5" | "socks5h" => 1080,
                _ => 80,
            });
        let addrs = match self.resolve(&host, port, shown, trace).await {
            Ok(a) => a,
            Err(f) => {
                return Err(f.param("proxy", &proxy_shown).go(format!(
                    "Get {shown:?}: proxyconnect tcp: dial tcp: lookup {host}: no such host"
                )));
            }
        };
        let stream = trace
            .stage(Stage::Connect, connect(addrs, shown, Some(&proxy_shown)))
            .await?;
        match proxy.url.scheme() {
            "https" => {
                let started = Instant::now();
                let (stream, _) = self.tls(stream, &host, shown, trace).await.map_err(|f| {
                    Failure {
                        stage: Stage::Proxy,
                        ..f
                    }
                    .param("proxy", &proxy_shown)
                })?;
                trace.stages.tls_ms = None;
                trace.record(Stage::Proxy, started.elapsed());
                Ok(stream)
            }
            _ => Ok(stream),
        }
    }

    async fn tls(
        &self,
        stream: Stream,
        host: &str,
        shown: &str,
        trace: &mut Trace<'_>,
    ) -> Result<(Stream, TlsInfo), Failure> {
        let verifier = self.verifier.clone().map_err(|why| {
            Failure::new(Stage::Tls, Outcome::TlsUntrusted, why.clone()).go(format!(
                "Get {shown:?}: tls: failed to verify certificate: x509: certificate signed by unknown authority"
            ))
        })?;
        let recording = Arc::new(Recording {
            go: verifier,
            public: self.public.clone(),
            seen: Mutex::new(None),
        });
        let mut config = ClientConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| Failure::new(Stage::Tls, Outcome::ProtocolError, e.to_string()))?
            .dangerous() // a verifier that records the chain, then lets webpki decide
            .with_custom_certificate_verifier(recording.clone())
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let bare = host.trim_matches(['[', ']']);
        let name = match bare.parse::<IpAddr>() {
            Ok(ip) => ServerName::IpAddress(ip.into()),
            Err(_) => ServerName::try_from(bare.to_string())
                .map_err(|e| Failure::new(Stage::Tls, Outcome::ProtocolError, e.to_string()))?,
        };
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let result = trace
            .stage(Stage::Tls, async {
                connector
                    .connect(name, stream)
                    .await
                    .map_err(|e| tls_failure(&e, host, shown, &recording, &self.roots_from))
            })
            .await;
        let info = recording.info();
        match result {
            Ok(tls) => {
                let mut info = info.unwrap_or_else(|| empty_info(true));
                info.version = match tls.get_ref().1.protocol_version() {
                    Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".into(),
                    Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".into(),
                    Some(v) => format!("{v:?}"),
                    None => String::new(),
                };
                Ok((Box::new(tls), info))
            }
            Err(f) => {
                trace.tls = info;
                Err(f)
            }
        }
    }

    async fn exchange(
        &self,
        stream: Stream,
        url: &Url,
        absolute: bool,
        proxy: Option<&Proxy>,
        trace: &mut Trace<'_>,
    ) -> Result<Response, Failure> {
        let shown = redact(url.as_str());
        let (mut sender, conn) = hyper::client::conn::http1::Builder::new()
            // Small read buffers: bodies are capped anyway, and a check opens many connections.
            .max_buf_size(64 << 10)
            .handshake::<_, Empty<Bytes>>(TokioIo::new(stream))
            .await
            .map_err(|e| Failure::new(Stage::Http, Outcome::ProtocolError, e.to_string()))?;
        let driver = Abort(tokio::spawn(async move {
            let _ = conn.await;
        }));
        let mut target = String::new();
        if absolute {
            let mut clean = url.clone();
            let _ = clean.set_username("");
            let _ = clean.set_password(None);
            target.push_str(clean.as_str());
        } else {
            target.push_str(url.path());
            if let Some(q) = url.query() {
                target.push('?');
                target.push_str(q);
            }
        }
        let host_header = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let mut request = http::Request::builder()
            .method("GET")
            .uri(target)
            .header("Host", host_header)
            .header("User-Agent", "Go-http-client/1.1");
        // As net/http under cmd/go: the credentials GOAUTH/netrc give go win over the URL's
        // user info, which is used only when they give none.
        let auth_note = if let Some((header, source)) = self.credentials.for_url(url) {
            request = request.header("Authorization", header);
            let note = format!("go sent the credentials of {source}");
            trace.credentials = Some(source);
            note
        } else if let Some(auth) = basic_auth(url) {
            request = request.header("Authorization", auth);
            trace.credentials = Some(super::CredentialSource::UrlUserInfo);
            "go sent the user and password written in the URL".to_string()
        } else {
            self.credentials.missing_for(url)
        };
        if absolute && let Some(auth) = proxy.and_then(|p| basic_auth(&p.url)) {
            request = request.header("Proxy-Authorization", auth);
        }
        let request = request
            .body(Empty::<Bytes>::new())
            .map_err(|e| Failure::new(Stage::Http, Outcome::ProtocolError, e.to_string()))?;
        let response = trace
            .stage(Stage::Http, async {
                sender
                    .send_request(request)
                    .await
                    .map_err(|e| http_failure(&e, &shown))
            })
            .await?;
        let status = response.status();
        trace.http_status = Some(status.as_u16());
        if absolute && status.as_u16() == 407 {
            return Err(proxy_auth(proxy, &shown, Stage::Http));
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type");
        let location = header("location");
        let mut body = response.into_body();
        let mut bytes = Vec::new();
        let mut truncated = false;
        // The body is part of the HTTP stage's deadline, not of its first-byte timing.
        let left = trace.deadline.saturating_duration_since(Instant::now());
        let read = tokio::time::timeout(left, async {
            while let Some(frame) = body.frame().await {
                let frame = frame.map_err(|e| body_failure(&e, &shown))?;
                if let Ok(data) = frame.into_data() {
                    let room = self.body_cap.saturating_sub(bytes.len());
                    bytes.extend_from_slice(&data[..data.len().min(room)]);
                    if data.len() >= room {
                        truncated = true;
                        break;
                    }
                }
            }
            Ok::<(), Failure>(())
        })
        .await;
        drop(body);
        drop(driver);
        let mut body_error = None;
        match read {
            Ok(Ok(())) => {}
            // Status before body: once the status line is in, go judges an error answer by its
            // status, whatever happens to the body (a 401 whose server closes the TLS
            // connection without close_notify is still a 401).
            Ok(Err(f)) if !status.is_success() => body_error = Some(f.detail),
            Ok(Err(f)) => return Err(f),
            Err(_) => {
                return Err(Failure::new(
                    Stage::Http,
                    Outcome::Timeout,
                    format!(
                        "the body stopped arriving after {} bytes; go would wait forever",
                        bytes.len()
                    ),
                ));
            }
        }
        Ok(Response {
            url: url.clone(),
            location,
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            content_type,
            body: bytes,
            truncated,
            auth_note,
            body_error,
        })
    }
}

/// A `file://` GOPROXY entry read as cmd/go reads it: a missing file answers like 404 (so `,`
/// falls through to the next entry), an unreadable one like 403, and the reason is the
/// operating system's words, which go prints ("no such file or directory").
fn file_response(url: &Url, body_cap: usize) -> Response {
    let (status, reason, body) = match url.to_file_path() {
        Err(()) => (404, "not a local file path".to_string(), Vec::new()),
        Ok(path) => match std::fs::read(&path) {
            Ok(mut bytes) => {
                bytes.truncate(body_cap);
                (200, "OK".to_string(), bytes)
            }
            Err(e) => match e.kind() {
                io::ErrorKind::NotFound => {
                    (404, "no such file or directory".to_string(), Vec::new())
                }
                io::ErrorKind::PermissionDenied => {
                    (403, "permission denied".to_string(), Vec::new())
                }
                io::ErrorKind::IsADirectory => (404, "is a directory".to_string(), Vec::new()),
                _ => (404, short_io(&e), Vec::new()),
            },
        },
    };
    Response {
        url: url.clone(),
        location: None,
        status,
        reason,
        content_type: None,
        truncated: false,
        body,
        auth_note: "a local directory needs no credentials".to_string(),
        body_error: None,
    }
}

impl Response {
    /// `200 OK`.
    pub fn status_line(&self) -> String {
        format!("{} {}", self.status, self.reason)
            .trim_end()
            .to_string()
    }

    /// The request URL, redacted.
    pub fn shown_url(&self) -> String {
        redact(self.url.as_str())
    }

    /// The first lines of a plain-text body, as cmd/go appends them to errors.
    pub fn server_response(&self) -> Option<String> {
        let plain = self
            .content_type
            .as_deref()
            .is_none_or(|c| c.starts_with("text/plain"));
        let text = std::str::from_utf8(&self.body).ok()?;
        let text: String = text.lines().take(8).collect::<Vec<_>>().join("\n\t");
        (plain && !text.trim().is_empty()).then(|| text.chars().take(648).collect())
    }
}

/// Aborts the connection task when the request is done or abandoned.
struct Abort(tokio::task::JoinHandle<()>);

impl Drop for Abort {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn host_of(url: &Url) -> Result<String, Failure> {
    match url.host() {
        Some(Host::Domain(d)) => Ok(d.to_string()),
        Some(Host::Ipv4(ip)) => Ok(ip.to_string()),
        Some(Host::Ipv6(ip)) => Ok(format!("[{ip}]")),
        None => Err(Failure::new(
            Stage::Dns,
            Outcome::Dns,
            format!("{} has no host", redact(url.as_str())),
        )),
    }
}

fn basic_auth(url: &Url) -> Option<String> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let credentials = format!(
        "{}:{}",
        decode(url.username()),
        decode(url.password().unwrap_or(""))
    );
    Some(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(credentials)
    ))
}

fn dns_failure(host: &str, shown: &str, why: &str) -> Failure {
    Failure::new(
        Stage::Dns,
        Outcome::Dns,
        format!("{host} does not resolve ({why})"),
    )
    .param("host", host)
    .go(format!(
        "Get {shown:?}: dial tcp: lookup {host}: no such host"
    ))
}

async fn connect(
    addrs: Vec<SocketAddr>,
    shown: &str,
    proxy: Option<&str>,
) -> Result<Stream, Failure> {
    let mut last = None;
    for addr in &addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(Box::new(stream));
            }
            Err(e) => last = Some((addr, e)),
        }
    }
    let (addr, e) = last.expect("at least one address");
    let prefix = if proxy.is_some() {
        "proxyconnect tcp: "
    } else {
        ""
    };
    let outcome = if e.kind() == io::ErrorKind::TimedOut {
        Outcome::Timeout
    } else {
        Outcome::Refused
    };
    let what = match proxy {
        Some(p) => format!("the proxy {p} at {addr}"),
        None => addr.to_string(),
    };
    let mut f = Failure::new(
        Stage::Connect,
        outcome,
        format!("{what} refused the connection ({})", short_io(&e)),
    )
    .param("address", addr.to_string())
    .go(format!(
        "Get {shown:?}: {prefix}dial tcp {addr}: connect: {}",
        short_io(&e)
    ));
    if let Some(p) = proxy {
        f = f.param("proxy", p);
    }
    Err(f)
}

fn short_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".into(),
        io::ErrorKind::ConnectionReset => "connection reset by peer".into(),
        io::ErrorKind::TimedOut => "i/o timeout".into(),
        _ => {
            let text = e.to_string();
            text.split(" (os error")
                .next()
                .unwrap_or(&text)
                .to_lowercase()
        }
    }
}

fn proxy_auth(proxy: Option<&Proxy>, shown: &str, stage: Stage) -> Failure {
    let proxy_shown = proxy.map(|p| redact(p.url.as_str())).unwrap_or_default();
    let has_credentials = proxy.is_some_and(|p| !p.url.username().is_empty());
    let detail = if has_credentials {
        format!("the proxy {proxy_shown} rejected the credentials in its URL (407)")
    } else {
        format!(
            "the proxy {proxy_shown} wants credentials (407): put them in the proxy URL, http://user:password@host:port"
        )
    };
    Failure::new(stage, Outcome::ProxyAuthRequired, detail)
        .param("proxy", proxy_shown)
        .param("status", "407")
        .go(format!("Get {shown:?}: Proxy Authentication Required"))
}

/// CONNECT host:port through the proxy (or SOCKS5): the proxy resolves the name.
async fn tunnel(
    mut stream: Stream,
    proxy: &Proxy,
    host: &str,
    port: u16,
    shown: &str,
) -> Result<Stream, Failure> {
    if proxy.url.scheme().starts_with("socks5") {
        return socks5(stream, proxy, host, port, shown).await;
    }
    let authority = format!("{host}:{port}");
    let mut request = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: Go-http-client/1.1\r\n"
    );
    if let Some(auth) = basic_auth(&proxy.url) {
        request.push_str(&format!("Proxy-Authorization: {auth}\r\n"));
    }
    request.push_str("\r\n");
    let io_failure = |e: io::Error| {
        Failure::new(
            Stage::Proxy,
            if e.kind() == io::ErrorKind::ConnectionReset {
                Outcome::Refused
            } else {
                Outcome::ProtocolError
            },
            format!(
                "the proxy closed the connection during CONNECT ({})",
                short_io(&e)
            ),
        )
        .go(format!("Get {shown:?}: proxyconnect tcp: {}", short_io(&e)))
    };
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(io_failure)?;
    let mut head = Vec::with_capacity(512);
    let mut byte = [0u8; 1];
    // Byte by byte up to the blank line: nothing of the tunnel may be consumed.
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 {
            return Err(Failure::new(
                Stage::Proxy,
                Outcome::ProtocolError,
                "the proxy's CONNECT answer is too long",
            ));
        }
        match stream.read(&mut byte).await {
            Ok(0) => {
                return Err(Failure::new(
                    Stage::Proxy,
                    Outcome::ProtocolError,
                    "the proxy closed the connection without answering CONNECT",
                )
                .go(format!("Get {shown:?}: proxyconnect tcp: EOF")));
            }
            Ok(_) => head.push(byte[0]),
            Err(e) => return Err(io_failure(e)),
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut parsed = httparse::Response::new(&mut headers);
    if parsed.parse(&head).is_err() {
        return Err(Failure::new(
            Stage::Proxy,
            Outcome::ProtocolError,
            "the proxy's answer to CONNECT is not HTTP",
        ));
    }
    let code = parsed.code.unwrap_or(0);
    let reason = parsed.reason.unwrap_or("").to_string();
    match code {
        200..=299 => Ok(stream),
        407 => Err(proxy_auth(Some(proxy), shown, Stage::Proxy)),
        _ => Err(Failure::new(
            Stage::Proxy,
            Outcome::HttpError,
            format!("the proxy answered CONNECT {authority} with {code} {reason}"),
        )
        .param("status", code.to_string())
        .go(format!("Get {shown:?}: {reason}"))),
    }
}

/// A SOCKS5 CONNECT (RFC 1928, user/password per RFC 1929); the name is sent to the proxy, as
/// Go's dialer does for both `socks5` and `socks5h`.
async fn socks5(
    mut s: Stream,
    proxy: &Proxy,
    host: &str,
    port: u16,
    shown: &str,
) -> Result<Stream, Failure> {
    let fail = |why: &str| {
        Failure::new(
            Stage::Proxy,
            Outcome::ProtocolError,
            format!("SOCKS5 proxy: {why}"),
        )
        .go(format!("Get {shown:?}: socks connect tcp: {why}"))
    };
    let io = |e: io::Error| fail(&short_io(&e));
    let user = proxy.url.username().to_string();
    let pass = proxy.url.password().unwrap_or("").to_string();
    let methods: &[u8] = if user.is_empty() {
        &[5, 1, 0]
    } else {
        &[5, 2, 0, 2]
    };
    s.write_all(methods).await.map_err(io)?;
    let mut reply = [0u8; 2];
    s.read_exact(&mut reply).await.map_err(io)?;
    match reply {
        [5, 0] => {}
        [5, 2] => {
            let mut auth = vec![1, user.len() as u8];
            auth.extend_from_slice(user.as_bytes());
            auth.push(pass.len() as u8);
            auth.extend_from_slice(pass.as_bytes());
            s.write_all(&auth).await.map_err(io)?;
            s.read_exact(&mut reply).await.map_err(io)?;
            if reply[1] != 0 {
                return Err(proxy_auth(Some(proxy), shown, Stage::Proxy));
            }
        }
        [5, 0xff] => return Err(proxy_auth(Some(proxy), shown, Stage::Proxy)),
        _ => return Err(fail("not a SOCKS5 server")),
    }
    let bare = host.trim_matches(['[', ']']);
    let mut req = vec![5, 1, 0];
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            req.push(1);
            req.extend_from_slice(&ip.octets());
        }
        Ok(IpAddr::V6(ip)) => {
            req.push(4);
            req.extend_from_slice(&ip.octets());
        }
        Err(_) => {
            req.push(3);
            req.push(bare.len() as u8);
            req.extend_from_slice(bare.as_bytes());
        }
    }
    req.extend_from_slice(&port.to_be_bytes());
    s.write_all(&req).await.map_err(io)?;
    let mut head = [0u8; 4];
    s.read_exact(&mut head).await.map_err(io)?;
    if head[1] != 0 {
        let why = match head[1] {
            2 => "connection not allowed by ruleset",
            3 => "network unreachable",
            4 => "host unreachable",
            5 => "connection refused",
            _ => "general failure",
        };
        return Err(Failure::new(
            Stage::Proxy,
            Outcome::Refused,
            format!("SOCKS5 proxy: {why}"),
        )
        .go(format!("Get {shown:?}: socks connect tcp: {why}")));
    }
    let skip = match head[3] {
        1 => 4 + 2,
        4 => 16 + 2,
        3 => {
            let mut len = [0u8; 1];
            s.read_exact(&mut len).await.map_err(io)?;
            len[0] as usize + 2
        }
        _ => return Err(fail("bad address type in reply")),
    };
    let mut rest = vec![0u8; skip];
    s.read_exact(&mut rest).await.map_err(io)?;
    Ok(s)
}

fn io_kind(err: &(dyn std::error::Error + 'static)) -> Option<io::ErrorKind> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            return Some(io.kind());
        }
        current = e.source();
    }
    None
}

fn http_failure(e: &hyper::Error, shown: &str) -> Failure {
    if io_kind(e) == Some(io::ErrorKind::ConnectionReset) {
        return Failure::new(
            Stage::Http,
            Outcome::Refused,
            "the server reset the connection instead of answering",
        )
        .go(format!("Get {shown:?}: read: connection reset by peer"));
    }
    if e.is_parse() {
        return Failure::new(
            Stage::Http,
            Outcome::ProtocolError,
            "the answer is not HTTP",
        )
        .go(format!(
            "Get {shown:?}: net/http: HTTP/1.x transport connection broken: malformed HTTP response"
        ));
    }
    if e.is_incomplete_message() || e.is_closed() {
        return Failure::new(
            Stage::Http,
            Outcome::ProtocolError,
            "the server closed the connection without answering",
        )
        .go(format!("Get {shown:?}: EOF"));
    }
    Failure::new(Stage::Http, Outcome::ProtocolError, e.to_string())
        .go(format!("Get {shown:?}: {e}"))
}

fn body_failure(e: &hyper::Error, shown: &str) -> Failure {
    if io_kind(e) == Some(io::ErrorKind::ConnectionReset) {
        return Failure::new(
            Stage::Http,
            Outcome::Refused,
            "the connection was reset in the middle of the body",
        )
        .go(format!("reading {shown}: connection reset by peer"));
    }
    let why = if e.is_parse() {
        "invalid chunked encoding or framing"
    } else {
        "the body was cut off"
    };
    Failure::new(
        Stage::Http,
        Outcome::ProtocolError,
        format!("the response body is broken ({why})"),
    )
    .go(format!("reading {shown}: unexpected EOF"))
}

fn tls_failure(
    e: &io::Error,
    host: &str,
    shown: &str,
    recording: &Recording,
    roots_from: &str,
) -> Failure {
    let info = recording.info();
    let issuer = info
        .as_ref()
        .map(|i| common_name(&i.issuer))
        .unwrap_or_default();
    let get = |x: &str| format!("Get {shown:?}: {x}");
    let rustls_error = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    match rustls_error {
        Some(rustls::Error::InvalidCertificate(cert)) => match cert {
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                let names = info.as_ref().map(|i| i.subject.clone()).unwrap_or_default();
                Failure::new(
                    Stage::Tls,
                    Outcome::TlsHostname,
                    format!("the certificate is not valid for {host} (it is for {names})"),
                )
                .param("host", host)
                .param("subject", names)
                .go(get(&format!(
                    "tls: failed to verify certificate: x509: certificate is not valid for {host}"
                )))
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } | CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                let until = info.as_ref().map(|i| i.not_after.clone()).unwrap_or_default();
                Failure::new(
                    Stage::Tls,
                    Outcome::TlsUntrusted,
                    format!("the certificate has expired or is not yet valid (valid until {until})"),
                )
                .param("not_after", until)
                .param("reason", "expired")
                .go(get("tls: failed to verify certificate: x509: certificate has expired or is not yet valid"))
            }
            _ => Failure::new(
                Stage::Tls,
                Outcome::TlsUntrusted,
                format!(
                    "TLS interception by {issuer}: the certificate is issued by a CA Go does not trust here (a corporate proxy, antivirus or private CA; trusted roots: {roots_from}); set SSL_CERT_FILE to that CA's certificate"
                ),
            )
            .param("issuer", issuer)
            .param("roots", roots_from)
            .go(get("tls: failed to verify certificate: x509: certificate signed by unknown authority")),
        },
        Some(rustls::Error::InvalidMessage(_)) => Failure::new(
            Stage::Tls,
            Outcome::ProtocolError,
            "the server does not speak TLS on this port (plain http?)",
        )
        .go(get("tls: first record does not look like a TLS handshake")),
        Some(rustls::Error::AlertReceived(alert)) => Failure::new(
            Stage::Tls,
            Outcome::ProtocolError,
            format!("the server aborted the TLS handshake ({alert:?})"),
        )
        .go(get(&format!("remote error: tls: {alert:?}"))),
        Some(other) => Failure::new(Stage::Tls, Outcome::ProtocolError, format!("TLS failed: {other}"))
            .go(get(&format!("tls: {other}"))),
        None if e.kind() == io::ErrorKind::ConnectionReset => {
            Failure::new(Stage::Tls, Outcome::Refused, "the connection was reset during the TLS handshake")
                .go(get("read: connection reset by peer"))
        }
        None => Failure::new(
            Stage::Tls,
            Outcome::ProtocolError,
            format!("the TLS handshake failed ({})", short_io(e)),
        )
        .go(get(&format!("tls: {}", short_io(e)))),
    }
}

/// The common name of an X.500 name as x509-parser prints it (`CN=Acme Root, O=Acme`).
pub(crate) fn common_name(name: &str) -> String {
    name.split(", ")
        .find_map(|part| part.strip_prefix("CN="))
        .unwrap_or(name)
        .to_string()
}

fn empty_info(public_ca: bool) -> TlsInfo {
    TlsInfo {
        version: String::new(),
        subject: String::new(),
        issuer: String::new(),
        not_after: String::new(),
        public_ca,
        chain: Vec::new(),
    }
}

/// Verifies with Go's roots (the decision) and records the chain and whether Mozilla's list
/// alone would accept it. Verification itself is webpki's: never skipped.
#[derive(Debug)]
struct Recording {
    go: Arc<WebPkiServerVerifier>,
    public: Arc<WebPkiServerVerifier>,
    seen: Mutex<Option<TlsInfo>>,
}

impl Recording {
    fn info(&self) -> Option<TlsInfo> {
        self.seen.lock().ok().and_then(|s| s.clone())
    }
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let public_ca = self
            .public
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .is_ok();
        let mut info = empty_info(public_ca);
        if let Ok((_, leaf)) = x509_parser::parse_x509_certificate(end_entity.as_ref()) {
            info.subject = leaf.subject().to_string();
            info.issuer = leaf.issuer().to_string();
            info.not_after = super::time::rfc3339(leaf.validity().not_after.timestamp());
            let mut names: Vec<String> = Vec::new();
            if let Ok(Some(san)) = leaf.subject_alternative_name() {
                for n in &san.value.general_names {
                    names.push(match n {
                        x509_parser::extensions::GeneralName::DNSName(d) => d.to_string(),
                        x509_parser::extensions::GeneralName::IPAddress(b) => match b.len() {
                            4 => IpAddr::from(<[u8; 4]>::try_from(*b).unwrap_or_default())
                                .to_string(),
                            16 => IpAddr::from(<[u8; 16]>::try_from(*b).unwrap_or_default())
                                .to_string(),
                            _ => continue,
                        },
                        _ => continue,
                    });
                }
            }
            if !names.is_empty() {
                info.subject = format!("{} ({})", info.subject, names.join(", "));
            }
        }
        info.chain = std::iter::once(end_entity)
            .chain(intermediates)
            .filter_map(|c| {
                x509_parser::parse_x509_certificate(c.as_ref())
                    .ok()
                    .map(|(_, c)| c.subject().to_string())
            })
            .collect();
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some(info);
        }
        self.go
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.go.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.go.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.go.supported_verify_schemes()
    }
}

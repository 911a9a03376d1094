//! Small blocking clients for the fixture's servers (std sockets and rustls, no async).
#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `scheme://host:port/path` → (scheme, host, port, path).
pub fn split_url(url: &str) -> (String, String, u16, String) {
    let (scheme, rest) = url.split_once("://").expect("url has a scheme");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let authority = authority.rsplit('@').next().unwrap();
    let (host, port) = authority.rsplit_once(':').expect("url has a port");
    (
        scheme.to_owned(),
        host.to_owned(),
        port.parse().expect("numeric port"),
        path.to_owned(),
    )
}

/// Connects to the URL's port on 127.0.0.1 with the given read timeout.
pub fn connect(url: &str, read_timeout: Duration) -> TcpStream {
    let (_, _, port, _) = split_url(url);
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the fixture");
    stream.set_read_timeout(Some(read_timeout)).unwrap();
    stream
}

/// Writes a `GET` for `url` (origin form, `Connection: close`).
pub fn write_get(stream: &mut impl Write, url: &str) {
    let (_, host, port, path) = split_url(url);
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: testkit-test/1\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    stream.flush().unwrap();
}

/// Reads until EOF (or an error, which is returned with what was read so far).
pub fn read_all(stream: &mut impl Read) -> (Vec<u8>, Option<io::Error>) {
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (out, None),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (out, Some(e)),
        }
    }
}

/// Reads until `deadline` passes, EOF or an error; returns the bytes and whether EOF was seen.
pub fn read_for(stream: &mut TcpStream, total: Duration) -> (Vec<u8>, bool) {
    let start = std::time::Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = total.saturating_sub(start.elapsed());
        if left.is_zero() {
            return (out, false);
        }
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match stream.read(&mut buf) {
            Ok(0) => return (out, true),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return (out, false);
            }
            Err(e) => panic!("unexpected read error: {e}"),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = find(raw, b"\r\n")?;
        let size_str = std::str::from_utf8(&raw[..eol]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        raw = &raw[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(raw.get(..size)?);
        raw = raw.get(size + 2..)?;
    }
}

/// Parses a complete response (head + body; chunked bodies are decoded).
pub fn parse_response(raw: &[u8]) -> Resp {
    let end = find(raw, b"\r\n\r\n").unwrap_or_else(|| {
        panic!(
            "no complete response head in {:?}",
            String::from_utf8_lossy(raw)
        )
    });
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    assert!(
        status_line.starts_with("HTTP/1.1 ") || status_line.starts_with("HTTP/1.0 "),
        "status line {status_line:?}"
    );
    let status = status_line[9..12].parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (n, v) = l.split_once(':').expect("header line");
            (n.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        dechunk(rest).expect("valid chunked body")
    } else if let Some((_, len)) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
    {
        let len: usize = len.parse().unwrap();
        assert!(rest.len() >= len, "body shorter than Content-Length");
        rest[..len].to_vec()
    } else {
        rest.to_vec()
    };
    Resp {
        status,
        headers,
        body,
    }
}

/// A plain-HTTP GET of `url` (a fixture URL on 127.0.0.1).
pub fn get(url: &str) -> Resp {
    let mut stream = connect(url, Duration::from_secs(10));
    write_get(&mut stream, url);
    let (raw, err) = read_all(&mut stream);
    assert!(err.is_none(), "reading {url}: {err:?}");
    parse_response(&raw)
}

/// A client configuration that trusts only the PEM certificates in `ca_file`.
pub fn client_config(ca_file: &Path) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca_file).expect("CA file readable") {
        roots.add(cert.expect("CA PEM parses")).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// Completes a TLS handshake over `sock` for `server_name`; the rustls error when it fails.
pub fn tls_over(
    mut sock: TcpStream,
    server_name: &str,
    config: Arc<ClientConfig>,
) -> Result<StreamOwned<ClientConnection, TcpStream>, rustls::Error> {
    let name = ServerName::try_from(server_name.to_owned()).expect("valid server name");
    let mut conn = ClientConnection::new(config, name)?;
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut sock) {
            let inner = e
                .get_ref()
                .and_then(|i| i.downcast_ref::<rustls::Error>())
                .cloned();
            return Err(inner.unwrap_or_else(|| rustls::Error::General(e.to_string())));
        }
    }
    Ok(StreamOwned::new(conn, sock))
}

/// Like [`tls_over`] on a fresh connection to the URL's port.
pub fn tls_connect(
    url: &str,
    server_name: &str,
    config: Arc<ClientConfig>,
) -> Result<StreamOwned<ClientConnection, TcpStream>, rustls::Error> {
    tls_over(connect(url, Duration::from_secs(10)), server_name, config)
}

/// Reads a response head byte by byte (so nothing after it is consumed).
pub fn read_head_exact(stream: &mut impl Read) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(0) => break,
            Ok(_) => head.push(byte[0]),
            Err(e) => panic!("reading a response head: {e}"),
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

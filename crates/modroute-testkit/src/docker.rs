//! A stand-in Docker daemon on 127.0.0.1 for the real `docker` client: enough of the Engine
//! API for `DOCKER_BUILDKIT=0 docker build` (the classic builder) to run to completion, so a
//! test can see what the client sent — above all the `buildargs` it derived from its
//! `config.json` proxies.
//!
//! It answers `/_ping` (HEAD and GET), `/version`, `/info` and `POST /build` (the build
//! context is read and dropped, the answer is a short JSON progress stream); anything else gets
//! a 404 with a JSON message, so an unexpected call fails the client loudly. Every request is
//! logged. Plain threads, HTTP/1.1 with keep-alive, chunked request bodies decoded.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// One request the daemon saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerRequest {
    /// `GET`, `HEAD`, `POST` …
    pub method: String,
    /// The path without the API version prefix (`/build`).
    pub path: String,
    /// The query, decoded (`buildargs` → its JSON text).
    pub query: BTreeMap<String, String>,
}

/// A running fake daemon; it stops accepting when dropped.
pub struct FakeDockerd {
    port: u16,
    log: Arc<Mutex<Vec<DockerRequest>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl FakeDockerd {
    /// Binds an ephemeral port on 127.0.0.1 and serves on a background thread.
    ///
    /// # Panics
    /// When no loopback port can be bound.
    pub fn start() -> FakeDockerd {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (thread_log, thread_stop) = (Arc::clone(&log), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if thread_stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let log = Arc::clone(&thread_log);
                std::thread::spawn(move || {
                    let _ = serve(stream, &log);
                });
            }
        });
        FakeDockerd { port, log, stop }
    }

    /// `tcp://127.0.0.1:<port>`, for DOCKER_HOST.
    pub fn host(&self) -> String {
        format!("tcp://127.0.0.1:{}", self.port)
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<DockerRequest> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The build arguments of the last `POST /build` (a `null` value is an argument given
    /// without a value), or `None` when no build arrived.
    pub fn last_build_args(&self) -> Option<BTreeMap<String, Option<String>>> {
        let build = self
            .requests()
            .into_iter()
            .rev()
            .find(|r| r.method == "POST" && r.path == "/build")?;
        let json = build
            .query
            .get("buildargs")
            .cloned()
            .unwrap_or_else(|| "{}".into());
        serde_json::from_str(&json).ok()
    }
}

impl Drop for FakeDockerd {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<DockerRequest>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut parts = request_line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            return Ok(());
        };
        let (method, target) = (method.to_string(), target.to_string());
        let mut headers = BTreeMap::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        // The body (the build context) is read and dropped.
        if headers
            .get("transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size)?;
                let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                    .unwrap_or(0);
                if size == 0 {
                    // Trailers, up to the empty line.
                    loop {
                        let mut t = String::new();
                        if reader.read_line(&mut t)? == 0 || t.trim_end().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                std::io::copy(
                    &mut (&mut reader).take(size as u64 + 2),
                    &mut std::io::sink(),
                )?;
            }
        } else if let Some(len) = headers
            .get("content-length")
            .and_then(|v| v.parse::<u64>().ok())
        {
            std::io::copy(&mut (&mut reader).take(len), &mut std::io::sink())?;
        }

        let (path_with_version, query) = target.split_once('?').unwrap_or((&target, ""));
        let path = strip_version(path_with_version);
        let query: BTreeMap<String, String> = query
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (percent_decode(k), percent_decode(v))
            })
            .collect();
        log.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(DockerRequest {
                method: method.clone(),
                path: path.clone(),
                query,
            });

        let (status, content_type, body): (&str, &str, String) = match (method.as_str(), path.as_str()) {
            ("GET" | "HEAD", "/_ping") => ("200 OK", "text/plain; charset=utf-8", "OK".into()),
            ("GET", "/version") => (
                "200 OK",
                "application/json",
                r#"{"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64","KernelVersion":"6.1.0","GoVersion":"go1.19"}"#.into(),
            ),
            ("GET", "/info") => (
                "200 OK",
                "application/json",
                r#"{"ID":"fake","OSType":"linux","Architecture":"x86_64","ServerVersion":"20.10.24"}"#.into(),
            ),
            ("POST", "/build") => (
                "200 OK",
                "application/json",
                concat!(
                    "{\"stream\":\"Step 1/1 : FROM scratch\\n\"}\r\n",
                    "{\"aux\":{\"ID\":\"sha256:0000000000000000000000000000000000000000000000000000000000000001\"}}\r\n",
                    "{\"stream\":\"Successfully built 000000000000\\n\"}\r\n"
                )
                .into(),
            ),
            _ => (
                "404 Not Found",
                "application/json",
                format!(r#"{{"message":"the test daemon does not implement {method} {path}"}}"#),
            ),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nApi-Version: 1.41\r\nOstype: linux\r\nDocker-Experimental: false\r\nBuilder-Version: 1\r\nServer: Docker/20.10.24 (linux)\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        writer.write_all(head.as_bytes())?;
        if method != "HEAD" {
            writer.write_all(body.as_bytes())?;
        }
        writer.flush()?;
    }
}

/// `/v1.41/build` → `/build`.
fn strip_version(path: &str) -> String {
    let mut segments = path.splitn(3, '/');
    let _ = segments.next();
    match (segments.next(), segments.next()) {
        (Some(v), Some(rest)) if v.starts_with('v') && v[1..].contains('.') => format!("/{rest}"),
        _ => path.to_string(),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_queries_are_decoded() {
        assert_eq!(strip_version("/v1.41/build"), "/build");
        assert_eq!(strip_version("/_ping"), "/_ping");
        assert_eq!(
            percent_decode("%7B%22A%22%3A%22x+y%22%7D"),
            "{\"A\":\"x y\"}"
        );
        assert_eq!(percent_decode("100%"), "100%");
    }
}

//! `modroute-testserver`: starts the loopback test servers, prints one JSON line with their URLs,
//! and serves until standard input reaches end-of-file or the process gets SIGTERM/SIGINT.
//!
//! ```text
//! {"http":"http://127.0.0.1:P","tls":"https://127.0.0.1:P2","tls_named":"https://athens.corp.test:P2",
//!  "self_signed":"https://127.0.0.1:P3","wrong_name":"https://127.0.0.1:P4","expired":"https://127.0.0.1:P5",
//!  "proxy":"http://modroute:s3cret-pw@127.0.0.1:P6","no_connect_proxy":"http://127.0.0.1:P7",
//!  "closed":"http://127.0.0.1:P8","ca_file":"/tmp/modroute-testkit-…/ca.pem"}
//! ```
//! Append `/<fault>` to a module-server URL (see the `modroute-testkit` library docs).

use std::io::{Read, Write};
use std::process::ExitCode;

use modroute_testkit::Fixture;

/// A base URL without its trailing `/` (the fault segment is left to the caller).
fn base(url: String) -> String {
    url.trim_end_matches('/').to_owned()
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C elsewhere). Handlers are installed before it returns.
#[cfg(unix)]
fn stop_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn stop_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("modroute-testserver: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Install the signal handlers before anyone learns the URLs (and might signal us).
    let stop = match runtime.block_on(async { stop_signal() }) {
        Ok(stop) => stop,
        Err(e) => {
            eprintln!("modroute-testserver: installing signal handlers: {e}");
            return ExitCode::FAILURE;
        }
    };

    let fixture = Fixture::start();
    let line = serde_json::json!({
        "http": base(fixture.http_base("")),
        "tls": base(fixture.tls_base("")),
        "tls_named": base(fixture.tls_named_base("")),
        "self_signed": base(fixture.self_signed_base("")),
        "wrong_name": base(fixture.wrong_name_base("")),
        "expired": base(fixture.expired_base("")),
        "proxy": fixture.proxy_url(),
        "no_connect_proxy": fixture.no_connect_proxy_url(),
        "closed": fixture.closed_base(),
        "ca_file": fixture.ca_file().to_string_lossy(),
    });

    let (stdin_tx, stdin_rx) = tokio::sync::oneshot::channel::<()>();
    // A plain thread: a blocked read of stdin must not keep a runtime from finishing.
    let _stdin = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut stdin = std::io::stdin().lock();
        loop {
            match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = stdin_tx.send(());
    });

    {
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
            return ExitCode::FAILURE;
        }
    }

    runtime.block_on(async {
        tokio::select! {
            _ = stdin_rx => {}
            () = stop => {}
        }
    });
    drop(fixture);
    ExitCode::SUCCESS
}

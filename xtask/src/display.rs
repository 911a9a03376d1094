//! A private virtual X display (Xvfb) for the window tests and benchmarks.
//!
//! Xvfb picks a free display number itself (`-displayfd`) and writes it to a pipe once it accepts
//! connections, so there is no race between choosing a number and another server taking it, and
//! no polling for the socket. The server listens on its Unix socket only (`-nolisten tcp`).
//! [`VirtualDisplay`] kills the server when dropped — on success, on error and on panic.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// A running Xvfb; killed on drop.
pub struct VirtualDisplay {
    child: Child,
    /// The value for `DISPLAY`, like `:99`.
    pub display: String,
    log: PathBuf,
    /// The read end of Xvfb's stdout, kept open so a late write cannot kill it with SIGPIPE.
    _pipe: BufReader<std::io::PipeReader>,
}

impl VirtualDisplay {
    /// Starts `Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp`, with its messages going to
    /// `log`, and waits (up to 30 s) until it is ready.
    pub fn start(log: &Path) -> Result<Self> {
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let (reader, writer) = std::io::pipe().context("creating a pipe for Xvfb")?;
        let mut cmd = Command::new("Xvfb");
        cmd.args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(File::create(log).with_context(|| format!("creating {}", log.display()))?);
        let mut child = cmd.spawn().context(
            "could not start Xvfb (is the `xvfb` package installed? run `cargo xtask setup`)",
        )?;
        // Our copy of the pipe's write end lives in `cmd`: drop it so a dying Xvfb means EOF.
        drop(cmd);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(reader);
            let mut line = String::new();
            let result = reader.read_line(&mut line).map(|_| line);
            let _ = tx.send((result, reader));
        });
        let outcome = rx.recv_timeout(Duration::from_secs(30));
        let (number, pipe) = match outcome {
            Ok((Ok(line), reader)) if !line.trim().is_empty() => (line.trim().to_string(), reader),
            outcome => {
                let _ = child.kill();
                let _ = child.wait();
                let log_text = std::fs::read_to_string(log).unwrap_or_default();
                bail!(
                    "Xvfb did not start ({}); its log {}:\n{}",
                    match outcome {
                        Err(_) => "no display after 30 s".to_string(),
                        Ok((Err(e), _)) => e.to_string(),
                        Ok((Ok(_), _)) => "it exited".to_string(),
                    },
                    log.display(),
                    log_text.trim()
                );
            }
        };
        println!("    Xvfb running on :{number} (log: {})", log.display());
        Ok(Self {
            child,
            display: format!(":{number}"),
            log: log.to_path_buf(),
            _pipe: pipe,
        })
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        println!(
            "    Xvfb {} stopped (log: {})",
            self.display,
            self.log.display()
        );
    }
}

//! modroute-core: the library behind the `modroute` CLI and desktop app.
//!
//! It answers "which GOPROXY (GOSUMDB, GOPRIVATE, HTTPS_PROXY …) does `go` really use, and why?"
//! — and switches profiles through the go env file, every shell and the desktop session as one
//! journaled, undoable transaction.
//!
//! # House rules
//!
//! - **The environment is passed in.** Every entry point takes an [`Env`] snapshot; nothing here
//!   reads the process environment (enforced by this crate's `clippy.toml`). Tests run against a
//!   temporary HOME and never see the developer's settings.
//! - **Data flows one way:** read the world into a snapshot ([`status::gather`],
//!   [`goenv::read`], [`goroot::locate`]) → compute purely ([`resolve`]) → render (the CLI and the
//!   app). Pure modules do no I/O.
//! - **cmd/go is the spec.** Parsing, location and precedence follow `cmd/go/internal/cfg`
//!   byte for byte; the integration tests compare against the real `go env`.
//! - **No secret leaves the core unredacted** ([`redact`]).
//!
//! # Terms
//!
//! - *go env file*: the file `go env -w` writes (`$GOENV`, or `<user config dir>/go/env`).
//! - *layer*: one place a value can come from — [`resolve::Source`].
//! - *effective value*: what `go` uses after precedence.

pub mod apply;
pub mod atomic;
pub mod check;
pub mod docker;
pub mod doctor;
pub mod env;
pub mod exec;
pub mod export;
pub mod gitconfig;
pub mod goenv;
pub mod goroot;
pub mod httpproxy;
pub mod ides;
pub mod modpath;
pub mod netrc;
pub mod paths;
pub mod plan;
pub mod profile;
pub mod rcblock;
pub mod redact;
pub mod resolve;
pub mod session;
pub mod setting;
pub mod shadow;
pub mod shell;
pub mod status;
pub mod targets;
pub mod validate;
pub mod why;

pub use env::{Env, TargetOs};
pub use setting::{Setting, SettingKind};

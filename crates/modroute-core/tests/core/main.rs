//! modroute-core's integration tests: generated shell text run in the real shells, rc-file
//! splicing on real-world fixtures, prompt hooks in interactive shells under tmux, and
//! environment.d files read by systemd's own generator.
//!
//! Every test works in a temporary HOME and starts shells with a cleared environment, so the
//! developer's dotfiles and settings are never read or touched. Tests that need a program this
//! machine lacks (tmux, nu, systemd's generator) say so on stderr and pass; `cargo xtask test`
//! installs them, and setting `MODROUTE_REQUIRE_ALL_TOOLS=1` turns a missing tool into a failure.

mod check;
mod docker;
mod doctor;
mod environment_d;
mod export;
mod gitcontext;
mod goenv;
mod hooks;
mod rcblocks;
mod settings;
mod shells;
mod sudo;
mod support;
mod toolchain;
mod transactions;
mod why;

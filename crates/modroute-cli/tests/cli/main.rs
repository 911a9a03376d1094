//! Integration tests of the `modroute` binary. Everything runs in a temporary HOME with an
//! explicit, cleared environment: nothing here reads or writes the developer's files.

mod check;
mod docker;
mod doctor;
mod everywhere;
mod fidelity;
mod git;
mod harness;
mod ides;
mod reliability;
mod secrets;
mod status_output;
mod switching;
mod why;

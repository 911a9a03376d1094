//! Integration tests of the `modroute` binary. Everything runs in a temporary HOME with an
//! explicit, cleared environment: nothing here reads or writes the developer's files.

mod check;
mod doctor;
mod fidelity;
mod harness;
mod reliability;
mod secrets;
mod status_output;
mod switching;
mod why;

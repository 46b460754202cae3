//! The one integration-test binary (so polars links once): modules per concern.

mod calibration;
mod charts;
mod cli;
mod common;
mod crosscheck;
mod customers;
mod grade;
mod invariants;
mod issues;
mod kpi;
mod operation;
mod proposals;
mod queueing;
mod quiz;
mod whatif;

//! The one integration-test binary (so polars links once): modules per concern.

mod calibration;
mod common;
mod invariants;
mod queueing;

//! supportsim: simulate a customer-support operation from a scenario file and write the data of an
//! interview case from it.
//!
//! Layers, from the command line inward: [`app`] runs commands; [`scenario`] reads the TOML;
//! [`config`] validates it; [`sim`] is the pure discrete-event model producing [`record`]s;
//! [`output`] turns records into tables and files; [`kpi`] defines the KPIs once over the exported
//! tables. [`mem`] holds the one memory hint the engine uses.

pub mod analysis;
pub mod app;
pub mod case;
pub mod chart;
pub mod cli;
pub mod config;
pub mod error;
pub mod interventions;
pub mod kpi;
pub mod mem;
pub mod models;
pub mod output;
pub mod quiz;
pub mod record;
pub mod reference;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod scenarios;
pub mod score;
pub mod sim;
pub mod solve;
pub mod whatif;

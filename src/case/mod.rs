//! The interview case built on a simulated history: which hidden issues a seed plants, and the
//! interviewer's answer key with each issue's true effect.

pub mod answer_key;

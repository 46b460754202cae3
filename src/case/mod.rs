//! The interview case built on a simulated history: which hidden issues a seed plants, and the
//! interviewer's answer key with each issue's true effect, and the candidate's brief.

pub mod answer_key;
pub mod brief;

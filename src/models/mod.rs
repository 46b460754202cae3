//! Outcome models: how the experience a customer had becomes a rating, a comment and a churn hazard. Each model is a pure function
//! of the experience, the validated parameters and keyed uniforms, so a status-quo run and an
//! intervention run rate the same experience the same way.

pub mod churn;
pub mod comments;
pub mod csat;

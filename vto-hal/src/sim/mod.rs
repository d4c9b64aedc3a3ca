//! sim backend

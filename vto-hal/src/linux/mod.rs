//! linux backend

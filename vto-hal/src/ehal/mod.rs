//! ehal backend

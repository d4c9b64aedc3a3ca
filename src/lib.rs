//! vto: an IP video door station in Rust. This umbrella crate re-exports the three layers.
pub use vto_app as app;
pub use vto_core as core;
pub use vto_hal as hal;

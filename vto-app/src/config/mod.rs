//! Configuration: `station.toml` (wiring and boot settings) and the runtime settings sections.

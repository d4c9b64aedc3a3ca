//! rpi backend

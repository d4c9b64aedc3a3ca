//! Cameras: formats, frames with timestamps, image controls with the manual's meaning.

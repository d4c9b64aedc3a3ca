//! Audio in and out: PCM frames with timestamps, volume and mute with the manual's meaning.

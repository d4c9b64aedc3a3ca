//! The ALSA backend against the kernel's snd-aloop driver, in the HIL VM (scripts/hil-test.sh).
#![cfg(all(feature = "alsa", feature = "sim"))]

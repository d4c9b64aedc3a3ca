//! The V4L2 camera against the kernel's vivid driver, in the HIL VM (scripts/hil-test.sh).
#![cfg(all(feature = "v4l", feature = "sim"))]

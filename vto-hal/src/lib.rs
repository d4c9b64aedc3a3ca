//! Hardware abstraction for IP video door stations.
//!
//! vto-hal turns a door station's hardware into semantic events and commands: a lock
//! relay is [`RelayState::Energized`] or [`Released`](RelayState::Released), a door
//! contact reports [`DoorState::Open`], a card reader yields [`WiegandFrame`]s with the
//! time of their last pulse. One small trait per peripheral, in the style of
//! embedded-hal, with an [`Error`] that generic code can match by [`ErrorKind`]; logic
//! levels exist only inside the backends' adapters ([`level`]).
//!
//! Backends, each behind a cargo feature:
//! - `sim` (default): deterministic simulated hardware with probes and a fault injector;
//! - `ehal`: adapters over any embedded-hal 1.0 pin, for any board (no_std);
//! - `linux`: the GPIO character device (uAPI v2) with kernel edge timestamps, and serial
//!   ports for RS-485;
//! - `rpi`: the Raspberry Pi through rppal.
//! - `alsa`: the speaker and microphone on any Linux sound card (traits in `audio`).
//!
//! Pure codecs, usable anywhere (no_std, no allocation): [`debounce`] on edge timestamps,
//! the Wiegand bit-timing [`wiegand::Decoder`] and the [`wiegand::format`]s.
//!
//! ```
//! use vto_hal::wiegand::{Bits, Format, Credential};
//! use vto_hal::wiegand::format::{self, CardNumber, FacilityCode};
//!
//! // HID H10301: even parity, facility code 1 (8 bits), card 1 (16 bits), odd parity.
//! let bits = Bits::parse("10000000100000000000000010").unwrap();
//! let card = format::decode(&bits, &[Format::H10301, Format::Raw]).unwrap();
//! assert_eq!(
//!     card,
//!     Credential::Card { format: Format::H10301, facility: FacilityCode(1), number: CardNumber(1) }
//! );
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

#[cfg(feature = "std")]
pub mod audio;
#[cfg(feature = "std")]
pub mod camera;
pub mod debounce;
pub mod error;
pub mod input;
pub mod level;
pub mod lock;
pub mod rs485;
pub mod time;
pub mod wiegand;

#[cfg(feature = "ehal")]
pub mod ehal;

#[cfg(feature = "sim")]
pub mod sim;

#[cfg(feature = "linux")]
pub mod linux;

#[cfg(feature = "rpi")]
pub mod rpi;

#[cfg(feature = "v4l")]
pub mod v4l;

#[cfg(feature = "alsa")]
pub mod alsa;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use error::{Error, ErrorKind, ErrorType};
pub use input::{
    Button, ButtonState, DoorContact, DoorState, FireAlarmInput, FireAlarmState, Input, InputEvent,
    InputState, TamperState, TamperSwitch,
};
pub use level::{Bias, Contact, InputConfig, InputWiring, Polarity};
pub use lock::{Lock, RelayState};
pub use rs485::Rs485;
pub use time::{Clock, Duration, Timestamp};
pub use wiegand::{WiegandFrame, WiegandReader, WiegandWriter};

//! The station's hardware on any Linux board, from `station.toml`: relays and inputs on
//! the GPIO character device (kernel edge timestamps on `CLOCK_MONOTONIC`), the Wiegand
//! reader on two lines. Each input has a thread blocking on its line's edge events.

use std::sync::mpsc;
use std::sync::Arc;

use vto_hal::linux::{EdgeInput, LinuxLock, LinuxWiegandReader};
use vto_hal::time::MonotonicClock;
use vto_hal::{ButtonState, Contact, TamperState};

use super::port::Circuit;
use super::{watch, ButtonKind, Hardware, HardwareError, HwEvent, NamedLock, StopSignal};
use crate::config::{Pin, PinSpec, StationConfig};

fn line(part: &str, spec: Option<PinSpec>) -> Result<vto_hal::linux::LineSpec, HardwareError> {
    spec.and_then(|s| s.line_spec())
        .ok_or_else(|| HardwareError {
            part: part.to_string(),
            message: "no GPIO line configured (chip + offset or name)".into(),
            kind: vto_hal::ErrorKind::InvalidConfig,
        })
}

fn relay(
    part: &str,
    pin: &Option<Pin>,
    polarity: vto_hal::Polarity,
) -> Result<NamedLock<LinuxLock>, HardwareError> {
    let spec = line(part, pin.as_ref().and_then(Pin::spec))?;
    let lock = LinuxLock::open(&spec, polarity).map_err(|e| HardwareError::from_hal(part, &e))?;
    Ok(NamedLock::new(part, lock))
}

/// Lock 2 as coil 0 of the Modbus RTU relay board or lock controller at `address` on the
/// RS-485 bus, with DE/RE on a GPIO line or an auto-direction transceiver.
fn modbus_relay(
    bus: &crate::config::Rs485Config,
    address: u32,
) -> Result<Box<dyn super::DynLock>, HardwareError> {
    use vto_hal::linux::{GpioDirection, SerialRs485};
    use vto_hal::rs485::modbus::ModbusRelay;
    let part = "lock 2 relay (RS-485)";
    let address = u8::try_from(address).map_err(|_| HardwareError {
        part: part.into(),
        message: format!("Modbus address {address} is outside 1..=247"),
        kind: vto_hal::ErrorKind::InvalidConfig,
    })?;
    let fail = |e: vto_hal::linux::LinuxError| HardwareError::from_hal(part, &e);
    Ok(match &bus.de_re {
        Some(pin) => {
            let spec = line(part, pin.spec())?;
            let direction = GpioDirection::open(&spec, bus.de_re_polarity()).map_err(fail)?;
            let port =
                SerialRs485::open(&bus.port, bus.serial_config(), direction).map_err(fail)?;
            Box::new(NamedLock::new(part, ModbusRelay::new(port, address, 0)))
        }
        None => {
            let port =
                SerialRs485::open(&bus.port, bus.serial_config(), vto_hal::ehal::AutoDirection)
                    .map_err(fail)?;
            Box::new(NamedLock::new(part, ModbusRelay::new(port, address, 0)))
        }
    })
}

/// Builds the hardware; parts that fail are listed in [`Hardware::degraded`].
pub fn build(config: &StationConfig) -> Hardware {
    let stop = StopSignal::default();
    let (tx, events) = mpsc::channel();
    let mut degraded = Vec::new();
    let window = vto_hal::Duration::from_millis(config.debounce.window_ms);

    let mut locks: [Option<Box<dyn super::DynLock>>; 2] = [None, None];
    match relay(
        "lock 1 relay",
        &config.locks.local.relay,
        config.locks.local.polarity(),
    ) {
        Ok(l) => locks[0] = Some(Box::new(l)),
        Err(e) => degraded.push(e),
    }
    let second = &config.locks.rs485;
    if second.relay.is_some() {
        match relay("lock 2 relay", &second.relay, second.polarity()) {
            Ok(l) => locks[1] = Some(Box::new(l)),
            Err(e) => degraded.push(e),
        }
    } else if let Some(bus) = &config.rs485 {
        match modbus_relay(bus, second.address) {
            Ok(l) => locks[1] = Some(l),
            Err(e) => degraded.push(e),
        }
    } else {
        degraded.push(HardwareError {
            part: "lock 2 relay".into(),
            message: "neither a relay pin nor an [rs485] bus is configured".into(),
            kind: vto_hal::ErrorKind::InvalidConfig,
        });
    }

    // Contact ports: read as raw circuits (NO wiring: "pressed" = contact closed); the
    // station applies the runtime NC/NO and door/fire setting.
    for (index, pin) in [&config.locks.local.contact, &config.locks.rs485.contact]
        .into_iter()
        .enumerate()
    {
        let Some(pin) = pin else { continue };
        let part = format!("lock {} contact port", index + 1);
        let opened = line(&part, pin.spec()).and_then(|spec| {
            EdgeInput::<ButtonState>::open(&spec, pin.input_config(Contact::NormallyOpen, window))
                .map_err(|e| HardwareError::from_hal(&part, &e))
        });
        match opened {
            Ok(input) => watch::input(&part, &MonotonicClock, &stop, &tx, input, move |e| {
                HwEvent::Port {
                    index,
                    circuit: if e.state == ButtonState::Pressed {
                        Circuit::Closed
                    } else {
                        Circuit::Open
                    },
                    at: e.at,
                }
            }),
            Err(e) => degraded.push(e),
        }
    }

    let mut buttons: Vec<(ButtonKind, &crate::config::InputPin)> = Vec::new();
    if let Some(p) = &config.inputs.exit_button {
        buttons.push((ButtonKind::Exit, p));
    }
    for p in &config.inputs.call_buttons {
        buttons.push((ButtonKind::Call, p));
    }
    for (button, pin) in buttons {
        let part = format!("{button:?} button").to_lowercase();
        let opened = line(&part, pin.spec()).and_then(|spec| {
            EdgeInput::<ButtonState>::open(&spec, pin.input_config(window))
                .map_err(|e| HardwareError::from_hal(&part, &e))
        });
        match opened {
            Ok(input) => watch::input(&part, &MonotonicClock, &stop, &tx, input, move |e| {
                HwEvent::Button {
                    button,
                    state: e.state,
                    at: e.at,
                }
            }),
            Err(e) => degraded.push(e),
        }
    }
    if let Some(pin) = &config.inputs.tamper {
        let part = "tamper switch";
        let opened = line(part, pin.spec()).and_then(|spec| {
            EdgeInput::<TamperState>::open(&spec, pin.input_config(window))
                .map_err(|e| HardwareError::from_hal(part, &e))
        });
        match opened {
            Ok(input) => watch::input(part, &MonotonicClock, &stop, &tx, input, |e| {
                HwEvent::Tamper {
                    state: e.state,
                    at: e.at,
                }
            }),
            Err(e) => degraded.push(e),
        }
    }

    let w = &config.wiegand;
    if w.d0.is_some() || w.d1.is_some() {
        let part = "Wiegand reader";
        let opened = line(part, w.d0.as_ref().and_then(Pin::spec)).and_then(|d0| {
            let d1 = line(part, w.d1.as_ref().and_then(Pin::spec))?;
            LinuxWiegandReader::open(&d0, &d1, w.decoder_config())
                .map_err(|e| HardwareError::from_hal(part, &e))
        });
        match opened {
            Ok(reader) => watch::reader(&stop, &tx, reader, w.formats()),
            Err(e) => degraded.push(e),
        }
    }

    Hardware {
        clock: Arc::new(MonotonicClock),
        locks,
        events,
        degraded,
        backend: "linux",
        stop,
        #[cfg(feature = "sim")]
        sim: None,
    }
}

//! The manual's image controls on V4L2 control ids, by meaning.
//!
//! | manual | V4L2 control | scaling |
//! |---|---|---|
//! | Brightness, Contrast, Saturation, Hue, Gamma | `V4L2_CID_BRIGHTNESS` … `_GAMMA` | 0–100 onto the device's min..=max, snapped to its step |
//! | Gain | `V4L2_CID_GAIN` (and `V4L2_CID_AUTOGAIN` off first) | as above |
//! | Mirror, Flip | `V4L2_CID_HFLIP`, `V4L2_CID_VFLIP` | boolean |
//! | Scene: Auto, BLC, WDR | `V4L2_CID_EXPOSURE_AUTO`, `V4L2_CID_BACKLIGHT_COMPENSATION`, `V4L2_CID_WIDE_DYNAMIC_RANGE` | see [`Scene`](crate::camera::Scene) |
//! | Scene: HLC | none in V4L2 | unsupported |
//! | Video Standard PAL/NTSC | `V4L2_CID_POWER_LINE_FREQUENCY` | 50 Hz / 60 Hz |
//! | Display Time | none in V4L2 | unsupported |

use std::mem;
use std::os::raw::c_void;

use v4l::v4l_sys::v4l2_query_ext_ctrl;

use crate::camera::{Control, DeviceRange};

const CID_BASE: u32 = 0x0098_0900;
pub(crate) const BRIGHTNESS: u32 = CID_BASE;
pub(crate) const CONTRAST: u32 = CID_BASE + 1;
pub(crate) const SATURATION: u32 = CID_BASE + 2;
pub(crate) const HUE: u32 = CID_BASE + 3;
pub(crate) const GAMMA: u32 = CID_BASE + 16;
pub(crate) const AUTOGAIN: u32 = CID_BASE + 18;
pub(crate) const GAIN: u32 = CID_BASE + 19;
pub(crate) const HFLIP: u32 = CID_BASE + 20;
pub(crate) const VFLIP: u32 = CID_BASE + 21;
pub(crate) const POWER_LINE_FREQUENCY: u32 = CID_BASE + 24;
pub(crate) const HUE_AUTO: u32 = CID_BASE + 25;
pub(crate) const BACKLIGHT_COMPENSATION: u32 = CID_BASE + 28;
const CAMERA_CLASS_BASE: u32 = 0x009A_0900;
pub(crate) const EXPOSURE_AUTO: u32 = CAMERA_CLASS_BASE + 1;
pub(crate) const WIDE_DYNAMIC_RANGE: u32 = CAMERA_CLASS_BASE + 21;

/// `V4L2_EXPOSURE_AUTO` and `V4L2_EXPOSURE_APERTURE_PRIORITY`: the automatic modes, the
/// second being what UVC webcams offer.
pub(crate) const EXPOSURE_AUTO_MODES: [i64; 2] = [0, 3];
/// `V4L2_CID_POWER_LINE_FREQUENCY_50HZ` and `_60HZ`.
pub(crate) const POWER_LINE_50HZ: i64 = 1;
pub(crate) const POWER_LINE_60HZ: i64 = 2;

/// The V4L2 control a slider control maps to.
pub(crate) fn level_cid(control: Control) -> Option<u32> {
    Some(match control {
        Control::Brightness => BRIGHTNESS,
        Control::Contrast => CONTRAST,
        Control::Hue => HUE,
        Control::Saturation => SATURATION,
        Control::Gamma => GAMMA,
        Control::Gain => GAIN,
        _ => return None,
    })
}

/// The automatic control that must be off for a manual one to take effect.
pub(crate) fn auto_companion(cid: u32) -> Option<u32> {
    match cid {
        GAIN => Some(AUTOGAIN),
        HUE => Some(HUE_AUTO),
        _ => None,
    }
}

/// What `VIDIOC_QUERY_EXT_CTRL` says about a control.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ControlInfo {
    pub(crate) kind: ControlKind,
    pub(crate) range: DeviceRange,
}

/// The control types vto maps onto; anything else is treated as absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ControlKind {
    Integer,
    Boolean,
    Menu,
}

const CTRL_TYPE_INTEGER: u32 = 1;
const CTRL_TYPE_BOOLEAN: u32 = 2;
const CTRL_TYPE_MENU: u32 = 3;
const CTRL_FLAG_DISABLED: u32 = 0x0001;
const CTRL_FLAG_READ_ONLY: u32 = 0x0004;

/// Asks the driver about control `cid`. `Ok(None)` if it does not have it usably (absent,
/// disabled, read-only, or of a type no manual setting maps to).
///
/// This is the one raw ioctl of the backend: the v4l crate's `query_controls` walks every
/// control and panics on types it does not know (drivers add compound types), and its
/// `control` does not return the range, which the 0–100 scaling needs.
pub(crate) fn query(fd: std::os::raw::c_int, cid: u32) -> std::io::Result<Option<ControlInfo>> {
    // SAFETY: v4l2_query_ext_ctrl is a plain C struct of integers and byte arrays, for
    // which all-zero is a valid value.
    let mut q: v4l2_query_ext_ctrl = unsafe { mem::zeroed() };
    q.id = cid;
    // SAFETY: VIDIOC_QUERY_EXT_CTRL reads and writes exactly one v4l2_query_ext_ctrl, which
    // `q` is, and the kernel does not keep the pointer.
    let r = unsafe {
        v4l::v4l2::ioctl(
            fd,
            v4l::v4l2::vidioc::VIDIOC_QUERY_EXT_CTRL,
            &mut q as *mut v4l2_query_ext_ctrl as *mut c_void,
        )
    };
    match r {
        Ok(()) => {}
        // EINVAL: no such control.
        Err(e) if e.raw_os_error() == Some(22) => return Ok(None),
        Err(e) => return Err(e),
    }
    if q.flags & (CTRL_FLAG_DISABLED | CTRL_FLAG_READ_ONLY) != 0 {
        return Ok(None);
    }
    let kind = match q.type_ {
        CTRL_TYPE_INTEGER => ControlKind::Integer,
        CTRL_TYPE_BOOLEAN => ControlKind::Boolean,
        CTRL_TYPE_MENU => ControlKind::Menu,
        _ => return Ok(None),
    };
    let Ok(range) = DeviceRange::new(q.minimum, q.maximum, q.step.max(1), q.default_value) else {
        return Ok(None);
    };
    Ok(Some(ControlInfo { kind, range }))
}

//! Errors in the embedded-hal style: every backend has its own error type, and generic
//! code matches on the [`ErrorKind`] it reports without knowing which backend it runs on.

/// What went wrong, in terms generic code can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The device or line is gone (reader unplugged, chip removed, port closed).
    Disconnected,
    /// The operation did not complete in time.
    Timeout,
    /// The resource is held by someone else (a GPIO line requested by another process).
    Busy,
    /// The hardware did not do what it was told (a relay that did not follow, a line held low).
    Fault,
    /// The configuration names something that does not exist or is out of range.
    InvalidConfig,
    /// The device lacks this capability (a camera without a hue control, a format the
    /// driver does not offer); reported instead of faked.
    Unsupported,
    /// Anything else; the error's message says what.
    Other,
}

impl core::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Disconnected => "disconnected",
            Self::Timeout => "timed out",
            Self::Busy => "busy",
            Self::Fault => "hardware fault",
            Self::InvalidConfig => "invalid configuration",
            Self::Unsupported => "not supported by the device",
            Self::Other => "other error",
        })
    }
}

/// A backend error that can say what kind of failure it is.
pub trait Error: core::fmt::Debug + core::fmt::Display {
    /// The kind of failure, for code that must react without knowing the backend.
    fn kind(&self) -> ErrorKind;
}

impl Error for core::convert::Infallible {
    fn kind(&self) -> ErrorKind {
        match *self {}
    }
}

/// Names the error type of a peripheral, so several traits of one device share it.
pub trait ErrorType {
    /// The error this peripheral returns.
    type Error: Error;
}

impl<T: ErrorType + ?Sized> ErrorType for &mut T {
    type Error = T::Error;
}

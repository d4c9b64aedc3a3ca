//! conformance backend

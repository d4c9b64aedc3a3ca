//! SQLite storage: settings, users, cards, rooms, devices, the event ring and snapshots.

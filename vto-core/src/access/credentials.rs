//! The working set of credentials: cards, door passwords and fingerprints, held in memory
//! so a decision is a hash lookup. The station's database is the source of truth; it
//! writes a change first and then tells the engine with a [`CredentialChange`].

use alloc::vec::Vec;

use hashbrown::HashMap;

use super::ids::{CardId, FingerprintId, RoomNumber, UserId};
use super::password::PasswordHash;
use super::wall_clock::Validity;

/// A card's standing (the manual's icons in VTH Management).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardState {
    /// Opens the door.
    Normal,
    /// The room's main card: at the reader it starts issuing new cards for its room
    /// instead of opening the door.
    Main,
    /// Reported lost: refused and logged as such.
    Lost,
}

/// An access card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Card {
    /// Facility code and number.
    pub id: CardId,
    /// The room it belongs to.
    pub room: RoomNumber,
    /// Its owner, if recorded.
    pub owner: Option<UserId>,
    /// Normal, main or lost.
    pub state: CardState,
    /// When it may be used.
    pub validity: Validity,
}

/// What the engine keeps per card: the card minus its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CardEntry {
    pub(crate) room: RoomNumber,
    pub(crate) owner: Option<UserId>,
    pub(crate) state: CardState,
    pub(crate) validity: Validity,
}

/// A user who may open the door with a password (the manual's Password Management).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordUser {
    /// The number keyed in before the password.
    pub id: UserId,
    /// The room the user belongs to.
    pub room: RoomNumber,
    /// The password's hash; the password itself never reaches the core.
    pub hash: PasswordHash,
    /// When the password may be used.
    pub validity: Validity,
}

/// An enrolled fingerprint (the manual's Issuing Fingerprint); the scanner reports the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    /// The template id the scanner reports on a match.
    pub id: FingerprintId,
    /// The room it belongs to.
    pub room: RoomNumber,
    /// Its owner.
    pub owner: Option<UserId>,
    /// When it may be used.
    pub validity: Validity,
}

/// A change the station's database has already committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialChange {
    /// A card added or changed.
    CardUpserted(Card),
    /// A card deleted.
    CardRemoved(CardId),
    /// The whole card list, as loaded at start.
    CardsReplaced(Vec<Card>),
    /// A password user added or changed.
    UserUpserted(PasswordUser),
    /// A password user deleted.
    UserRemoved(UserId),
    /// Every password user, as loaded at start.
    UsersReplaced(Vec<PasswordUser>),
    /// A fingerprint enrolled or changed.
    FingerprintUpserted(Fingerprint),
    /// A fingerprint deleted.
    FingerprintRemoved(FingerprintId),
    /// Every fingerprint, as loaded at start.
    FingerprintsReplaced(Vec<Fingerprint>),
}

/// The three credential tables.
#[derive(Debug, Default)]
pub(crate) struct Credentials {
    cards: HashMap<CardId, CardEntry>,
    users: HashMap<UserId, PasswordUser>,
    fingerprints: HashMap<FingerprintId, Fingerprint>,
}

impl Credentials {
    pub(crate) fn card(&self, id: &CardId) -> Option<&CardEntry> {
        self.cards.get(id)
    }

    pub(crate) fn user(&self, id: &UserId) -> Option<&PasswordUser> {
        self.users.get(id)
    }

    pub(crate) fn fingerprint(&self, id: &FingerprintId) -> Option<&Fingerprint> {
        self.fingerprints.get(id)
    }

    pub(crate) fn card_count(&self) -> usize {
        self.cards.len()
    }

    pub(crate) fn apply(&mut self, change: CredentialChange) {
        match change {
            CredentialChange::CardUpserted(card) => {
                self.cards.insert(card.id, entry(&card));
            }
            CredentialChange::CardRemoved(id) => {
                self.cards.remove(&id);
            }
            CredentialChange::CardsReplaced(cards) => {
                let mut table = HashMap::with_capacity(cards.len());
                table.extend(cards.iter().map(|card| (card.id, entry(card))));
                self.cards = table;
            }
            CredentialChange::UserUpserted(user) => {
                self.users.insert(user.id, user);
            }
            CredentialChange::UserRemoved(id) => {
                self.users.remove(&id);
            }
            CredentialChange::UsersReplaced(users) => {
                self.users = users.into_iter().map(|u| (u.id, u)).collect();
            }
            CredentialChange::FingerprintUpserted(fp) => {
                self.fingerprints.insert(fp.id, fp);
            }
            CredentialChange::FingerprintRemoved(id) => {
                self.fingerprints.remove(&id);
            }
            CredentialChange::FingerprintsReplaced(fps) => {
                self.fingerprints = fps.into_iter().map(|f| (f.id, f)).collect();
            }
        }
    }
}

fn entry(card: &Card) -> CardEntry {
    CardEntry {
        room: card.room,
        owner: card.owner,
        state: card.state,
        validity: card.validity,
    }
}

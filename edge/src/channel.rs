//! Where an order came from: the site API, JET Connect or Orderconnect. Stored as
//! `orders.channel` and read back typed by storage, so it sits below both (it imports only
//! core).

use orderbridge_core::order::namespace::Namespace;
use orderbridge_core::order::Rules;

/// Where an order came from; stored as `orders.channel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Site,
    Jet,
    Orderconnect,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Site => "site",
            Channel::Jet => "jet",
            Channel::Orderconnect => "orderconnect",
        }
    }

    /// The inverse of [`Channel::as_str`]: the channel of a stored order.
    pub fn parse(name: &str) -> Option<Channel> {
        [Channel::Site, Channel::Jet, Channel::Orderconnect]
            .into_iter()
            .find(|c| c.as_str() == name)
    }

    /// The namespace its orders are numbered in when nothing else says: a marketplace's
    /// own, and for a site order whose caller is not known, the public one (the site API
    /// decides a site order's namespace itself: `intake::stage_in`).
    pub fn namespace(self) -> Namespace {
        match self {
            Channel::Site => Namespace::Public,
            Channel::Jet => Namespace::Jet,
            Channel::Orderconnect => Namespace::Orderconnect,
        }
    }

    /// The rules its orders are held to: a marketplace already priced and charged them.
    pub fn rules(self) -> Rules {
        match self {
            Channel::Site => Rules::Site,
            Channel::Jet | Channel::Orderconnect => Rules::Marketplace,
        }
    }
}

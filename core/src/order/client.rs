//! `GET /site-api/client?phone=`: Jupiter's client shape, filled from what the hub knows
//! (the name and phone of the latest order placed with that phone). The hub keeps no
//! e-mail, birthday or gender; it blacklists nobody and blocks no SMS.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Jupiter's `/client` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub birthday: Option<String>,
    pub gender: Option<String>,
    pub discounts_active: bool,
    pub blacklist: bool,
    pub block_sms: bool,
}

/// A stable client id for a normalised phone, in Jupiter's GUID shape
/// (`665F52E5-8CFF-2174-12FB-C2AAAF55D803`): the first 16 bytes of SHA-256 of the digits.
pub fn client_id(phone_digits: &str) -> String {
    let hash = Sha256::digest(phone_digits.as_bytes());
    let hex: String = hash.iter().take(16).map(|b| format!("{b:02X}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The client for a phone the hub has seen, with the name given last.
pub fn client(phone_digits: &str, name: &str) -> Client {
    Client {
        id: client_id(phone_digits),
        name: name.to_owned(),
        phone: phone_digits.to_owned(),
        email: None,
        birthday: None,
        gender: None,
        discounts_active: true,
        blacklist: false,
        block_sms: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_client_has_a_stable_guid_shaped_id_and_the_seed_fields() {
        let a = client("79229883322", "Пётр");
        assert_eq!(a.id, client("79229883322", "Иван").id);
        assert_ne!(a.id, client("79229883323", "Пётр").id);
        let parts: Vec<usize> = a.id.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12]);
        let doc = serde_json::to_value(&a).unwrap_or_default();
        let seed: serde_json::Value =
            serde_json::from_str(include_str!("../../../fixtures/jupiter/seed-client.json"))
                .unwrap_or_default();
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            k.sort();
            k
        };
        assert_eq!(keys(&doc), keys(&seed));
    }
}

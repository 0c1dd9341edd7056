//! `POST /site-api/order`: a Jupiter `new_order` body, parsed and validated against the
//! demo catalog under each rule set (site, trusted site, marketplace).
//!
//! Contract: no panic; a refusal names its violations; an accepted order's sums hold
//! (lines add up to the subtotal, subtotal + delivery is the total, the total is
//! `cart.total`); the order the hub stores (its JSON) parses back and validates to the same
//! result, with the same replay fingerprint; what the site rules accept, the trusted-site
//! rules accept too.
#![no_main]

use std::sync::OnceLock;

use chrono::Duration;
use libfuzzer_sys::fuzz_target;
use orderbridge_core::order::replay::fingerprint;
use orderbridge_core::order::validate::{
    line_total, validate, OrderContext, RestaurantState, Rules, ValidOrder,
    DEFAULT_MAX_PREORDER_DAYS,
};
use orderbridge_core::order::wire::{self, NewOrderRequest};
use orderbridge_core::problem::Violation;
use orderbridge_fuzz::{demo, minor, now, refused};

fn catalog() -> &'static [RestaurantState] {
    static CATALOG: OnceLock<Vec<RestaurantState>> = OnceLock::new();
    CATALOG.get_or_init(demo)
}

fn run(req: &NewOrderRequest, rules: Rules) -> Result<ValidOrder, Vec<Violation>> {
    let ctx = OrderContext {
        restaurants: catalog(),
        now: now(),
        max_preorder_ahead: Duration::days(DEFAULT_MAX_PREORDER_DAYS),
        rules,
    };
    validate(req, &ctx)
}

fn accepted(req: &NewOrderRequest, rules: Rules, valid: &ValidOrder) {
    let lines = valid
        .lines
        .iter()
        .map(|l| {
            let mods: Vec<_> = l.modifiers.iter().map(|(_, n, m)| ((), *n, *m)).collect();
            assert_eq!(
                line_total(l.count, l.cost, &mods),
                Some(l.total),
                "{rules:?}: line {} total",
                l.id
            );
            l.total.minor()
        })
        .try_fold(0i64, i64::checked_add);
    if rules.is_site() {
        assert_eq!(
            lines,
            Some(valid.subtotal.minor()),
            "{rules:?}: lines != subtotal"
        );
        assert_eq!(
            valid.subtotal.minor().checked_add(valid.delivery.minor()),
            Some(valid.total.minor()),
            "{rules:?}: subtotal + delivery != total"
        );
    }
    let cart_total = req.body.cart.as_ref().and_then(|c| c.total.as_ref());
    assert_eq!(
        cart_total.and_then(minor),
        Some(valid.total.minor()),
        "{rules:?}: total is not cart.total"
    );
    assert!(
        !valid.number.trim().is_empty(),
        "{rules:?}: blank number accepted"
    );
    let stored = serde_json::to_string(req).unwrap_or_else(|e| panic!("serialise: {e}"));
    let back = wire::parse(stored.as_bytes())
        .unwrap_or_else(|v| panic!("{rules:?}: the stored order does not parse: {v:?}"));
    assert_eq!(
        fingerprint(&back),
        fingerprint(req),
        "{rules:?}: fingerprint changes"
    );
    assert_eq!(
        run(&back, rules).as_ref(),
        Ok(valid),
        "{rules:?}: the stored order validates differently"
    );
}

fuzz_target!(|data: &[u8]| {
    let req = match wire::parse(data) {
        Ok(req) => req,
        Err(v) => return refused("parse", &[v]),
    };
    let mut site_ok = false;
    for rules in [Rules::Site, Rules::TrustedSite, Rules::Marketplace] {
        match run(&req, rules) {
            Ok(valid) => {
                accepted(&req, rules, &valid);
                site_ok |= rules == Rules::Site;
            }
            Err(found) => {
                refused(&format!("{rules:?}"), &found);
                assert!(
                    !(site_ok && rules == Rules::TrustedSite),
                    "the site rules accept what the trusted-site rules refuse: {found:?}"
                );
            }
        }
    }
});

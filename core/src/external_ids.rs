//! A restaurant's external ids, `jet_location_id` (JET Connect) and
//! `orderconnect_restaurant_id` (Orderconnect), each name at most one restaurant: an
//! incoming order finds its restaurant by them. The edge asks storage which other
//! restaurants hold the ids a write wants, and this module decides whether the write
//! conflicts (`409 taken`, every taken id named).

use crate::problem::Violation;

/// The external ids a restaurant has or wants (blank ones already `None`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExternalIds<'a> {
    pub jet_location_id: Option<&'a str>,
    pub orderconnect_restaurant_id: Option<&'a str>,
}

impl<'a> ExternalIds<'a> {
    fn fields(&self) -> [(&'static str, Option<&'a str>); 2] {
        [
            ("jet_location_id", self.jet_location_id),
            (
                "orderconnect_restaurant_id",
                self.orderconnect_restaurant_id,
            ),
        ]
    }
}

/// Another stored restaurant and the external ids it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder<'a> {
    pub id: &'a str,
    pub ids: ExternalIds<'a>,
}

/// The violations of restaurant `restaurant` taking `wanted`, given the restaurants that
/// hold any of those ids: one `taken` violation per id another restaurant holds, naming
/// the field and that restaurant. A restaurant never conflicts with itself.
pub fn external_id_conflicts(
    restaurant: &str,
    wanted: &ExternalIds<'_>,
    holders: &[Holder<'_>],
) -> Result<(), Vec<Violation>> {
    let mut taken = Vec::new();
    for holder in holders.iter().filter(|h| h.id != restaurant) {
        for ((field, mine), (_, theirs)) in wanted.fields().into_iter().zip(holder.ids.fields()) {
            if mine.is_some() && mine == theirs {
                taken.push(Violation::new(
                    "taken",
                    Some(field),
                    format!("is already the {field} of restaurant {:?}", holder.id),
                ));
            }
        }
    }
    if taken.is_empty() {
        Ok(())
    } else {
        Err(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const JET: ExternalIds<'static> = ExternalIds {
        jet_location_id: Some("L1"),
        orderconnect_restaurant_id: None,
    };
    const OC: ExternalIds<'static> = ExternalIds {
        jet_location_id: None,
        orderconnect_restaurant_id: Some("O1"),
    };
    const BOTH: ExternalIds<'static> = ExternalIds {
        jet_location_id: Some("L1"),
        orderconnect_restaurant_id: Some("O1"),
    };

    fn taken(field: &str, holder: &str) -> Violation {
        Violation::new(
            "taken",
            Some(field),
            format!("is already the {field} of restaurant {holder:?}"),
        )
    }

    /// What is wanted, the holders (id and ids), and the (field, holder) pairs taken.
    type Case = (
        &'static str,
        ExternalIds<'static>,
        &'static [(&'static str, ExternalIds<'static>)],
        &'static [(&'static str, &'static str)],
    );

    const NONE: ExternalIds<'static> = ExternalIds {
        jet_location_id: None,
        orderconnect_restaurant_id: None,
    };

    #[test]
    fn an_external_id_names_one_restaurant() {
        const L: &str = "jet_location_id";
        const O: &str = "orderconnect_restaurant_id";
        let cases: [Case; 7] = [
            ("nobody holds them", BOTH, &[], &[]),
            ("no ids wanted", NONE, &[("b", BOTH)], &[]),
            ("the holder has other ids", JET, &[("b", OC)], &[]),
            ("its own ids", BOTH, &[("a", BOTH)], &[]),
            ("another's JET location", JET, &[("b", BOTH)], &[(L, "b")]),
            ("another's Orderconnect id", OC, &[("b", OC)], &[(O, "b")]),
            (
                "each taken id named",
                BOTH,
                &[("b", JET), ("c", OC)],
                &[(L, "b"), (O, "c")],
            ),
        ];
        for (name, wanted, holders, taken_ids) in cases {
            let holders: Vec<Holder> = holders
                .iter()
                .map(|&(id, ids)| Holder { id, ids })
                .collect();
            let want = if taken_ids.is_empty() {
                Ok(())
            } else {
                Err(taken_ids.iter().map(|(f, h)| taken(f, h)).collect())
            };
            assert_eq!(
                external_id_conflicts("a", &wanted, &holders),
                want,
                "{name}"
            );
        }
    }
}

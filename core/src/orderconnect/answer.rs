//! How one `PUT` of Orderconnect orders is answered, and what the operator's driver calls
//! need of an order before anything is relayed: the rules of the module doc's "The body:
//! one order or an array", as decisions the edge carries out.

use super::delivery_state::{driver_assignable, reports};
use super::{duplicate, wire::ConnectOrder};
use crate::order::lifecycle::Status;
use crate::problem::Violation;

/// An order's key as written: `OrderId`, else `Id`, trimmed; `None` when neither is given
/// ([`check`](super::check) refuses that order).
pub fn key(order: &ConnectOrder) -> Option<(&'static str, &str)> {
    fn text(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    text(&order.order_id)
        .map(|k| ("OrderId", k))
        .or_else(|| text(&order.id).map(|k| ("Id", k)))
}

/// The hub order an element repeated within the same body is a duplicate of.
pub const EARLIER_IN_REQUEST: &str = "(earlier in this request)";

/// What became of one element of a body before anything is stored; `R` is what the edge
/// keeps of an order every check accepted.
#[derive(Debug)]
pub enum Verdict<R> {
    /// Accepted before (or earlier in this body): the hub order it became.
    Duplicate {
        field: &'static str,
        id: String,
        order_id: String,
    },
    Refused(Vec<Violation>),
    Ready(R),
}

/// The answer to a whole body.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyDecision {
    /// `400`: any element refused refuses the body; every element's violations, placed.
    Refuse(Vec<Violation>),
    /// `409 duplicate`: every element was accepted before; each named.
    Duplicate(Vec<Violation>),
    /// Store the ready elements in one batch; report the duplicates beside them.
    Stage,
}

/// Decides a body from its elements' verdicts, in the order sent. In an array each
/// violation's field is prefixed with its element's place ([`placed`]); a single object's
/// are left as they are.
pub fn decide_body<R>(verdicts: &[Verdict<R>], is_array: bool) -> BodyDecision {
    let place = |i: usize, v: Violation| if is_array { placed(i, v) } else { v };
    let mut refusals = Vec::new();
    for (i, verdict) in verdicts.iter().enumerate() {
        if let Verdict::Refused(found) = verdict {
            refusals.extend(found.iter().map(|v| place(i, v.clone())));
        }
    }
    if !refusals.is_empty() {
        return BodyDecision::Refuse(refusals);
    }
    let mut duplicates = Vec::new();
    for (i, verdict) in verdicts.iter().enumerate() {
        match verdict {
            Verdict::Duplicate {
                field,
                id,
                order_id,
            } => duplicates.push(place(i, duplicate(field, id, order_id))),
            _ => return BodyDecision::Stage,
        }
    }
    BodyDecision::Duplicate(duplicates)
}

/// Prefixes a violation's field with the element's place in an array body (`[1].…`).
pub fn placed(i: usize, mut v: Violation) -> Violation {
    v.field = Some(match v.field {
        Some(f) => format!("[{i}].{f}"),
        None => format!("[{i}]"),
    });
    v
}

/// What the operator relays about an Orderconnect order's courier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriverCall {
    /// `PUT /admin/orders/{id}/driver-location`.
    Location,
    /// `PUT /admin/orders/{id}/driver` (`driverassigned`).
    Assigned,
    /// `PUT /admin/orders/{id}/delivery-state/atrestauranteta` and `atrestaurant`: before the
    /// food leaves (status 0 or 10).
    AtRestaurant,
    /// `PUT /admin/orders/{id}/delivery-state/atdeliveryaddress`: while delivering (20).
    AtDeliveryAddress,
    /// `PUT /admin/orders/{id}/delivery-state/driverunassigned`: the driver dropped the job,
    /// before the order is delivered or cancelled (0, 10 or 20).
    Unassigned,
}

/// Why a driver call cannot be relayed (answered `409` with `code`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

/// The order as a driver call needs it: its channel, status and (for an Orderconnect
/// order) the `ServiceType` it was received with.
#[derive(Debug, Clone, Copy)]
pub struct DriverTarget<'a> {
    pub id: &'a str,
    pub from_orderconnect: bool,
    pub status: i64,
    pub service_type: Option<&'a str>,
}

/// Whether a driver call may be relayed for the order: it came from Orderconnect (Just Eat
/// has no driver to hear of otherwise); a position only while it is delivering (status 20);
/// a driver named only for a delivery, before it is delivered or cancelled.
pub fn driver_call_allowed(call: DriverCall, order: &DriverTarget<'_>) -> Result<(), Refusal> {
    let id = order.id;
    if !order.from_orderconnect {
        return Err(Refusal {
            code: "not_orderconnect",
            message: format!(
                "order {id} did not come from Orderconnect: Just Eat has no driver to hear of"
            ),
        });
    }
    match call {
        DriverCall::Location if order.status != Status::Delivering.code() => Err(Refusal {
            code: "not_delivering",
            message: format!(
                "order {id} is at status {}; driver positions are relayed at status 20 (delivering)",
                order.status
            ),
        }),
        DriverCall::Location => Ok(()),
        DriverCall::AtRestaurant | DriverCall::AtDeliveryAddress => {
            let service = order.service_type.unwrap_or_default();
            if !reports(service) {
                return Err(Refusal {
                    code: "not_delivery",
                    message: format!("order {id} is a {service}: it has no courier"),
                });
            }
            let (wanted, code, when): (&[Status], _, _) = match call {
                DriverCall::AtDeliveryAddress => (
                    &[Status::Delivering],
                    "not_delivering",
                    "the driver reaches the address while it is delivering (status 20)",
                ),
                _ => (
                    &[Status::New, Status::Cooking],
                    "not_before_pickup",
                    "the driver is at the restaurant before the food leaves (status 0 or 10)",
                ),
            };
            match Status::from_code(order.status).is_some_and(|s| wanted.contains(&s)) {
                true => Ok(()),
                false => Err(Refusal {
                    code,
                    message: format!("order {id} is at status {}; {when}", order.status),
                }),
            }
        }
        DriverCall::Assigned | DriverCall::Unassigned => {
            let service = order.service_type.unwrap_or_default();
            if !reports(service) {
                return Err(Refusal {
                    code: "not_delivery",
                    message: format!("order {id} is a {service}: it has no courier"),
                });
            }
            if !Status::from_code(order.status).is_some_and(driver_assignable) {
                return Err(Refusal {
                    code: "not_assignable",
                    message: format!(
                        "order {id} is at status {}; a driver is assigned or unassigned before it is delivered or cancelled",
                        order.status
                    ),
                });
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn order(order_id: Option<&str>, id: Option<&str>) -> ConnectOrder {
        ConnectOrder {
            order_id: order_id.map(str::to_owned),
            id: id.map(str::to_owned),
            ..ConnectOrder::default()
        }
    }

    #[test]
    fn the_key_is_order_id_else_id_trimmed() {
        let cases = [
            (Some("A1"), Some("7"), Some(("OrderId", "A1"))),
            (Some(" A1 "), None, Some(("OrderId", "A1"))),
            (None, Some("7"), Some(("Id", "7"))),
            (Some("  "), Some("7"), Some(("Id", "7"))),
            (None, None, None),
            (Some(""), Some(" "), None),
        ];
        for (order_id, id, want) in cases {
            assert_eq!(key(&order(order_id, id)), want, "{order_id:?} {id:?}");
        }
    }

    fn dup(id: &str) -> Verdict<()> {
        Verdict::Duplicate {
            field: "OrderId",
            id: id.to_owned(),
            order_id: format!("ord_{id}"),
        }
    }

    fn bad(field: &str) -> Verdict<()> {
        Verdict::Refused(vec![Violation::new("bad_request", Some(field), "wrong")])
    }

    fn named(field: &str) -> Violation {
        Violation::new("bad_request", Some(field), "wrong")
    }

    fn duplicate_of(field: &str, id: &str) -> Violation {
        let mut v = duplicate("OrderId", id, &format!("ord_{id}"));
        v.field = Some(field.to_owned());
        v
    }

    #[test]
    fn a_body_is_refused_if_any_element_is_a_duplicate_if_all_are_else_staged() {
        // (case, verdicts, is an array, want)
        let cases: Vec<(&str, Vec<Verdict<()>>, bool, BodyDecision)> = vec![
            (
                "one ready order",
                vec![Verdict::Ready(())],
                false,
                BodyDecision::Stage,
            ),
            (
                "one refused order: its fields as they are",
                vec![bad("BasketInfo.Total")],
                false,
                BodyDecision::Refuse(vec![named("BasketInfo.Total")]),
            ),
            (
                "one duplicate: 409 naming it, unplaced",
                vec![dup("A")],
                false,
                BodyDecision::Duplicate(vec![duplicate_of("OrderId", "A")]),
            ),
            (
                "a refusal anywhere refuses the array, every element's violations placed",
                vec![
                    Verdict::Ready(()),
                    bad("BasketInfo.Total"),
                    dup("A"),
                    bad("Id"),
                ],
                true,
                BodyDecision::Refuse(vec![named("[1].BasketInfo.Total"), named("[3].Id")]),
            ),
            (
                "every element a duplicate: 409 naming each by place",
                vec![dup("A"), dup("B")],
                true,
                BodyDecision::Duplicate(vec![
                    duplicate_of("[0].OrderId", "A"),
                    duplicate_of("[1].OrderId", "B"),
                ]),
            ),
            (
                "a retry of a partly delivered array completes it",
                vec![dup("A"), Verdict::Ready(())],
                true,
                BodyDecision::Stage,
            ),
        ];
        for (name, verdicts, is_array, want) in cases {
            assert_eq!(decide_body(&verdicts, is_array), want, "{name}");
        }
    }

    #[test]
    fn a_violation_without_a_field_is_placed_at_its_element() {
        let v = placed(2, Violation::new("bad_request", None, "not an object"));
        assert_eq!(v.field.as_deref(), Some("[2]"));
    }

    #[test]
    fn driver_calls_need_an_orderconnect_order_in_the_right_state() {
        let target = |oc: bool, status: i64, service: Option<&'static str>| DriverTarget {
            id: "ord_1",
            from_orderconnect: oc,
            status,
            service_type: service,
        };
        use DriverCall::*;
        // (call, order, the refusal's code or None)
        let cases = [
            (Location, target(true, 20, Some("Delivery")), None),
            (Location, target(false, 20, None), Some("not_orderconnect")),
            (
                Location,
                target(true, 10, Some("Delivery")),
                Some("not_delivering"),
            ),
            (
                Location,
                target(true, 30, Some("Delivery")),
                Some("not_delivering"),
            ),
            (AtRestaurant, target(true, 0, Some("Delivery")), None),
            (AtRestaurant, target(true, 10, Some("Delivery")), None),
            (
                AtRestaurant,
                target(true, 20, Some("Delivery")),
                Some("not_before_pickup"),
            ),
            (
                AtRestaurant,
                target(true, 0, Some("Collection")),
                Some("not_delivery"),
            ),
            (
                AtRestaurant,
                target(false, 0, None),
                Some("not_orderconnect"),
            ),
            (AtDeliveryAddress, target(true, 20, Some("Delivery")), None),
            (
                AtDeliveryAddress,
                target(true, 30, Some("Delivery")),
                Some("not_delivering"),
            ),
            (
                AtDeliveryAddress,
                target(true, 10, Some("Delivery")),
                Some("not_delivering"),
            ),
            (Assigned, target(true, 0, Some("Delivery")), None),
            (Assigned, target(true, 10, Some("Delivery")), None),
            (Assigned, target(true, 20, Some("Delivery")), None),
            (Assigned, target(false, 0, None), Some("not_orderconnect")),
            (
                Assigned,
                target(true, 0, Some("Collection")),
                Some("not_delivery"),
            ),
            (Assigned, target(true, 0, None), Some("not_delivery")),
            (Unassigned, target(true, 20, Some("Delivery")), None),
            (Unassigned, target(true, 0, Some("Delivery")), None),
            (
                Unassigned,
                target(true, 30, Some("Delivery")),
                Some("not_assignable"),
            ),
            (
                Unassigned,
                target(true, 5, Some("Delivery")),
                Some("not_assignable"),
            ),
            (
                Unassigned,
                target(true, 10, Some("Collection")),
                Some("not_delivery"),
            ),
            (
                Unassigned,
                target(false, 10, None),
                Some("not_orderconnect"),
            ),
            (
                Assigned,
                target(true, 30, Some("Delivery")),
                Some("not_assignable"),
            ),
            (
                Assigned,
                target(true, 5, Some("Delivery")),
                Some("not_assignable"),
            ),
        ];
        for (call, order, want) in cases {
            let got = driver_call_allowed(call, &order).err().map(|r| r.code);
            assert_eq!(got, want, "{call:?} {order:?}");
        }
        let refusal = driver_call_allowed(Assigned, &target(true, 0, Some("Collection")));
        assert_eq!(
            refusal.map_err(|r| r.message),
            Err("order ord_1 is a Collection: it has no courier".to_owned())
        );
    }
}

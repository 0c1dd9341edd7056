//! What of an outbound URL may reach a log: scheme, host and path, never a query value.
//! A query can carry personal data (`/client?phone=…`), so each value is replaced with
//! `***`; the names stay, so a log still says what was asked for.

/// `url` with every query value masked and any fragment dropped. A URL without a query
/// comes back unchanged (less its fragment).
pub fn url_for_log(url: &str) -> String {
    let without_fragment = url.split_once('#').map_or(url, |(head, _)| head);
    let Some((head, query)) = without_fragment.split_once('?') else {
        return without_fragment.to_owned();
    };
    if query.is_empty() {
        return head.to_owned();
    }
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) => format!("{name}=***"),
            None => pair.to_owned(),
        })
        .collect();
    format!("{head}?{}", masked.join("&"))
}

#[cfg(test)]
mod tests {
    use super::url_for_log;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn masks_query_values_and_keeps_the_rest() {
        let cases = [
            (
                "https://jupiter.example/api/client?phone=79161234567",
                "https://jupiter.example/api/client?phone=***",
            ),
            (
                "https://jupiter.example/menu?restaurant_id=r1&concept_id=c2",
                "https://jupiter.example/menu?restaurant_id=***&concept_id=***",
            ),
            (
                "http://127.0.0.1:8787/client?phone=7916&flag",
                "http://127.0.0.1:8787/client?phone=***&flag",
            ),
            (
                "https://jupiter.example/client?phone=7916#frag",
                "https://jupiter.example/client?phone=***",
            ),
            // No query: unchanged.
            (
                "https://jupiter.example/api/restaurants",
                "https://jupiter.example/api/restaurants",
            ),
            (
                "https://jupiter.example/api/x?",
                "https://jupiter.example/api/x",
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(url_for_log(url), expected, "{url}");
        }
    }
}

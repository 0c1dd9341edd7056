//! gzip through the runtime's `CompressionStream` and `DecompressionStream` (Workers and
//! `wrangler dev` both have them): `new Response(new Response(bytes).body.pipeThrough(new
//! CompressionStream("gzip"))).arrayBuffer()`. Looked up by name through `js_sys`, so the
//! Worker carries no compression code of its own and needs no extra `web-sys` features.

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;

use crate::error::EdgeError;

/// `bytes` gzip-compressed.
pub async fn compress(bytes: &[u8]) -> Result<Vec<u8>, EdgeError> {
    through("CompressionStream", bytes).await
}

/// gzip `bytes` decompressed.
pub async fn decompress(bytes: &[u8]) -> Result<Vec<u8>, EdgeError> {
    through("DecompressionStream", bytes).await
}

async fn through(stream: &str, bytes: &[u8]) -> Result<Vec<u8>, EdgeError> {
    let fail = |what: &str, err: JsValue| {
        EdgeError::Internal(format!("{stream}: {what}: {}", describe(&err)))
    };
    let global = js_sys::global();
    let class = |name: &str| -> Result<Function, EdgeError> {
        Reflect::get(&global, &JsValue::from_str(name))
            .map_err(|e| fail(name, e))?
            .dyn_into::<Function>()
            .map_err(|e| fail(name, e))
    };
    let response = class("Response")?;
    let transform = Reflect::construct(&class(stream)?, &Array::of1(&JsValue::from_str("gzip")))
        .map_err(|e| fail("construct", e))?;
    let input = Uint8Array::from(bytes);
    let source =
        Reflect::construct(&response, &Array::of1(&input)).map_err(|e| fail("source", e))?;
    let body = Reflect::get(&source, &JsValue::from_str("body")).map_err(|e| fail("body", e))?;
    let piped = method(&body, "pipeThrough")?
        .call1(&body, &transform)
        .map_err(|e| fail("pipeThrough", e))?;
    let sink = Reflect::construct(&response, &Array::of1(&piped)).map_err(|e| fail("sink", e))?;
    let promise: Promise = method(&sink, "arrayBuffer")?
        .call0(&sink)
        .map_err(|e| fail("arrayBuffer", e))?
        .dyn_into()
        .map_err(|e| fail("arrayBuffer", e))?;
    let buffer = JsFuture::from(promise).await.map_err(|e| fail("read", e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn method(target: &JsValue, name: &str) -> Result<Function, EdgeError> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| EdgeError::Internal(format!("the runtime has no {name}")))
}

fn describe(err: &JsValue) -> String {
    err.as_string()
        .or_else(|| {
            Reflect::get(err, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "unknown error".to_owned())
}

#!/usr/bin/env python3
"""Writes the fuzz targets' committed seed corpus (fuzz/seeds/<target>/) and dictionaries
(fuzz/dicts/<target>.dict) from the repository's fixtures. Rerun after changing fixtures;
the output is deterministic. libFuzzer starts from these and keeps what it finds in the
git-ignored fuzz/corpus/<target>/ (see `make fuzz` and README, "Fuzzing").

Selector targets read their first byte to pick a document kind; their seeds get that byte.
The signature target's input is [secret length][secret][header length][header][body].
"""

import hashlib
import hmac
import base64
import json
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
SEEDS = ROOT / "fuzz" / "seeds"
DICTS = ROOT / "fuzz" / "dicts"


def files(*patterns):
    out = []
    for pattern in patterns:
        out.extend(sorted(FIX.glob(pattern)))
    return out


def is_array(path):
    return path.read_text(encoding="utf-8").lstrip().startswith("[")


def mapping_documents():
    """The Orderconnect item mappings the conformance cases write."""
    docs = []
    for case in sorted((FIX / "conformance" / "cases").rglob("*.json")):
        for step in json.loads(case.read_text(encoding="utf-8")).get("setup", []):
            if step.get("path", "").endswith("/orderconnect-items") and "body" in step:
                docs.append((case.stem, json.dumps(step["body"]).encode()))
    return docs


def signature_seeds():
    body = b'{"id":"order-1","total":1250}'
    seeds = []
    for secret in [b"key", b"dev-jet-secret", b"k" * 80]:
        mac = hmac.new(secret, body, hashlib.sha256).digest()
        jet = "HMAC-SHA256 t=1712577600000,signature=" + base64.b64encode(mac).decode()
        t = 1712577540
        ours = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        for header in [jet, base64.b64encode(mac).decode(), f"t={t},v1={ours}",
                       "JE-API-KEY dev-orderconnect-key"]:
            h = header.encode()
            seeds.append(bytes([len(secret)]) + secret + bytes([len(h)]) + h + body)
    # Just Eat's worked example (secret `key`, body `example`).
    h = b"FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go="
    seeds.append(b"\x03key" + bytes([len(h)]) + h + b"example")
    return [(f"sig-{i:02}", s) for i, s in enumerate(seeds)]


URL_RE = re.compile(r'"(https?://[^"\s\\]{1,200})"')


def url_seeds():
    urls = set()
    for path in [ROOT / "core/src/outbound/url_guard.rs", ROOT / "core/src/outbound/url_guard/tests.rs",
                 *files("**/*.json")]:
        urls.update(URL_RE.findall(path.read_text(encoding="utf-8")))
    urls.update(["https://пример.рф/status", "https://xn--e1afmkfd.xn--p1ai/cb?x=1",
                 "https://[2606:4700::1]/cb", "http://127.0.0.1:9000/status?order_id=1"])
    # Every other one, so the committed corpus stays a few dozen files.
    return [(f"url-{i:03}", u.encode()) for i, u in enumerate(sorted(urls)[::2])]


def named(paths, prefix=b""):
    return [(p.stem, prefix + p.read_bytes()) for p in paths]


def targets():
    jet_examples = "conformance/examples/"
    oc = files("orderconnect/*.json", "conformance/bodies/orderconnect/*.json",
               jet_examples + "assembled-order-requires-delivery-acceptance-request.json")
    return {
        "site_order": named(files("demo/order.json", "jupiter/seed-order.json")),
        "jet_menus": named(files("jet-connect/menus-request-*.json",
                                 "conformance/bodies/menu-*.json")),
        "jet_order": named(files("jet-connect/receive-order-*.json",
                                 "conformance/bodies/jet/*.json")),
        "jet_final": named(files("jet-connect/final-picked-order-*.json")),
        "jet_cancel": named(files("jet-connect/cancel-order-notification-request.json")),
        "jet_catalog": named(files("jet-connect/item-availability-*.json"), b"\x00")
        + named(files("jet-connect/restaurant-servicetimes-request.json"), b"\x01")
        + named(files("jet-connect/assembled-restaurant-offline-request.json"), b"\x02")
        + [("offline-empty", b"\x02")],
        "orderconnect_object": named([p for p in oc if not is_array(p)]),
        "orderconnect_array": named([p for p in oc if is_array(p)])
        + [("two-fixtures", b"[" + b",".join(p.read_bytes() for p in
                                                files("orderconnect/*-order.json")) + b"]")],
        "zones": named(files("demo/delivery_zones-*.json", "jupiter/seed-delivery_zones.json")),
        "admin_docs": named(files("demo/restaurant-*.json", "jupiter/seed-restaurants.json"),
                            b"\x00")
        + named(files("demo/menu-*.json", "jupiter/seed-menu.json"), b"\x01")
        + named(files("demo/stop_list.json", "jupiter/seed-stop_list.json"), b"\x02")
        + [(name, b"\x03" + doc) for name, doc in mapping_documents()[:6]],
        "signature": signature_seeds(),
        "url_guard": url_seeds(),
    }


def tokens(data):
    """JSON keys and short string values: what libFuzzer should splice in whole."""
    found = set()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return found
    for m in re.finditer(r'"([^"\\]{1,32})"\s*:', text):
        found.add(f'"{m.group(1)}":')
    for m in re.finditer(r':\s*"([^"\\]{1,24})"', text):
        found.add(f'"{m.group(1)}"')
    return found


def dict_line(token):
    escaped = "".join(
        c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else "".join(f"\\x{b:02X}" for b in c.encode())
        for c in token
    )
    return f'"{escaped}"'


def main():
    shutil.rmtree(SEEDS, ignore_errors=True)
    shutil.rmtree(DICTS, ignore_errors=True)
    DICTS.mkdir(parents=True)
    for target, seeds in targets().items():
        out = SEEDS / target
        out.mkdir(parents=True)
        found = set()
        for name, data in seeds:
            (out / name).write_bytes(data)
            found |= tokens(data)
        generic = ['"null"', '"true"', '"false"', '"-0"', '"1e400"', '"0.005"', '"\\xFF"',
                   '"\\\\u0000"', '"9223372036854775808"', '"[]"', '"{}"']
        lines = generic + sorted(dict_line(t) for t in found)[:300]
        (DICTS / f"{target}.dict").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{target}: {len(seeds)} seeds, {len(lines)} dictionary entries")


if __name__ == "__main__":
    main()

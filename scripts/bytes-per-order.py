#!/usr/bin/env python3
"""Bytes one order takes in D1 (issue 21, the "Scale" figures): every migration applied to a
SQLite file (D1 is SQLite), then N delivered courier orders written as the hub writes them:
the `orders` row (request = fixtures/demo/order.json's body), 4 statuses (0, 10, 20, 30),
one `status_url` callback per status in the outbox with one attempt each (a client row is per phone, not per order: left out).
Prints bytes per order (file size / N, indexes included) and rows per order.

    python3 scripts/bytes-per-order.py [N]     # N = 20000 by default
"""
import json
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

root = Path(__file__).resolve().parent.parent
n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
body = json.loads((root / "fixtures/demo/order.json").read_text())
request = json.dumps(body.get("body", body), ensure_ascii=False)
url = "https://shop.example.com/status?order=12345"

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "d1.sqlite")
    db = sqlite3.connect(path)
    for m in sorted((root / "migrations").glob("*.sql")):
        db.executescript(m.read_text())
    rows = 0
    for i in range(n):
        oid = f"ord_{i:032x}"
        at = f"2026-12-05T12:{(i // 1000) % 60:02d}:{i % 60:02d}.{i % 1000:03d}Z"
        db.execute(
            "INSERT INTO orders (id, number, fingerprint, restaurant_id, concept_id, zone_id, "
            "delivery_method, phone, client_name, total, status, version, status_url, request, "
            "created_at, updated_at, channel, namespace) VALUES "
            "(?, ?, ?, ?, '7', 'z1', 'courier', '79229883322', 'Пётр', 125000, 30, 4, ?, ?, ?, ?, 'site', 'key')",
            (oid, f"N{i}", "f" * 64, f"R{i % 1000}", url, request, at, at),
        )
        rows += 1
        for seq, status in enumerate([0, 10, 20, 30], 1):
            db.execute("INSERT INTO order_statuses (order_id, seq, status, at) VALUES (?, ?, ?, ?)",
                       (oid, seq, status, at))
            did = f"dl_{i:028x}{seq:04x}"
            db.execute(
                "INSERT INTO outbox (id, receiver, order_id, order_key, method, url, body, created_at, "
                "status, attempts, updated_at) VALUES (?, 'site_status', ?, ?, 'GET', ?, '', 0, "
                "'delivered', 1, 0)", (did, oid, f"site_status:{oid}", f"{url}&status={status}"))
            db.execute(
                "INSERT INTO outbox_attempts (delivery_id, number, started_at, latency_ms, status_code, "
                "verdict) VALUES (?, 1, 0, 40, 200, 'delivered')", (did,))
            rows += 3
    db.commit()
    db.execute("VACUUM")
    db.close()
    size = os.path.getsize(path)
    print(f"{n} orders: {size} bytes, {size / n:.0f} bytes/order, {rows / n:.0f} rows/order "
          f"(request {len(request.encode())} bytes)")
    print(f"10 GB holds {10 * 10**9 // (size // n):,} such orders")

-- Clients (issue 17 point 4): what the hub keeps of the people who order, answered by
-- `GET /site-api/client` in Jupiter's shape and edited by the operator
-- (`/admin/clients/{phone}`). Written by every order that names a client (core's
-- `order::client::client_of`: site orders, and Orderconnect orders whose number Just Eat
-- does not mask; never JET Connect's support or proxy numbers) and by the operator.
-- NULL is "not known": the answer says null, the hub invents no value.

CREATE TABLE clients (
    phone             TEXT PRIMARY KEY,                   -- core's canonical_phone: international digits, no '+'
    id                TEXT NOT NULL UNIQUE,               -- GUID-shaped, from 128 random bits; never changes
    name              TEXT,
    email             TEXT,
    birthday          TEXT,                               -- YYYY-MM-DD
    gender            TEXT CHECK (gender IN ('Мужской', 'Женский')),
    discounts_active  INTEGER CHECK (discounts_active IN (0, 1)),
    blacklist         INTEGER CHECK (blacklist IN (0, 1)),
    block_sms         INTEGER CHECK (block_sms IN (0, 1)),
    name_by_operator  INTEGER NOT NULL DEFAULT 0,         -- 1: the operator set the name; orders leave it
    email_by_operator INTEGER NOT NULL DEFAULT 0,         -- 1: the operator set the e-mail; orders leave it
    orders            INTEGER NOT NULL DEFAULT 0,         -- orders that named this client
    last_order_at     TEXT,                               -- RFC 3339 UTC, milliseconds
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

-- The clients of site orders placed before this table existed (the client answer used to
-- be read from them): the latest name per phone. `orders.phone` holds the digits as
-- written, so the one key rule that needs no '+' is applied here too (11 digits starting
-- 8 are +7). Marketplace orders are left out: whether their number was masked is not in
-- the row.
WITH site AS (
    SELECT CASE WHEN length(phone) = 11 AND substr(phone, 1, 1) = '8'
                THEN '7' || substr(phone, 2) ELSE phone END AS key,
           client_name, created_at, rowid AS seq
    FROM orders
    WHERE channel = 'site' AND length(phone) BETWEEN 10 AND 15
)
INSERT INTO clients (phone, id, name, orders, last_order_at, created_at, updated_at)
SELECT key,
       upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2))
             || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
       (SELECT s2.client_name FROM site AS s2
         WHERE s2.key = grouped.key AND s2.client_name <> ''
         ORDER BY s2.created_at DESC, s2.seq DESC LIMIT 1),
       n, last_at, first_at, last_at
FROM (
    SELECT key, count(*) AS n, min(created_at) AS first_at, max(created_at) AS last_at
    FROM site
    GROUP BY key
) AS grouped;

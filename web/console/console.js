// The operator console: sign-in, then hash-routed views on the admin API.
// Plain ES modules, no framework and no build step (like the storefront's web/app.js): the
// file a developer reads is the file the browser runs.
import * as api from "./api.js";
import { t, apply, setLang, current, locale } from "./i18n.js";
import { stackedBars, shareLine, latencyBars, zonesMap } from "./charts.js";

const POLL_MS = 10000;
const CHANNELS = ["site", "jet", "orderconnect"];
const STATUSES = [0, 10, 20, 30, 5];

const $ = (id) => document.getElementById(id);
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, "");
    else node.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}
// replaceChildren without the nulls and falses of conditional parts.
const fill = (node, ...children) => node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));

const state = {
  signedIn: false,
  restaurants: null, // from /admin/restaurants, for names and filters
  filters: {},
  orders: [],
  cursor: null,
  pollTimer: null,
  showPersonal: false,
  window: "24h",
};

const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString(locale(), { dateStyle: "short", timeStyle: "short" }) : "—");
const minor = (v) => Math.round(Number(v || 0) * 100);
const money = (m) => (m / 100).toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const statusName = (s) => t(`st_${s}`);
const channelName = (c) => t(`ch_${c}`);
const restaurantName = (id) => {
  const r = (state.restaurants || []).find((x) => x.id === id);
  return r ? r.name : id;
};

function announce(text) {
  $("announce").textContent = text;
}

// A result line next to an action: role=status, so it is read out.
const resultLine = (id) => el("p", { id, class: "status", role: "status", "aria-live": "polite" });
function showResult(node, text, ok = true) {
  node.textContent = text;
  node.classList.toggle("bad", !ok);
  node.classList.toggle("good", ok);
}

// ---------------------------------------------------------------- personal data

// Masked by default (the hub masks with personal=masked; the page masks what it shows again,
// so nothing personal is on screen even from a hub that did not): a name's first letter, a
// phone's last two digits, no address.
const maskPhone = (p) => (p ? `•••${String(p).replace(/\D/g, "").slice(-2)}` : "");
const maskName = (n) => (n ? `${String(n).slice(0, 1)}•••` : "");
function maskOrder(order) {
  const copy = JSON.parse(JSON.stringify(order || {}));
  const body = copy.body || copy;
  for (const key of ["client", "recipient_name"]) {
    if (body[key]) {
      if (body[key].name) body[key].name = maskName(body[key].name);
      if (body[key].phone) body[key].phone = maskPhone(body[key].phone);
      if (body[key].email) body[key].email = "•••";
    }
  }
  if (body.address) body.address = { ...body.address, name: body.address.name ? "•••" : undefined, comment: body.address.comment ? "•••" : undefined, coords: body.address.coords ? "•••" : undefined };
  if (body.comment) body.comment = "•••";
  return copy;
}

// ---------------------------------------------------------------- sign-in

function showSignIn(message) {
  state.signedIn = false;
  clearTimeout(state.pollTimer);
  $("signin").hidden = false;
  $("view").hidden = true;
  $("nav").hidden = true;
  $("signout").hidden = true;
  $("signin-status").textContent = message || "";
  $("key").focus();
}

function showApp() {
  state.signedIn = true;
  $("signin").hidden = true;
  $("view").hidden = false;
  $("nav").hidden = false;
  $("signout").hidden = false;
  route();
}

async function signIn(event) {
  event.preventDefault();
  const input = $("key");
  const key = input.value;
  input.value = ""; // the key goes to the hub once and is dropped
  try {
    await api.signIn(key);
    if (!location.hash || location.hash === "#") location.hash = "#/orders";
    showApp();
  } catch (err) {
    $("signin-status").textContent = t("signin_failed", { status: err.status || err.message });
  }
}

async function signOut() {
  await api.signOut().catch(() => {});
  state.restaurants = null;
  showSignIn();
}

// ---------------------------------------------------------------- routing

function route() {
  if (!state.signedIn) return;
  clearTimeout(state.pollTimer);
  const [, name = "orders", id] = (location.hash.replace(/^#/, "") || "/orders").split("/");
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.route === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const view = $("view");
  view.replaceChildren(el("p", { class: "muted" }, t("loading")));
  view.dataset.route = name;
  const id_ = id ? decodeURIComponent(id) : null;
  const render = {
    orders: () => (id_ ? orderDetail(id_) : ordersView()),
    attention: attentionView,
    restaurants: () => (id_ ? restaurantDetail(id_) : restaurantsView()),
    health: healthView,
  }[name] || ordersView;
  render().then(() => {
    // A new view: focus its heading, so keyboard and screen-reader users start there.
    const heading = view.querySelector("h2");
    if (heading && document.activeElement && document.activeElement.closest("#nav")) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }).catch((err) => {
    if (err.status === 401) return;
    view.replaceChildren(el("p", { class: "status bad", role: "alert" }, t("error", { message: err.message })));
  });
}

async function loadRestaurants(force = false) {
  if (!state.restaurants || force) state.restaurants = (await api.get("/admin/restaurants")).restaurants || [];
  return state.restaurants;
}

// ---------------------------------------------------------------- orders

function select(name, label, options, value) {
  const id = `f-${name}`;
  return el("div", { class: "field" },
    el("label", { for: id }, label),
    el("select", { id, name },
      el("option", { value: "" }, t("any")),
      options.map(([v, text]) => el("option", { value: v, selected: String(value ?? "") === String(v) }, text))));
}

function input(name, label, type, value, extra = {}) {
  const id = `f-${name}`;
  return el("div", { class: "field" }, el("label", { for: id }, label), el("input", { id, name, type, value: value ?? "", ...extra }));
}

// datetime-local (the browser's zone) ↔ RFC 3339 UTC for the API.
const toRfc = (local) => (local ? new Date(local).toISOString() : "");
const toLocalInput = (iso) => {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
};

function ordersQuery(cursor) {
  const f = state.filters;
  return api.query({
    restaurant_id: f.restaurant_id, channel: f.channel, status: f.status, from: f.from, to: f.to,
    attention: f.attention ? "true" : "", q: f.q, limit: 50, cursor,
  });
}

async function ordersView() {
  const restaurants = await loadRestaurants().catch(() => []);
  const f = state.filters;
  const form = el("form", { id: "filters", class: "filters", "aria-label": t("filters") },
    input("q", t("search"), "search", f.q, { autocomplete: "off" }),
    // On a phone the other filters start folded (unless one is set), so the list shows.
    el("details", { class: "more-filters", open: window.matchMedia("(min-width: 641px)").matches || Object.values(f).some((v) => v && v !== "") },
      el("summary", {}, t("filters")),
      el("div", { class: "filters-grid" },
        select("restaurant_id", t("restaurant"), restaurants.map((r) => [r.id, r.name]), f.restaurant_id),
        select("channel", t("channel"), CHANNELS.map((c) => [c, channelName(c)]), f.channel),
        select("status", t("status"), STATUSES.map((s) => [s, statusName(s)]), f.status),
        input("from", t("from"), "datetime-local", toLocalInput(f.from)),
        input("to", t("to"), "datetime-local", toLocalInput(f.to)),
        el("div", { class: "field check" }, el("input", { id: "f-attention", name: "attention", type: "checkbox", checked: !!f.attention }),
          el("label", { for: "f-attention" }, t("needs_attention"))))),
    el("div", { class: "actions" },
      el("button", { type: "submit" }, t("apply")),
      el("button", { type: "button", class: "secondary", onclick: () => { state.filters = {}; ordersView(); } }, t("reset"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    state.filters = {
      q: data.get("q").trim(), restaurant_id: data.get("restaurant_id"), channel: data.get("channel"),
      status: data.get("status"), from: toRfc(data.get("from")), to: toRfc(data.get("to")),
      attention: data.get("attention") === "on",
    };
    loadOrders();
  });
  const table = el("table", { id: "orders-table", class: "orders" },
    el("caption", { class: "visually-hidden" }, t("orders_title")),
    el("thead", {}, el("tr", {}, ["col_time", "col_number", "col_channel", "col_restaurant", "col_status", "col_total", "col_attention"].map((k) => el("th", { scope: "col" }, t(k))))),
    el("tbody", { id: "orders-body" }));
  fill($("view"), 
    el("h2", {}, t("orders_title")),
    el("p", { class: "muted" }, t("orders_live")),
    form,
    resultLine("orders-status"),
    table,
    el("button", { type: "button", id: "more", class: "secondary", onclick: moreOrders }, t("more")));
  await loadOrders();
}

function orderRow(o) {
  const doc = o.order ? o.order.body || o.order : {};
  const total = doc.cart ? money(minor(doc.cart.total)) : "—";
  return el("tr", { "data-order": o.order_id, class: o.attention && o.attention.length ? "attention" : "" },
    el("td", { "data-label": t("col_time") }, fmtTime(o.created_at)),
    el("td", { "data-label": t("col_number") }, el("a", { href: `#/orders/${encodeURIComponent(o.order_id)}` }, o.number || o.order_id)),
    el("td", { "data-label": t("col_channel") }, channelName(o.channel)),
    el("td", { "data-label": t("col_restaurant") }, restaurantName(o.restaurant_id)),
    el("td", { "data-label": t("col_status"), "data-status": o.status }, statusName(o.status)),
    el("td", { "data-label": t("col_total"), class: "num" }, total),
    el("td", { "data-label": t("col_attention") }, (o.attention || []).map((a) => el("span", { class: "badge" }, t(`at_${a}`)))));
}

function renderOrders() {
  const body = $("orders-body");
  if (!body) return;
  body.replaceChildren(...state.orders.map(orderRow));
  $("more").hidden = !state.cursor;
  $("orders-status").textContent = state.orders.length ? t("shown", { n: state.orders.length }) : t("none");
  $("orders-table").dataset.count = String(state.orders.length);
}

async function loadOrders() {
  const page = await api.get(`/admin/orders${ordersQuery()}`);
  state.orders = page.orders || [];
  state.cursor = page.next_cursor || null;
  renderOrders();
  schedulePoll();
}

async function moreOrders() {
  if (!state.cursor) return;
  const page = await api.get(`/admin/orders${ordersQuery(state.cursor)}`);
  const seen = new Set(state.orders.map((o) => o.order_id));
  state.orders.push(...(page.orders || []).filter((o) => !seen.has(o.order_id)));
  state.cursor = page.next_cursor || null;
  renderOrders();
  if (!state.cursor) announce(t("no_more"));
}

// Live: the first page again every 10 s while the list is on screen and the tab visible;
// new orders go on top, known ones take their new status; pages loaded with "more" stay.
function schedulePoll() {
  clearTimeout(state.pollTimer);
  state.pollTimer = setTimeout(async () => {
    if ($("view").dataset.route !== "orders" || !$("orders-body")) return;
    if (document.visibilityState === "visible") {
      try {
        const page = await api.get(`/admin/orders${ordersQuery()}`);
        const fresh = page.orders || [];
        const byId = new Map(fresh.map((o) => [o.order_id, o]));
        const known = new Set(state.orders.map((o) => o.order_id));
        state.orders = [...fresh.filter((o) => !known.has(o.order_id)), ...state.orders.map((o) => byId.get(o.order_id) || o)];
        if (state.orders.length === fresh.length) state.cursor = page.next_cursor || null;
        renderOrders();
      } catch (_) { /* the next poll tries again */ }
    }
    schedulePoll();
  }, POLL_MS);
}

// ---------------------------------------------------------------- one order

function dl(pairs) {
  return el("dl", { class: "pairs" }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== "").flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

// Lines, fees, discounts and payment of the Jupiter order, in minor units, and whether they
// add up.
function moneyBlock(order) {
  const body = order.body || order;
  const cart = body.cart || {};
  const items = cart.items || [];
  const lineMinor = (item) => (item.count || 0) * (minor(item.cost) + (item.modifiers || []).reduce((s, m) => s + (m.count || 0) * minor(m.cost), 0));
  const lines = items.reduce((s, i) => s + lineMinor(i), 0);
  const fees = minor(cart.delivery) + (Array.isArray(cart.fees) ? cart.fees.reduce((s, f) => s + minor(f.cost ?? f.amount), 0) : 0);
  const discounts = Array.isArray(cart.discounts) ? cart.discounts.reduce((s, d) => s + minor(d.sum ?? d.amount ?? d.cost), 0) : minor(cart.discount);
  const total = minor(cart.total);
  const payment = body.payment || {};
  const paid = minor(payment.sum);
  const computed = lines + fees - discounts;
  const ok = computed === total && paid === total;
  const table = el("table", { class: "lines" },
    el("thead", {}, el("tr", {}, [t("item"), t("qty"), t("price"), t("amount")].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, items.flatMap((i) => [
      el("tr", {}, el("td", {}, i.name || i.id), el("td", { class: "num" }, String(i.count)), el("td", { class: "num" }, money(minor(i.cost))), el("td", { class: "num" }, money(lineMinor(i)))),
      ...(i.modifiers || []).map((m) => el("tr", { class: "modifier" }, el("td", {}, `+ ${m.name || m.id}`), el("td", { class: "num" }, String(m.count)), el("td", { class: "num" }, money(minor(m.cost))), el("td", {}))),
    ])));
  return el("div", { id: "money" }, table,
    dl([[t("lines_sum"), money(lines)], [t("delivery_fee"), money(fees)], [t("discount"), money(discounts)], [t("total"), money(total)], [t("paid", { method: payment.method || "—" }), money(paid)]]),
    el("p", { id: "reconciled", class: ok ? "status good" : "status bad", "data-ok": String(ok) },
      ok ? t("reconciled_ok") : t("reconciled_bad", { computed: money(computed), total: money(total), paid: money(paid) })));
}

function personalBlock(order) {
  const body = order.body || order;
  const show = state.showPersonal;
  const c = body.client || {};
  const a = body.address || {};
  return dl([
    [t("client"), show ? c.name : maskName(c.name)],
    [t("phone"), show ? c.phone : maskPhone(c.phone)],
    [t("address"), a.name ? (show ? a.name : "•••") : ""],
    [t("comment"), body.comment ? (show ? body.comment : "•••") : ""],
  ]);
}

function deliveriesBlock(deliveries, reload) {
  if (!deliveries.length) return el("p", { class: "muted" }, t("none"));
  return el("div", { id: "deliveries" }, deliveries.map((d) => {
    const result = resultLine(`replay-${d.id}`);
    return el("article", { class: `delivery ${d.status}`, "data-delivery": d.id, "data-status": d.status },
      el("h4", {}, `${d.receiver} · `, el("span", { class: `badge ${d.status}` }, t(`d_${d.status}`))),
      el("p", { class: "url" }, `${d.method || ""} ${d.url}`),
      d.last_error ? el("p", { class: "muted" }, `${t("last_error")}: ${d.last_error}`) : null,
      el("table", { class: "attempts" },
        el("thead", {}, el("tr", {}, [t("attempt"), t("at"), t("code"), t("latency"), t("verdict")].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, (d.attempts || []).map((at) => el("tr", {},
          el("td", {}, String(at.number)), el("td", {}, fmtTime(at.at)), el("td", { class: "num" }, at.status_code ?? "—"),
          el("td", { class: "num" }, at.latency_ms === null || at.latency_ms === undefined ? "—" : `${at.latency_ms} ms`),
          el("td", {}, at.verdict || at.error || ""))))),
      d.status === "dead" ? el("button", { type: "button", class: "replay", onclick: (e) => replay(d.id, e.currentTarget, result, reload) }, t("replay")) : null,
      result);
  }));
}

async function replay(id, button, result, reload) {
  button.disabled = true;
  showResult(result, t("replaying"));
  try {
    const answer = await api.post(`/admin/deliveries/${encodeURIComponent(id)}/replay`);
    showResult(result, t("replayed", { id: answer.id, status: t(`d_${answer.status}`) }));
    announce(result.textContent);
    if (reload) setTimeout(reload, 1500);
  } catch (err) {
    button.disabled = false;
    showResult(result, t("replay_failed", { message: err.message }), false);
  }
}

async function orderDetail(id) {
  await loadRestaurants().catch(() => []);
  const [order, log] = await Promise.all([
    // Masked by the hub unless the operator asked to see personal data (personal=masked).
    api.get(`/admin/orders/${encodeURIComponent(id)}${state.showPersonal ? "" : "?personal=masked"}`),
    api.get(`/admin/deliveries${api.query({ order_id: id })}`),
  ]);
  const deliveries = log.deliveries || [];
  const view = $("view");
  if (view.dataset.route !== "orders") return;
  const again = () => { if (location.hash === `#/orders/${encodeURIComponent(id)}`) orderDetail(id); };
  // While a delivery is pending, look again (a replay's outcome shows without a click).
  if (deliveries.some((d) => d.status === "pending")) state.pollTimer = setTimeout(again, 2000);
  const stored = order.order || {};
  const raw = state.showPersonal ? stored : maskOrder(stored);
  fill(view,
    el("p", {}, el("a", { href: "#/orders" }, t("back_orders"))),
    el("h2", { id: "order-title" }, t("order_title", { number: order.number })),
    el("section", { "aria-labelledby": "s-summary" }, el("h3", { id: "s-summary" }, t("summary")),
      dl([[t("order_id"), order.order_id], [t("col_channel"), channelName(order.channel)], [t("col_restaurant"), restaurantName(order.restaurant_id)],
        [t("col_status"), statusName(order.status)], [t("external_id"), order.external_id], [t("upstream_id"), order.upstream_order_id],
        [t("method"), order.delivery_method ? t(`dm_${order.delivery_method}`) : ""], [t("created"), fmtTime(order.created_at)], [t("updated"), fmtTime(order.updated_at)]])),
    el("section", { "aria-labelledby": "s-history" }, el("h3", { id: "s-history" }, t("history")),
      el("ol", { id: "history", class: "history" }, (order.history || []).map((h) => el("li", { "data-status": h.status },
        el("strong", {}, statusName(h.status)), ` · ${fmtTime(h.at)}`, h.reason ? el("div", { class: "muted" }, `${t("reason")}: ${h.reason}`) : null)))),
    (order.timeline || []).length ? el("section", { "aria-labelledby": "s-timeline" }, el("h3", { id: "s-timeline" }, t("timeline")),
      el("ol", { class: "history" }, order.timeline.map((e) => el("li", {}, el("strong", {}, e.kind), ` · ${fmtTime(e.at)}`)))) : null,
    (order.failures || []).length ? el("section", { "aria-labelledby": "s-failures", class: "failures" }, el("h3", { id: "s-failures" }, t("failures")),
      el("ul", {}, order.failures.map((f) => el("li", {}, el("strong", {}, f.kind), ` · ${f.reason}`, f.last_error ? el("div", { class: "muted" }, f.last_error) : null)))) : null,
    el("section", { "aria-labelledby": "s-kitchen" }, el("h3", { id: "s-kitchen" }, t("kitchen_order")),
      el("h4", {}, t("personal")),
      el("button", { type: "button", id: "toggle-personal", class: "secondary", "aria-pressed": String(state.showPersonal),
        onclick: () => { state.showPersonal = !state.showPersonal; orderDetail(id); } }, state.showPersonal ? t("hide_personal") : t("show_personal")),
      personalBlock(stored),
      moneyBlock(stored),
      el("details", { id: "raw" }, el("summary", {}, t("raw_request")), el("pre", {}, JSON.stringify(raw, null, 2)))),
    el("section", { "aria-labelledby": "s-deliveries" }, el("h3", { id: "s-deliveries" }, t("deliveries")), deliveriesBlock(deliveries, again)));
}

// ---------------------------------------------------------------- failures first

function answerForm(q) {
  const result = resultLine(`answer-${q.id}`);
  const fields = {
    late_order: () => [
      el("label", { for: `lo-${q.id}` }, t("late_status")),
      el("select", { id: `lo-${q.id}`, name: "lateOrderStatus" }, ["Preparing", "OnItsWay", "Delivered"].map((v) => el("option", { value: v }, v))),
      el("label", { for: `lm-${q.id}` }, t("late_minutes")),
      el("input", { id: `lm-${q.id}`, name: "minutes", type: "number", min: 0, max: 240, value: 0 }),
    ],
    late_order_compensation: () => [
      el("div", { class: "check" }, el("input", { id: `ac-${q.id}`, name: "isAccepted", type: "checkbox" }), el("label", { for: `ac-${q.id}` }, t("accept"))),
      el("label", { for: `am-${q.id}` }, t("accepted_amount")),
      el("input", { id: `am-${q.id}`, name: "acceptedAmount", type: "number", min: 0 }),
      el("label", { for: `rr-${q.id}` }, t("rejected_reason")),
      el("select", { id: `rr-${q.id}`, name: "rejectedReasonCode" }, ["NoReason", "BadTraffic", "BadWeather", "BusierThanExpected", "CompensatedWithItem"].map((v) => el("option", { value: v }, v))),
    ],
  }[q.kind] || (() => [el("label", { for: `no-${q.id}` }, t("note")), el("textarea", { id: `no-${q.id}`, name: "note", rows: 2 })]);
  const form = el("form", { class: "answer", "data-query": q.id }, fields(), el("button", { type: "submit" }, t("answer")), result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const d = new FormData(form);
    let body;
    if (q.kind === "late_order") {
      body = { lateOrderStatus: d.get("lateOrderStatus") };
      const minutes = Number(d.get("minutes"));
      if (minutes > 0) body.additionalDeliveryTimeToAddMinutes = minutes;
    } else if (q.kind === "late_order_compensation") {
      body = d.get("isAccepted") === "on"
        ? { isAccepted: true, acceptedAmount: Number(d.get("acceptedAmount")) }
        : { isAccepted: false, rejectedReasonCode: d.get("rejectedReasonCode") };
    } else {
      body = { note: d.get("note") };
    }
    try {
      await api.post(`/admin/jet/queries/${encodeURIComponent(q.id)}/answer`, body);
      showResult(result, t("answered"));
      form.querySelector("button").disabled = true;
    } catch (err) {
      showResult(result, t("answer_failed", { message: err.message }), false);
    }
  });
  return form;
}

async function attentionView() {
  await loadRestaurants().catch(() => []);
  // The waiting list names the hub's order only; Just Eat's own order id (the one the
  // restaurant finds the order by in Just Eat's tools) comes from the queries list.
  const [a, all] = await Promise.all([api.get("/admin/attention"), api.get("/admin/jet/queries").catch(() => ({ queries: [] }))]);
  const jetQuery = new Map((all.queries || []).map((q) => [q.id, q]));
  const section = (id, title, items, render) => el("section", { "aria-labelledby": id, id: `${id}-list` },
    el("h3", { id }, `${title} (${items.length})`),
    items.length ? el("ul", { class: "cards" }, items.map(render)) : el("p", { class: "muted" }, t("none")));
  fill($("view"), 
    el("h2", {}, t("attention_title")),
    section("dead", t("dead_deliveries"), a.dead_deliveries || [], (d) => {
      const result = resultLine(`replay-${d.id}`);
      return el("li", { class: "card", "data-delivery": d.id },
        el("strong", {}, d.receiver), " · ", d.order_id ? el("a", { href: `#/orders/${encodeURIComponent(d.order_id)}` }, d.order_id) : "",
        el("div", { class: "url" }, d.url),
        el("div", { class: "muted" }, `${t("attempts")}: ${d.attempts} · ${fmtTime(d.updated_at)}`),
        d.last_error ? el("div", { class: "muted" }, d.last_error) : null,
        el("button", { type: "button", class: "replay", onclick: (e) => replay(d.id, e.currentTarget, result) }, t("replay")), result);
    }),
    section("att-orders", t("orders_attention"), a.orders || [], (o) => el("li", { class: "card", "data-order": o.order_id },
      el("a", { href: `#/orders/${encodeURIComponent(o.order_id)}` }, o.number || o.order_id), ` · ${channelName(o.channel)} · ${restaurantName(o.restaurant_id)} · ${statusName(o.status)} `,
      (o.attention || []).map((x) => el("span", { class: "badge" }, t(`at_${x}`))))),
    section("queries", t("queries_waiting"), a.queries_waiting || [], (q) => el("li", { class: "card", "data-query": q.id },
      el("strong", {}, q.kind), " · ", q.order_id ? el("a", { href: `#/orders/${encodeURIComponent(q.order_id)}` }, q.order_id) : "",
      jetQuery.has(q.id) ? el("div", { class: "je-order" }, t("je_order", { id: jetQuery.get(q.id).OrderId, restaurant: jetQuery.get(q.id).restaurant_id || "—" })) : null,
      el("div", { class: "muted" }, `${t("received_at")}: ${fmtTime(q.received_at)}`), answerForm(q))),
    section("backup", t("backup_flow"), a.backup_flow || [], (b) => el("li", { class: "card" },
      el("strong", {}, b.friendlyOrderReference || b.orderId || b.id), ` · ${b.reason || ""}`,
      el("div", { class: "muted" }, `${t("received_at")}: ${fmtTime(b.received_at)}`),
      b.reconciled ? el("div", {}, `${t("reconciled")}: `, el("a", { href: `#/orders/${encodeURIComponent(b.reconciled_order_id)}` }, b.reconciled_order_id)) : null)));
}

// ---------------------------------------------------------------- restaurants

function onlineText(r) {
  if (r.online) return t("online");
  return r.offline_until ? t("paused_until", { until: r.offline_until }) : t("offline");
}

async function restaurantsView() {
  const list = await loadRestaurants(true);
  fill($("view"), 
    el("h2", {}, t("restaurants_title")),
    list.length ? el("ul", { class: "cards", id: "restaurants-list" }, list.map((r) => el("li", { class: `card ${r.online ? "" : "off"}`, "data-restaurant": r.id },
      el("a", { href: `#/restaurants/${encodeURIComponent(r.id)}` }, r.name || r.id), ` (${r.id})`,
      el("div", {}, el("span", { class: `badge ${r.online ? "good" : "bad"}` }, onlineText(r)), r.pause_reason ? ` · ${r.pause_reason}` : ""),
      el("div", { class: "muted" }, `${t("time_zone")}: ${r.time_zone || "—"}`)))) : el("p", { class: "muted" }, t("none")));
}

// Service hours as the API answers them (already restaurant-local): an array of rows or an
// object, shown as they come.
const clock = (secs) => {
  const s = ((Number(secs) % 86400) + 86400) % 86400;
  return `${String(Math.floor(s / 3600)).padStart(2, "0")}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}`;
};

// Service hours as the API answers them, already in the restaurant's own time: its day
// (start_time/end_time, seconds after local midnight) and, when JET Connect sent them, the
// opening windows per service type and day.
function hoursBlock(r) {
  const h = r.service_hours || { start_time: r.start_time, end_time: r.end_time, service_times: r.service_times };
  const rows = [];
  if (h.start_time !== undefined && h.start_time !== null && h.end_time !== undefined && h.end_time !== null) {
    const end = h.end_time - h.start_time >= 86400 ? "24:00" : clock(h.end_time);
    rows.push(el("li", { "data-hours": "day" }, `${t("service_hours_day")}: ${clock(h.start_time)}–${end}`));
  }
  const times = (h.service_times && h.service_times.serviceTimes) || [];
  for (const st of times) {
    const days = Object.entries(st.openingTimes || {}).map(([day, windows]) =>
      `${day} ${(windows || []).map((w) => `${w.openingTime}–${w.closingTime}`).join(", ")}`);
    rows.push(el("li", {}, el("strong", {}, st.serviceType || ""), ` ${days.join(" · ")}`));
  }
  return rows.length ? el("ul", { class: "hours" }, rows) : el("p", { class: "muted" }, t("no_hours"));
}

async function restaurantDetail(id) {
  const list = await loadRestaurants(true).catch(() => []);
  let r = list.find((x) => x.id === id);
  if (!r) {
    const one = await api.get(`/admin/restaurants/${encodeURIComponent(id)}`);
    r = { ...one, id, time_zone: one.time_zone ?? one.timezone };
  }
  const concepts = r.concepts && r.concepts.length ? r.concepts : [{ id: "", name: r.name }];
  const enc = encodeURIComponent;
  const [stop, ...perConcept] = await Promise.all([
    api.get(`/site-api/stop_list?restaurant_id=${enc(id)}`).catch(() => ({ stop_lists: [] })),
    ...concepts.map((c) => {
      const q = `restaurant_id=${enc(id)}${c.id ? `&concept_id=${enc(c.id)}` : ""}`;
      return Promise.all([
        api.get(`/site-api/delivery_zones?${q}`).catch(() => ({ zones: [] })),
        api.get(`/site-api/menu?${q}`).catch(() => ({ menu: null })),
      ]);
    }),
  ]);
  const stopped = new Map((stop.stop_lists || []).flatMap((s) => (s.items || []).map((i) => [i.id, i])));
  const pauseResult = resultLine("pause-result");
  const pauseForm = el("form", { id: "pause-form", class: "filters" },
    el("div", { class: "field" }, el("label", { for: "pause-reason" }, t("pause_reason")), el("input", { id: "pause-reason", name: "reason", required: true, maxlength: 200 })),
    el("div", { class: "field" }, el("label", { for: "pause-until" }, t("pause_until")), el("input", { id: "pause-until", name: "until", type: "datetime-local" })),
    el("div", { class: "actions" }, el("button", { type: "submit", id: "pause" }, t("pause")),
      el("button", { type: "button", id: "resume", class: "secondary", onclick: async () => {
        try {
          await api.del(`/admin/restaurants/${enc(id)}/pause`);
          showResult(pauseResult, t("resumed"));
          setTimeout(() => restaurantDetail(id), 600);
        } catch (err) { showResult(pauseResult, t("action_failed", { message: err.message }), false); }
      } }, t("resume"))));
  pauseForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const d = new FormData(pauseForm);
    try {
      await api.put(`/admin/restaurants/${enc(id)}/pause`, { reason: d.get("reason"), until: d.get("until") || null });
      showResult(pauseResult, t("paused"));
      setTimeout(() => restaurantDetail(id), 600);
    } catch (err) { showResult(pauseResult, t("action_failed", { message: err.message }), false); }
  });
  const view = $("view");
  fill(view,
    el("p", {}, el("a", { href: "#/restaurants" }, t("back_restaurants"))),
    el("h2", {}, `${r.name || id} (${id})`),
    el("p", { id: "restaurant-state" }, el("span", { class: `badge ${r.online ? "good" : "bad"}`, "data-online": String(!!r.online) }, onlineText(r)),
      r.pause_reason ? ` · ${r.pause_reason}` : ""),
    el("section", { "aria-labelledby": "s-pause" }, el("h3", { id: "s-pause" }, t("pause_title")), pauseForm, pauseResult),
    el("section", { "aria-labelledby": "s-hours" }, el("h3", { id: "s-hours" }, t("service_hours", { zone: r.time_zone || "—" })), hoursBlock(r)),
    concepts.map((c, i) => {
      const [zones, menu] = perConcept[i];
      return [zonesSection(c, zones.zones || []), menuSection(id, c, menu.menu, stopped)];
    }));
}

function zonesSection(concept, zones) {
  const name = concept.name || concept.id;
  const map = zonesMap({ title: t("zones_map", { concept: name, n: zones.length }), zones });
  return el("section", { class: "zones-block", "aria-label": t("zones", { concept: name }) },
    el("h3", {}, t("zones", { concept: name })),
    map ? el("div", { class: "map" }, map) : el("p", { class: "muted" }, t("no_zones")),
    el("ul", { class: "legend" }, zones.map((z, i) => el("li", { "data-zone": z.id }, el("span", { class: `swatch z${i % 6}`, "aria-hidden": "true" }),
      el("strong", {}, z.name), ` — ${t("minimum", { v: money(minor(z.sum_min)) })}, ${t("fee", { v: money(minor(z.delivery_price)) })}`,
      z.sum_for_free ? `, ${t("free_from", { v: money(minor(z.sum_for_free)) })}` : ""))));
}

function menuSection(restaurantId, concept, menu, stopped) {
  const name = concept.name || concept.id;
  if (!menu) return el("section", {}, el("h3", {}, t("menu", { concept: name })), el("p", { class: "muted" }, t("none")));
  const categories = [...(menu.categories || [])].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
  const items = menu.items || [];
  return el("section", { class: "menu", "aria-label": t("menu", { concept: name }) },
    el("h3", {}, t("menu", { concept: name })),
    categories.map((cat) => {
      const inCat = items.filter((i) => i.categoryId === cat.id);
      if (!inCat.length) return null;
      return el("div", { class: "category" }, el("h4", {}, cat.name),
        el("ul", { class: "items" }, inCat.map((item) => itemRow(restaurantId, item, stopped.get(item.id)))));
    }));
}

function itemRow(restaurantId, item, stop) {
  const result = resultLine(`avail-${item.id}`);
  const untilId = `until-${item.id}`;
  const stateText = stop ? (stop.until ? t("unavailable_until", { until: fmtTime(stop.until) }) : t("unavailable_now")) : t("available");
  const send = async (event, until) => {
    const body = { event, itemReferences: [item.id], restaurant: restaurantId, happenedAt: new Date().toISOString() };
    if (until) body.nextAvailableAt = until;
    try {
      await api.post("/jet-connect/item-availability", body);
      const now = event === "AVAILABLE" ? t("available") : until ? t("unavailable_until", { until: fmtTime(until) }) : t("unavailable_now");
      showResult(result, t("availability_done", { item: item.name, state: now }));
      const li = result.closest("li");
      li.dataset.stopped = String(event !== "AVAILABLE");
      li.querySelector(".state").textContent = now;
    } catch (err) { showResult(result, t("action_failed", { message: err.message }), false); }
  };
  return el("li", { class: "item", "data-item": item.id, "data-stopped": String(!!stop) },
    el("div", {}, el("strong", {}, item.name), " ", el("span", { class: "muted" }, `(${item.id})`), " · ", el("span", { class: "state" }, stateText)),
    el("div", { class: "actions" },
      el("button", { type: "button", class: "unavailable", onclick: () => send("UNAVAILABLE") }, t("mark_unavailable")),
      el("label", { for: untilId, class: "visually-hidden" }, t("until_time")),
      el("input", { id: untilId, type: "datetime-local" }),
      el("button", { type: "button", class: "secondary until", onclick: () => { const v = $(untilId).value; if (v) send("UNAVAILABLE", new Date(v).toISOString()); } }, t("mark_until")),
      el("button", { type: "button", class: "secondary available", onclick: () => send("AVAILABLE") }, t("mark_available"))),
    result);
}

// ---------------------------------------------------------------- health

async function healthView() {
  const stats = await api.get(`/admin/stats?window=${state.window}`);
  const bucket = t(stats.bucket === "day" ? "bucket_day" : "bucket_hour");
  const label = (start) => {
    const d = new Date(start);
    return stats.bucket === "day" ? d.toLocaleDateString(locale(), { day: "2-digit", month: "2-digit" }) : d.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
  };
  const buckets = stats.buckets || [];
  const totals = stats.totals || { orders: 0, failed: 0, failed_share: 0 };
  const lat = stats.callback_latency_ms || {};
  const pct = (v) => `${Math.round((v || 0) * 1000) / 10}%`;
  const perChannel = CHANNELS.map((c) => `${channelName(c)} ${buckets.reduce((s, b) => s + ((b.orders || {})[c] || 0), 0)}`).join(", ");
  const latencyText = lat.samples ? t("latency_line", { p50: `${lat.p50} ms`, p95: `${lat.p95} ms`, samples: lat.samples }) : t("no_samples");
  const windowSelect = el("div", { class: "field" }, el("label", { for: "window" }, t("window")),
    el("select", { id: "window", onchange: (e) => { state.window = e.target.value; healthView(); } },
      ["24h", "7d"].map((w) => el("option", { value: w, selected: state.window === w }, t(`w_${w}`)))));
  fill($("view"), 
    el("h2", {}, t("health_title")),
    windowSelect,
    el("p", { id: "totals" }, t("totals_line", { orders: totals.orders, failed: totals.failed, share: pct(totals.failed_share) })),
    el("figure", { id: "chart-orders" },
      el("figcaption", {}, t("chart_orders", { bucket })),
      stackedBars({
        title: t("chart_orders", { bucket }),
        summary: `${totals.orders}: ${perChannel}`,
        series: CHANNELS.map((c) => ({ key: c, label: channelName(c), className: c })),
        rows: buckets.map((b) => ({ label: label(b.start), values: b.orders || {} })),
      }),
      el("ul", { class: "legend" }, CHANNELS.map((c) => el("li", {}, el("span", { class: `swatch ${c}`, "aria-hidden": "true" }), channelName(c))))),
    el("figure", { id: "chart-failed" },
      el("figcaption", {}, t("chart_failed", { bucket })),
      shareLine({
        title: t("chart_failed", { bucket }),
        summary: t("totals_line", { orders: totals.orders, failed: totals.failed, share: pct(totals.failed_share) }),
        rows: buckets.map((b) => {
          const n = CHANNELS.reduce((s, c) => s + ((b.orders || {})[c] || 0), 0);
          return { label: label(b.start), value: n ? (b.failed || 0) / n : 0 };
        }),
      })),
    el("figure", { id: "chart-latency" },
      el("figcaption", {}, `${t("chart_latency")}: ${latencyText}`),
      latencyBars({ title: t("chart_latency"), p50: lat.p50, p95: lat.p95, summary: latencyText })));
}

// ---------------------------------------------------------------- wiring

async function start() {
  apply();
  $("lang").value = current();
  $("lang").addEventListener("change", (e) => { setLang(e.target.value); if (state.signedIn) route(); });
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", signOut);
  api.onSignedOut(() => showSignIn(t("session_ended")));
  window.addEventListener("hashchange", route);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && $("view").dataset.route === "orders" && $("orders-body")) schedulePoll();
  });
  if (await api.restore()) showApp();
  else showSignIn();
}

start();

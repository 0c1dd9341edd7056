// The reference storefront: a restaurant's website on the hub's public site API only.
// No framework and no build step, so the file a developer reads is the file the browser runs.
"use strict";

const API = ""; // same origin as the Worker that serves this page
const STATUS_NAMES = { 0: "Новый", 10: "Принят", 20: "В пути", 30: "Выполнен", 5: "Отменён" };
const STATUS_ORDER = [0, 10, 20, 30];
// What Just Eat told the hub about the order (its `timeline`, core/src/order/timeline.rs).
const EVENT_NAMES = {
  driver_assigned: "Курьер назначен",
  driver_at_restaurant: "Курьер в ресторане",
  driver_on_the_way: "Курьер в пути",
  driver_at_address: "Курьер у вас",
  delivered: "Доставлен",
  driver_location: "Курьер на карте",
  driver_unassigned: "Курьер снят с заказа",
  accepted: "Ресторан принял заказ",
  rejected: "Ресторан отклонил заказ",
  time_updated: "Время доставки изменилось",
  ready_for_pickup: "Заказ готов к выдаче",
  delivery_failed: "Доставка не удалась",
  redelivery_requested: "Запрошена повторная доставка",
  attempted_delivery_resolved: "Вопрос о доставке решён",
  requires_delivery_acceptance: "Ищем курьера",
};
const POLL_MS = 2000;
// The hub's violation codes (core/src/order/mod.rs) in the page's language; a code not
// listed shows the hub's own message.
const CODE_TEXT = {
  below_minimum: () => `Минимальный заказ в этой зоне — ${state.zone ? rub(kop(state.zone.sum_min)) : "больше"}.`,
  missing_field: () => "Заполните это поле.",
  bad_phone: () => "Телефон: от 10 до 15 цифр.",
  outside_zone: () => "Сюда мы не доставляем.",
  unknown_zone: () => "Выберите точку внутри зоны доставки.",
  zone_required: () => "Выберите точку доставки на карте зон.",
  item_stopped: () => "Этого сейчас нет в наличии.",
  modifier_group: () => "Выберите допустимое количество добавок.",
  restaurant_closed: () => "Ресторан сейчас закрыт.",
  restaurant_offline: () => "Ресторан сейчас не принимает заказы.",
  pickup_unavailable: () => "Самовывоз здесь недоступен.",
};

const state = {
  restaurant: null,
  concept: null,
  zones: [],
  menu: null,
  stopped: new Set(),
  method: "courier",
  point: null, // [lon, lat]
  zone: null,
  cart: [], // {item, count, modifiers: [{mod, count}]}
  orderId: null,
  number: null,
  pollTimer: null,
  offsetMinutes: 0, // the restaurant's, from its documents' lastChange (see localNow)
};

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
};

// Money is exact in the hub (integer kopecks); here too: roubles from the API become kopecks.
const kop = (roubles) => Math.round(Number(roubles || 0) * 100);
const rub = (kopecks) => {
  const whole = kopecks % 100 === 0;
  return (kopecks / 100).toLocaleString("ru-RU", { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 }) + " ₽";
};
const asRoubles = (kopecks) => kopecks / 100;

async function getJson(path) {
  const response = await fetch(API + path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// ---------------------------------------------------------------- loading

async function load() {
  const params = new URLSearchParams(location.search);
  const { places } = await getJson("/site-api/restaurants");
  const wanted = params.get("restaurant_id");
  state.restaurant = places.find((p) => p.id === wanted) || places[0];
  if (!state.restaurant) {
    $("restaurant-name").textContent = "Нет ресторанов";
    return;
  }
  const concepts = state.restaurant.concepts || [];
  state.concept = params.get("concept_id") || (concepts[0] && concepts[0].id) || null;
  const q = `restaurant_id=${encodeURIComponent(state.restaurant.id)}` +
    (state.concept ? `&concept_id=${encodeURIComponent(state.concept)}` : "");
  const [zones, menu, stop] = await Promise.all([
    getJson(`/site-api/delivery_zones?${q}`),
    getJson(`/site-api/menu?${q}`),
    getJson(`/site-api/stop_list?restaurant_id=${encodeURIComponent(state.restaurant.id)}`),
  ]);
  state.zones = zones.zones || [];
  state.menu = menu.menu;
  state.offsetMinutes = offsetOf(menu.lastChange || zones.lastChange);
  state.stopped = new Set((stop.stop_lists || []).flatMap((s) => s.items.map((i) => i.id)));
  renderHeader();
  renderZones();
  renderMenu();
  renderCart();
  setMethod(state.method);
}

function renderHeader() {
  const r = state.restaurant;
  const concept = (r.concepts || []).find((c) => c.id === state.concept);
  $("restaurant-name").textContent = concept ? `${concept.name} — ${r.name}` : r.name;
  const allDay = r.start_time === undefined || r.end_time - r.start_time >= 86400;
  const hours = allDay ? "Круглосуточно" : `Работаем ${clock(r.start_time)}–${clock(r.end_time)}`;
  $("restaurant-info").textContent = [r.address, hours].filter(Boolean).join(" · ");
  const pickup = document.querySelector('input[value="pickup"]');
  pickup.disabled = r.self_delivery === false;
}

const clock = (secs) => {
  const s = ((secs % 86400) + 86400) % 86400;
  return `${String(Math.floor(s / 3600)).padStart(2, "0")}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}`;
};

// ---------------------------------------------------------------- zones (SVG)

// Zone polygons are [longitude, latitude] pairs. They are drawn in an equirectangular
// projection scaled by cos(latitude), which is true enough for a city's delivery zones.
let projection = null;

function renderZones() {
  const box = $("zones-map");
  box.textContent = "";
  const points = state.zones.flatMap((z) => z.coordinates.map(([lon, lat]) => [Number(lon), Number(lat)]));
  if (points.length === 0) {
    box.textContent = "Доставка не настроена.";
    return;
  }
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const W = 400;
  const spanX = (maxLon - minLon) * k || 1e-6;
  const spanY = (maxLat - minLat) || 1e-6;
  const pad = 0.08;
  const scale = W / (spanX * (1 + 2 * pad));
  const H = Math.round(spanY * (1 + 2 * pad) * scale);
  projection = {
    toXY: ([lon, lat]) => [((lon - minLon) * k + spanX * pad) * scale, ((maxLat - lat) + spanY * pad) * scale],
    toLonLat: ([x, y]) => [x / scale / k - spanX * pad / k + minLon, maxLat - (y / scale - spanY * pad)],
  };
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Зоны доставки");
  svg.id = "zones-svg";
  for (const zone of state.zones) {
    const poly = document.createElementNS(NS, "polygon");
    poly.setAttribute("points", zone.coordinates.map((c) => projection.toXY(c.map(Number)).map((v) => v.toFixed(1)).join(",")).join(" "));
    poly.dataset.zone = zone.id;
    const title = document.createElementNS(NS, "title");
    title.textContent = zone.name;
    poly.append(title);
    svg.append(poly);
    const xy = zone.coordinates.map((c) => projection.toXY(c.map(Number)));
    const cx = xy.reduce((s, p) => s + p[0], 0) / xy.length;
    const cy = xy.reduce((s, p) => s + p[1], 0) / xy.length;
    const label = document.createElementNS(NS, "text");
    label.setAttribute("x", cx.toFixed(1));
    label.setAttribute("y", cy.toFixed(1));
    label.setAttribute("text-anchor", "middle");
    label.textContent = zone.name.length > 24 ? zone.name.slice(0, 23) + "…" : zone.name;
    svg.append(label);
  }
  const marker = document.createElementNS(NS, "circle");
  marker.id = "point-marker";
  marker.setAttribute("r", "6");
  marker.setAttribute("fill", "#c0392b");
  marker.setAttribute("visibility", "hidden");
  svg.append(marker);
  svg.addEventListener("click", (event) => {
    const pt = svg.createSVGPoint();
    pt.x = event.clientX;
    pt.y = event.clientY;
    const local = pt.matrixTransform(svg.getScreenCTM().inverse());
    pickPoint(projection.toLonLat([local.x, local.y]));
  });
  box.append(svg);
}

// The same rule as the hub's routing: a point on a border is inside; where zones overlap,
// the cheapest delivery (then the lowest minimum) wins.
function inside([x, y], polygon) {
  let hit = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function pickPoint(lonLat) {
  state.point = lonLat;
  const candidates = state.zones
    .filter((z) => inside(lonLat, z.coordinates.map((c) => c.map(Number))))
    .sort((a, b) => kop(a.delivery_price) - kop(b.delivery_price) || kop(a.sum_min) - kop(b.sum_min));
  state.zone = candidates[0] || null;
  const marker = $("point-marker");
  const [x, y] = projection.toXY(lonLat);
  marker.setAttribute("cx", x.toFixed(1));
  marker.setAttribute("cy", y.toFixed(1));
  marker.setAttribute("visibility", "visible");
  for (const poly of document.querySelectorAll("#zones-svg polygon")) {
    poly.classList.toggle("selected", state.zone !== null && poly.dataset.zone === state.zone.id);
  }
  renderZoneInfo();
  renderCart();
}

function renderZoneInfo() {
  const info = $("zone-info");
  const z = state.zone;
  if (!state.point) {
    info.textContent = "Точка не выбрана";
  } else if (!z) {
    info.textContent = "Сюда мы не доставляем — выберите точку внутри зоны.";
  } else {
    const time = z.time_min !== undefined
      ? (z.time_max && z.time_max !== z.time_min ? `${z.time_min}–${z.time_max} мин` : `${z.time_min} мин`) : "—";
    info.replaceChildren(
      el("strong", {}, z.name),
      el("div", { id: "zone-minimum" }, `Минимальный заказ: ${rub(kop(z.sum_min))}`),
      el("div", { id: "zone-delivery" }, `Доставка: ${rub(kop(z.delivery_price))}`),
      el("div", { id: "zone-free" }, z.sum_for_free ? `Бесплатно от ${rub(kop(z.sum_for_free))}` : "Бесплатной доставки нет"),
      el("div", { id: "zone-time" }, `Время доставки: ${time}`),
    );
  }
}

// ---------------------------------------------------------------- menu

function renderMenu() {
  const box = $("menu");
  box.textContent = "";
  const categories = [...(state.menu.categories || [])].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
  for (const category of categories) {
    const items = state.menu.items
      .filter((i) => i.categoryId === category.id)
      .sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
    if (items.length === 0) continue;
    const section = el("section", { class: "category" }, el("h3", {}, category.name));
    for (const item of items) {
      const stopped = state.stopped.has(item.id);
      const button = el("button", { type: "button", "data-item": item.id, onclick: () => choose(item) }, stopped ? "Нет" : "В корзину");
      button.disabled = stopped;
      section.append(el("div", { class: "item" + (stopped ? " unavailable" : ""), "data-item": item.id },
        el("div", {},
          el("div", { class: "name" }, item.name),
          item.description ? el("div", { class: "muted" }, item.description) : "",
          stopped ? el("div", { class: "badge" }, "Нет в наличии") : ""),
        el("span", { class: "price" }, rub(kop(item.price))),
        button));
    }
    box.append(section);
  }
}

// An item with modifier groups opens a dialog that enforces each group's
// minSelectedModifiers…maxSelectedModifiers (distinct modifiers) and each modifier's
// minAmount…maxAmount, as the hub checks them.
function choose(item) {
  const groups = item.modifiers || [];
  if (groups.length === 0) {
    addToCart(item, []);
    return;
  }
  const picked = new Map(); // modifier id -> count
  const dialog = $("modifiers-dialog");
  $("modifiers-title").textContent = item.name;
  const box = $("modifier-groups");
  const render = () => {
    box.textContent = "";
    let ok = true;
    for (const group of groups) {
      const chosen = group.modifiers.filter((m) => (picked.get(m.id) || 0) > 0).length;
      const min = group.minSelectedModifiers;
      const max = group.maxSelectedModifiers;
      if (chosen < min || chosen > max) ok = false;
      const rule = min === max ? `выберите ${min}` : `выберите от ${min} до ${max}`;
      const node = el("div", { class: "group", "data-group": group.id }, el("strong", {}, group.name), " ", el("span", { class: "rule" }, `(${rule})`));
      for (const mod of group.modifiers) {
        const count = picked.get(mod.id) || 0;
        const maxAmount = mod.maxAmount ?? 1;
        const minAmount = Math.max(1, mod.minAmount ?? 1);
        const plus = el("button", { type: "button", class: "small", "data-modifier": mod.id, "aria-label": `Добавить ${mod.name}`, onclick: () => { picked.set(mod.id, count === 0 ? minAmount : count + 1); render(); } }, "+");
        plus.disabled = count >= maxAmount || (count === 0 && chosen >= max);
        const minus = el("button", { type: "button", class: "small", "aria-label": `Убрать ${mod.name}`, onclick: () => { picked.set(mod.id, count - 1 < minAmount ? 0 : count - 1); render(); } }, "−");
        minus.disabled = count === 0;
        node.append(el("div", { class: "modifier" }, el("span", {}, `${mod.name} +${rub(kop(mod.price))}`), el("span", { class: "qty" }, minus, ` ${count} `, plus)));
      }
      box.append(node);
    }
    $("modifiers-add").disabled = !ok;
    $("modifiers-error").textContent = ok ? "" : "Выберите допустимое количество добавок.";
  };
  render();
  // Added on the click itself (a dialog's close event comes later, as a task).
  $("modifiers-add").onclick = (event) => {
    event.preventDefault();
    const modifiers = groups.flatMap((g) => g.modifiers)
      .filter((m) => (picked.get(m.id) || 0) > 0)
      .map((m) => ({ mod: m, count: picked.get(m.id) }));
    dialog.close("add");
    addToCart(item, modifiers);
  };
  dialog.returnValue = "";
  dialog.showModal();
}

function addToCart(item, modifiers) {
  const key = item.id + "|" + modifiers.map((m) => `${m.mod.id}x${m.count}`).join(",");
  const line = state.cart.find((l) => l.key === key);
  if (line) line.count += 1;
  else state.cart.push({ key, item, count: 1, modifiers });
  clearErrors();
  renderCart();
}

// ---------------------------------------------------------------- cart and totals

// The hub's arithmetic (core/src/order/mod.rs, "Money"): a line is
// count × (cost + Σ modifier count × modifier cost); courier delivery is 0 at or above the
// zone's sum_for_free (0 or absent: no free tier), else its delivery_price; pickup is 0;
// total = subtotal + delivery.
function unitKop(line) {
  return kop(line.item.price) + line.modifiers.reduce((s, m) => s + m.count * kop(m.mod.price), 0);
}

function totals() {
  const subtotal = state.cart.reduce((s, l) => s + l.count * unitKop(l), 0);
  let delivery = 0;
  if (state.method === "courier" && state.zone) {
    const threshold = state.zone.sum_for_free === undefined ? 0 : kop(state.zone.sum_for_free);
    const free = threshold > 0 && subtotal >= threshold;
    delivery = free ? 0 : kop(state.zone.delivery_price);
  }
  return { subtotal, delivery, total: subtotal + delivery };
}

function renderCart() {
  const box = $("cart");
  box.textContent = "";
  if (state.cart.length === 0) box.append(el("p", { class: "muted" }, "Корзина пуста"));
  state.cart.forEach((line, index) => {
    const mods = line.modifiers.map((m) => (m.count > 1 ? `${m.mod.name} ×${m.count}` : m.mod.name)).join(", ");
    box.append(el("div", { class: "cart-line", "data-line": String(index) },
      el("div", {}, el("div", {}, line.item.name), mods ? el("div", { class: "mods" }, mods) : "",
        el("p", { class: "field-error", "data-error-for": `cart.items[${index}]` })),
      el("div", { class: "qty" },
        el("button", { type: "button", class: "small", "aria-label": "Меньше", onclick: () => { line.count -= 1; if (line.count === 0) state.cart.splice(index, 1); renderCart(); } }, "−"),
        el("span", {}, String(line.count)),
        el("button", { type: "button", class: "small", "aria-label": "Больше", onclick: () => { line.count += 1; renderCart(); } }, "+"),
        el("span", { class: "price" }, rub(line.count * unitKop(line))))));
  });
  const t = totals();
  $("subtotal").textContent = rub(t.subtotal);
  $("delivery-price").textContent = rub(t.delivery);
  $("total").textContent = rub(t.total);
}

function setMethod(method) {
  state.method = method;
  const courier = method === "courier";
  $("delivery-block").hidden = !courier;
  $("address-label").hidden = !courier;
  renderCart();
}

// ---------------------------------------------------------------- ordering

// `date` is restaurant-local (the hub does not compare it with its clock): the wall time
// in the restaurant's IANA zone (`timezone`, the hub's extension to /restaurants; summer
// time included), else in the offset the restaurant's documents carry in `lastChange`.
function localNow() {
  const now = new Date();
  const zone = state.restaurant && state.restaurant.timezone;
  if (zone) {
    try {
      const parts = {};
      new Intl.DateTimeFormat("en-US", {
        timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", second: "2-digit",
      }).formatToParts(now).forEach((p) => { parts[p.type] = p.value; });
      const hour = String(Number(parts.hour) % 24).padStart(2, "0");
      return `${parts.year}-${parts.month}-${parts.day} ${hour}:${parts.minute}:${parts.second}`;
    } catch (_) {
      // A zone this browser does not know: the offset below.
    }
  }
  const d = new Date(now.getTime() + state.offsetMinutes * 60000);
  return d.toISOString().slice(0, 19).replace("T", " ");
}

// The offset of a `lastChange` (`2024-05-21T16:19:13.000+03:00`) in minutes; 0 without one.
function offsetOf(lastChange) {
  const m = /([+-])(\d\d):(\d\d)$/.exec(lastChange || "");
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function buildOrder() {
  const t = totals();
  const courier = state.method === "courier";
  const body = {
    number: `web-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
    restaurant_id: state.restaurant.id,
    date: localNow(),
    delivery_method: state.method,
    persons: 1,
    comment: $("comment").value,
    cart: {
      items: state.cart.map((line) => ({
        id: line.item.id,
        name: line.item.name,
        count: line.count,
        cost: asRoubles(kop(line.item.price)),
        ...(line.modifiers.length ? {
          modifiers: line.modifiers.map((m) => ({ id: m.mod.id, name: m.mod.name, count: m.count, cost: asRoubles(kop(m.mod.price)) })),
        } : {}),
      })),
      delivery: asRoubles(t.delivery),
      total: asRoubles(t.total),
    },
    client: { name: $("client-name").value, phone: $("client-phone").value },
    payment: { method: $("payment-method").value, sum: asRoubles(t.total) },
  };
  if (state.concept) body.concept_id = state.concept;
  if (courier) {
    body.address = { name: $("address-name").value };
    if (state.zone) body.address.zone_id = state.zone.id;
    if (state.point) body.address.coords = { latitude: state.point[1].toFixed(6), longitude: state.point[0].toFixed(6) };
  }
  return { action: "new_order", body };
}

function clearErrors() {
  for (const node of document.querySelectorAll("[data-error-for]")) node.textContent = "";
  for (const node of document.querySelectorAll(".has-error")) node.classList.remove("has-error");
  $("general-errors").textContent = "";
}

// Each violation is shown next to the field it names: the nearest element whose
// data-error-for is the field or a prefix of it (cart.items[1].modifiers → cart.items[1]);
// the rest (no field, or one this page has no place for) in the general box.
const parentField = (name) => {
  const m = name.match(/^(.*)(\.[^.[\]]+|\[\d+\])$/);
  return m ? m[1] : "";
};

function showErrors(errors) {
  clearErrors();
  for (const error of errors) {
    let target = null;
    for (let name = error.field || ""; name && !target; name = parentField(name)) {
      target = document.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    }
    target = target || $("general-errors");
    const text = CODE_TEXT[error.code] ? CODE_TEXT[error.code]() : error.message;
    target.append(el("div", { class: "error", "data-code": error.code, title: error.message }, text));
    const label = target.previousElementSibling;
    if (label && label.tagName === "LABEL") label.classList.add("has-error");
  }
  const first = document.querySelector(".field-error:not(:empty)");
  if (first) first.scrollIntoView({ block: "center" });
}

async function submit(event) {
  event.preventDefault();
  const button = $("submit");
  button.disabled = true;
  try {
    const order = buildOrder();
    const response = await fetch(API + "/site-api/order", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(order),
    });
    const answer = await response.json().catch(() => ({}));
    if (response.ok && answer.order_id) {
      state.orderId = answer.order_id;
      state.number = order.body.number;
      showStatus();
    } else {
      showErrors(answer.errors || [{ code: "unknown", field: null, message: answer.error || `Ошибка ${response.status}` }]);
    }
  } catch (err) {
    showErrors([{ code: "network", field: null, message: `Нет связи с сервером: ${err.message}` }]);
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- status timeline

function showStatus() {
  $("order-section").hidden = true;
  $("status-section").hidden = false;
  $("order-number").textContent = state.orderId;
  poll();
}

async function poll() {
  clearTimeout(state.pollTimer);
  try {
    const order = await getJson(`/site-api/orders/${encodeURIComponent(state.orderId)}`);
    renderTimeline(order);
    if (order.status === 30 || order.status === 5) return; // final: nothing more will come
  } catch (err) {
    // A missed poll is retried; the timeline keeps what it showed.
  }
  state.pollTimer = setTimeout(poll, POLL_MS);
}

function renderTimeline(order) {
  const list = $("timeline");
  list.textContent = "";
  const at = new Map(order.history.map((h) => [h.status, h.at]));
  const steps = order.status === 5 ? [...STATUS_ORDER.filter((s) => at.has(s)), 5] : STATUS_ORDER;
  const currentIndex = steps.indexOf(order.status);
  steps.forEach((status, i) => {
    const cls = status === 5 ? "cancelled" : i < currentIndex ? "done" : i === currentIndex ? "current" : "";
    const time = at.get(status) ? ` · ${hhmm(at.get(status))}` : "";
    list.append(el("li", { class: cls, "data-status": String(status) }, STATUS_NAMES[status] + time));
  });
  list.dataset.current = String(order.status);
  renderEvents(order.timeline || []);
}

// The hub answers times in the restaurant's own zone (`2026-12-05T21:40:00+03:00`): its wall
// clock is what the customer is told, whatever zone the browser is in.
function hhmm(at) {
  const local = /T(\d{2}):(\d{2})/.exec(at || "");
  if (local) return `${local[1]}:${local[2]}`;
  return new Date(at).toLocaleTimeString("ru-RU", { hour: "2-digit", minute: "2-digit" });
}

// The timeline's events, newest last; a driver's many positions show as the latest one.
function renderEvents(timeline) {
  const list = $("events");
  list.textContent = "";
  const lastLocation = timeline.map((e) => e.kind).lastIndexOf("driver_location");
  timeline.forEach((event, i) => {
    if (event.kind === "driver_location" && i !== lastLocation) return;
    const eta = event.eta ? ` · ожидается к ${hhmm(event.eta)}` : "";
    const name = EVENT_NAMES[event.kind] || event.kind;
    list.append(el("li", { "data-kind": event.kind }, `${name} · ${hhmm(event.at)}${eta}`));
  });
  $("events-title").hidden = list.children.length === 0;
  list.dataset.count = String(list.children.length);
}

// ---------------------------------------------------------------- wiring

document.addEventListener("DOMContentLoaded", () => {
  for (const radio of document.querySelectorAll('input[name="method"]')) {
    radio.addEventListener("change", () => setMethod(radio.value));
  }
  $("checkout").addEventListener("submit", submit);
  $("new-order").addEventListener("click", () => {
    clearTimeout(state.pollTimer);
    state.cart = [];
    state.orderId = null;
    $("status-section").hidden = true;
    $("order-section").hidden = false;
    renderCart();
  });
  load().catch((err) => {
    $("restaurant-name").textContent = "Не удалось загрузить меню";
    $("restaurant-info").textContent = err.message;
  });
});

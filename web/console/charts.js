// Charts in plain SVG: no library, nothing downloaded. Each chart is role="img" with a
// <title> and an aria-label that carry its figures, so a screen reader gets the numbers a
// sighted reader gets from the picture.

const NS = "http://www.w3.org/2000/svg";
const W = 640;
const H = 220;
const PAD = { left: 40, right: 10, top: 10, bottom: 28 };

function node(tag, attrs = {}, text) {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

function frame(label, extraClass) {
  const svg = node("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label, class: `chart ${extraClass}` });
  svg.append(node("title", {}, label));
  return svg;
}

// A "nice" upper bound for an axis: 1, 2 or 5 × 10^n at or above max.
function niceMax(max) {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= max);
}

function axes(svg, max, format) {
  const plotH = H - PAD.top - PAD.bottom;
  for (const f of [0, 0.5, 1]) {
    const y = PAD.top + plotH * (1 - f);
    svg.append(node("line", { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: "grid" }));
    svg.append(node("text", { x: PAD.left - 4, y: y + 4, "text-anchor": "end", class: "tick" }, format(max * f)));
  }
}

function xLabels(svg, labels, step) {
  const plotW = W - PAD.left - PAD.right;
  const every = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((label, i) => {
    if (i % every !== 0) return;
    const x = PAD.left + step * i + step / 2;
    svg.append(node("text", { x, y: H - 8, "text-anchor": "middle", class: "tick x" }, label));
  });
  return plotW;
}

// Stacked bars: one bar per bucket, one segment per series.
// series: [{key, label, className}]; rows: [{label, values: {key: n}}]
export function stackedBars({ title, series, rows, summary }) {
  const svg = frame(`${title}. ${summary}`, "bars");
  svg.dataset.buckets = String(rows.length);
  const totals = rows.map((r) => series.reduce((s, x) => s + (r.values[x.key] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  axes(svg, max, (v) => String(Math.round(v)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, rows.length);
  rows.forEach((row, i) => {
    let base = 0;
    for (const s of series) {
      const v = row.values[s.key] || 0;
      if (v === 0) continue;
      const h = (v / max) * plotH;
      const rect = node("rect", {
        x: (PAD.left + step * i + step * 0.12).toFixed(1),
        y: (PAD.top + plotH - base - h).toFixed(1),
        width: (step * 0.76).toFixed(1),
        height: h.toFixed(1),
        class: `bar ${s.className}`,
      });
      rect.append(node("title", {}, `${row.label}: ${s.label} ${v}`));
      svg.append(rect);
      base += h;
    }
  });
  xLabels(svg, rows.map((r) => r.label), step);
  return svg;
}

// A line of values 0..1 (a share), one point per bucket.
export function shareLine({ title, rows, summary }) {
  const svg = frame(`${title}. ${summary}`, "line");
  const max = niceMax(Math.max(0.01, ...rows.map((r) => r.value)));
  axes(svg, max, (v) => `${Math.round(v * 1000) / 10}%`);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, rows.length);
  const points = rows.map((r, i) => [PAD.left + step * i + step / 2, PAD.top + plotH * (1 - r.value / max)]);
  svg.append(node("polyline", { points: points.map((p) => p.map((v) => v.toFixed(1)).join(",")).join(" "), class: "share" }));
  points.forEach(([x, y], i) => {
    const dot = node("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 3, class: "share-dot" });
    dot.append(node("title", {}, `${rows[i].label}: ${Math.round(rows[i].value * 1000) / 10}%`));
    svg.append(dot);
  });
  xLabels(svg, rows.map((r) => r.label), step);
  return svg;
}

// Two horizontal bars: p50 and p95 of the window (milliseconds).
export function latencyBars({ title, p50, p95, summary }) {
  const h = 90;
  const svg = node("svg", { viewBox: `0 0 ${W} ${h}`, role: "img", "aria-label": `${title}. ${summary}`, class: "chart latency" });
  svg.append(node("title", {}, `${title}. ${summary}`));
  const max = niceMax(Math.max(1, p50 || 0, p95 || 0));
  const width = W - 120;
  [["p50", p50], ["p95", p95]].forEach(([label, v], i) => {
    const y = 12 + i * 38;
    svg.append(node("text", { x: 0, y: y + 18, class: "tick" }, label));
    if (v !== null && v !== undefined) {
      svg.append(node("rect", { x: 40, y, width: Math.max(1, (v / max) * width).toFixed(1), height: 26, class: `bar ${label}` }));
      svg.append(node("text", { x: 46 + (v / max) * width, y: y + 18, class: "tick" }, `${v} ms`));
    } else {
      svg.append(node("text", { x: 40, y: y + 18, class: "tick" }, "—"));
    }
  });
  return svg;
}

// The delivery zones (equirectangular, x scaled by cos(latitude), as the storefront draws
// them); zones: [{id, name, coordinates: [[lon, lat], …]}].
export function zonesMap({ title, zones }) {
  const points = zones.flatMap((z) => (z.coordinates || []).map(([lon, lat]) => [Number(lon), Number(lat)]));
  const w = 400;
  if (points.length === 0) return null;
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const spanX = (maxLon - minLon) * k || 1e-6;
  const spanY = (maxLat - minLat) || 1e-6;
  const pad = 0.06;
  const scale = w / (spanX * (1 + 2 * pad));
  const h = Math.round(spanY * (1 + 2 * pad) * scale);
  const xy = ([lon, lat]) => [((lon - minLon) * k + spanX * pad) * scale, ((maxLat - lat) + spanY * pad) * scale];
  const svg = node("svg", { viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": title, class: "zones" });
  svg.append(node("title", {}, title));
  zones.forEach((zone, i) => {
    const poly = node("polygon", {
      points: zone.coordinates.map((c) => xy(c.map(Number)).map((v) => v.toFixed(1)).join(",")).join(" "),
      class: `zone z${i % 6}`,
      "data-zone": zone.id,
    });
    poly.append(node("title", {}, zone.name));
    svg.append(poly);
  });
  return svg;
}

// The console's one way to the hub. The session is an HttpOnly cookie the page never sees
// (credentials: "same-origin"); the CSRF token from the sign-in answer lives in this
// module's memory only (never localStorage/sessionStorage): after a reload
// GET /admin/session gives it back. Every non-GET carries it as X-CSRF-Token. A 401 means
// the session is gone: the page is told (onSignedOut) and shows the sign-in screen.

let csrf = null;
let signedOut = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    const detail = body && (body.message || body.error || (body.errors && body.errors.map((e) => e.message || e.code).join("; ")));
    super(detail ? `${status} ${detail}` : String(status));
    this.status = status;
    this.body = body;
  }
}

export function onSignedOut(callback) {
  signedOut = callback;
}

async function call(method, path, body, { quiet401 = false } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrf) headers["X-CSRF-Token"] = csrf;
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = { message: text.slice(0, 200) }; }
  if (response.status === 401 && !quiet401) {
    csrf = null;
    signedOut();
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body ?? {});
export const put = (path, body) => call("PUT", path, body ?? {});
export const del = (path) => call("DELETE", path);

// POST /admin/session with the key; the key is not kept anywhere after this call.
export async function signIn(key) {
  const answer = await call("POST", "/admin/session", { key }, { quiet401: true });
  csrf = answer.csrf_token;
  return answer;
}

// A reloaded page: is there a live session? (its token back, else null)
export async function restore() {
  try {
    const answer = await call("GET", "/admin/session", undefined, { quiet401: true });
    csrf = answer.csrf_token;
    return answer;
  } catch (_) {
    return null;
  }
}

export async function signOut() {
  try {
    await call("DELETE", "/admin/session", undefined, { quiet401: true });
  } finally {
    csrf = null;
  }
}

export const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "" && v !== false) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
};

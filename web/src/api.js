// The client of /web/api/: JSON in and out, the session's CSRF token on every request that changes something,
// and one error type carrying the server's sentence. A 401 (session gone) is reported to whoever listens, so the
// page can go back to the sign-in form.

const base = '/web/api/';
let csrf = null;
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The token POST/GET session gave; sent as X-Caldera-CSRF on every non-GET request. */
export function setCsrf(token) {
  csrf = token || null;
}

/** Called with no arguments when the server says the session is missing or ended (401). */
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

/** The URL of an API path (for links, such as an export). */
export function apiUrl(path) {
  return base + path;
}

/**
 * Calls the API. `path` is relative to /web/api/ and must already be encoded. Resolves to the parsed JSON (null for
 * 204); rejects with ApiError. `quiet401` leaves a 401 to the caller (the session probe and the sign-in form).
 */
export async function request(method, path, body, { quiet401 = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-Caldera-CSRF'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
    });
  } catch {
    throw new ApiError(0, 'The server could not be reached. Check the connection and try again.');
  }
  let data = null;
  const type = response.headers.get('Content-Type') || '';
  if (response.status !== 204 && type.includes('json')) {
    try { data = await response.json(); } catch { data = null; }
  }
  if (!response.ok) {
    if (response.status === 401 && !quiet401) onUnauthorized();
    const sentence = data && typeof data.error === 'string' ? data.error : describe(response.status);
    throw new ApiError(response.status, sentence);
  }
  return data;
}

function describe(status) {
  if (status === 401) return 'You are signed out. Sign in again.';
  if (status === 403) return 'That is not allowed.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Wait a few minutes and try again.';
  if (status === 501) return 'The server does not offer this yet.';
  return `The server answered ${status}.`;
}

export const get = (path, options) => request('GET', path, undefined, options);
export const post = (path, body, options) => request('POST', path, body, options);
export const put = (path, body) => request('PUT', path, body);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

/** Encodes one path segment (ids come from the server, but never trust them to be URL-safe). */
export const seg = (value) => encodeURIComponent(String(value));

// The client of the management API for the admin page, signed in one of two ways (docs/deploy.md):
// - with a function key: /manage/{path}, the key only in the x-functions-key header, kept in sessionStorage (gone
//   when the tab closes), never in a URL;
// - with Microsoft Entra ID (App Service Authentication in front of the app): /web/api/admin/{path}, the platform's
//   cookie signs the requests and writes carry X-Caldera-CSRF (a cross-site form cannot send a header).
const storageKey = 'caldera.functionKey';
const entraBase = '/web/api/admin/';

export class ManageError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export const key = {
  get: () => sessionStorage.getItem(storageKey) || '',
  set: (value) => sessionStorage.setItem(storageKey, value),
  forget: () => sessionStorage.removeItem(storageKey),
};

let mode = 'key'; // or 'entra'

/** Switches between the function key ("key") and an Entra ID sign-in ("entra"). */
export function useMode(value) {
  mode = value;
}

/**
 * Asks whether an administrator is signed in with Entra ID. Resolves to { signedIn: true, name } or
 * { signedIn: false, login } (where to sign in) when the app offers it, or null when it does not (404, error).
 */
export async function entraStatus() {
  try {
    const response = await fetch(`${entraBase}me`, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
    const body = (response.headers.get('Content-Type') || '').includes('json') ? await response.json() : null;
    if (response.ok && body) return { signedIn: true, name: body.name };
    if (response.status === 401) return { signedIn: false, login: safeLogin(body && body.login) };
    if (response.status === 403) return { signedIn: false, refused: body && body.error ? body.error : 'Your account does not hold the administrator role.' };
    return null;
  } catch {
    return null;
  }
}

// Only a same-site path to the platform's sign-in is followed.
function safeLogin(path) {
  return typeof path === 'string' && path.startsWith('/.auth/login/') ? path : '/.auth/login/aad?post_login_redirect_uri=/web/admin';
}

/** Calls the management operation `path` (already encoded, without "manage/"); JSON in and out; rejects with ManageError. */
export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let url;
  if (mode === 'entra') {
    url = entraBase + path;
    if (method !== 'GET' && method !== 'HEAD') headers['X-Caldera-CSRF'] = '1';
  } else {
    url = `/manage/${path}`;
    headers['x-functions-key'] = key.get();
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: mode === 'entra' ? 'same-origin' : 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ManageError(0, 'The server could not be reached.');
  }
  let data = null;
  if (response.status !== 204 && (response.headers.get('Content-Type') || '').includes('json')) {
    try { data = await response.json(); } catch { data = null; }
  }
  if (!response.ok) {
    const sentence = data && typeof data.error === 'string' ? data.error
      : response.status === 401 || response.status === 403 ? 'The function key was refused.'
        : `The server answered ${response.status}.`;
    throw new ManageError(response.status, sentence, data);
  }
  return data;
}

export const seg = (value) => encodeURIComponent(String(value));

// The client of the management API (/manage/…) for the admin page. The function key travels only in the
// x-functions-key header; it is kept in sessionStorage (gone when the tab closes), never in a URL.
const storageKey = 'caldera.functionKey';

export class ManageError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const key = {
  get: () => sessionStorage.getItem(storageKey) || '',
  set: (value) => sessionStorage.setItem(storageKey, value),
  forget: () => sessionStorage.removeItem(storageKey),
};

/** Calls /manage/{path} (`path` already encoded) with the stored key; JSON in and out; rejects with ManageError. */
export async function request(method, path, body) {
  const headers = { Accept: 'application/json', 'x-functions-key': key.get() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(`/manage/${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store',
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
    throw new ManageError(response.status, sentence);
  }
  return data;
}

export const seg = (value) => encodeURIComponent(String(value));

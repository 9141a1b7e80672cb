// The signed-in session: who it is and the CSRF token, from POST/GET /web/api/session.
import * as api from './api.js';

/** The current session ({ user, displayName, email, csrf, serverUrl, principalUrl, homeUrl }) or null. */
export async function load() {
  try {
    const session = await api.get('session', { quiet401: true });
    api.setCsrf(session.csrf);
    return session;
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Signs in; resolves to the full session (GET session after POST, for the URLs). Rejects with ApiError. */
export async function signIn(user, password) {
  const created = await api.post('session', { user, password }, { quiet401: true });
  api.setCsrf(created.csrf);
  return (await load()) ?? created;
}

/** Ends the session on the server (best effort: a session that already ended is fine). */
export async function signOut() {
  try {
    await api.request('DELETE', 'session', undefined, { quiet401: true });
  } finally {
    api.setCsrf(null);
  }
}

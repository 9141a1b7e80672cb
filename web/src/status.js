// The page's live region (role="status", id "status"): one sentence saying what just succeeded or failed.
// It stays until the next message, so it can be read at leisure (and found by tests).

/** Shows `message` in #status; `kind` is "ok" or "error" (styling only: the words say which). */
export function say(message, kind = 'ok') {
  const region = document.getElementById('status');
  if (!region) return;
  region.dataset.kind = kind;
  region.textContent = message;
}

/** Says what went wrong (the API's error sentence, or a generic one), after `what` failed. */
export function sayError(error, what) {
  const reason = error && error.message ? error.message : 'Something went wrong.';
  say(what ? `${what} failed: ${reason}` : reason, 'error');
}

/** Empties the live region (when the page changes). */
export function clearStatus() {
  const region = document.getElementById('status');
  if (region) region.textContent = '';
}

// The user's page at /web/: sign in, then one view per hash route inside the signed-in frame.
import * as api from './api.js';
import { h, replace } from './dom.js';
import { start, defaultRoute } from './router.js';
import * as session from './session.js';
import { routes, showHeader, showSignedOutHeader, markCurrent } from './shell.js';
import { say, clearStatus } from './status.js';
import * as signin from './views/signin.js';
import * as calendar from './views/calendar.js';
import * as calendars from './views/calendars.js';
import * as devices from './views/devices.js';
import * as sharing from './views/sharing.js';
import * as subscriptions from './views/subscriptions.js';
import * as invitations from './views/invitations.js';

const views = { calendar, calendars, devices, sharing, subscriptions, invitations };

const header = document.getElementById('top');
const main = document.getElementById('main');

let current = null; // the signed-in session
let stopRouter = null;
let cleanup = null; // what the shown view leaves to undo (FullCalendar)
let moveFocus = false; // false for the first view after the page loads (focus stays at the top of the page)

function leaveView() {
  if (cleanup) {
    try { cleanup(); } catch { /* the view is going away anyway */ }
  }
  cleanup = null;
}

async function showRoute(route) {
  if (!current) return;
  const known = routes.some((r) => r.name === route.name);
  const name = known ? route.name : defaultRoute;
  leaveView();
  if (moveFocus) clearStatus(); // a message belongs to the view it was said in
  markCurrent(header, name);
  const view = views[name];
  // A view draws its heading at once and then loads its data: focus moves to the heading now (after navigation, not
  // on first load) so screen readers hear where they are, and never later, when it would pull focus from a field.
  let pending;
  try {
    // Runs synchronously up to the view's first await, so its heading is in the page when this returns.
    pending = Promise.resolve(view.show(main, {
      session: current,
      params: route.params,
      onSessionEnded: () => signedOut('The app password of this session was revoked, so it has ended. Sign in again.'),
    }));
  } catch (error) {
    pending = Promise.reject(error);
  }
  if (moveFocus) main.querySelector('h1')?.focus();
  moveFocus = true;
  try {
    cleanup = (await pending) || null;
  } catch (error) {
    replace(main, h('h1', { tabIndex: -1, text: routes.find((r) => r.name === name).label }),
      h('p', { class: 'error', text: `This page could not be shown: ${error && error.message ? error.message : error}` }));
  }
  if (!known) say(`There is no page "${route.name}"; showing the calendar.`, 'error');
}

function signedIn(s) {
  current = s;
  clearStatus();
  showHeader(header, s, signOut);
  stopRouter?.();
  stopRouter = start(showRoute);
}

function signedOut(notice) {
  current = null;
  stopRouter?.();
  stopRouter = null;
  leaveView();
  showSignedOutHeader(header);
  // After signing in by the form, focus goes to the first view's heading (the form it was in is gone).
  signin.show(main, { onSignedIn: (s) => { moveFocus = true; signedIn(s); }, notice });
}

async function signOut() {
  try {
    await session.signOut();
  } catch {
    // Ended or unreachable: either way the page forgets the session.
  }
  clearStatus();
  signedOut();
  say('You are signed out.');
}

api.whenUnauthorized(() => {
  if (current) signedOut('Your session has ended. Sign in again.');
});

// The skip link targets <main> without touching the hash (the hash is the router's).
document.getElementById('skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

(async () => {
  try {
    const s = await session.load();
    if (s) signedIn(s);
    else signedOut();
  } catch (error) {
    signedOut(`The server could not be asked whether you are signed in: ${error.message}`);
  }
})();

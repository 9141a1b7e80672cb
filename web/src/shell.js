// The frame around every view once signed in: the header (who is signed in, Sign out) and the main navigation.
import { h, replace } from './dom.js';
import { href } from './router.js';

export const routes = [
  { name: 'calendar', label: 'Calendar' },
  { name: 'calendars', label: 'Calendars' },
  { name: 'devices', label: 'Devices' },
  { name: 'sharing', label: 'Sharing' },
  { name: 'subscriptions', label: 'Subscriptions' },
  { name: 'invitations', label: 'Invitations' },
];

/** Fills the header for `session`; `onSignOut` runs when Sign out is pressed. */
export function showHeader(header, session, onSignOut) {
  const who = h('p', { class: 'who' },
    h('span', { class: 'display-name', text: session.displayName || session.user }),
    ' ',
    h('span', { class: 'user-name', data: { testid: 'user-name' }, text: session.user }));
  const signOut = h('button', { type: 'button', class: 'secondary', text: 'Sign out', on: { click: onSignOut } });
  const nav = h('nav', { attrs: { 'aria-label': 'Main' } },
    h('ul', {}, routes.map((r) => h('li', {}, h('a', { href: href(r.name), text: r.label, data: { route: r.name } })))));
  replace(header,
    h('div', { class: 'bar' }, brand(), h('div', { class: 'account' }, who, signOut)),
    nav);
}

/** The header without a session: just the name of the app. */
export function showSignedOutHeader(header) {
  replace(header, h('div', { class: 'bar' }, brand()));
}

/** Marks the link of the route being shown (aria-current) so it is announced and styled. */
export function markCurrent(header, name) {
  for (const link of header.querySelectorAll('nav a[data-route]')) {
    if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function brand() {
  return h('p', { class: 'brand' }, h('img', { src: '/web/assets/favicon.svg', alt: '', width: 24, height: 24 }), 'Caldera');
}

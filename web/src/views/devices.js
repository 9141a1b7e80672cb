// The Devices view: what a calendar app needs (server URL, user name), making an app password (its clear text
// shown once), and the list of app passwords with Revoke.
import * as api from '../api.js';
import { focusHeading, h, field, replace, table, cell } from '../dom.js';
import { copyText } from '../clipboard.js';
import { confirmAction } from '../dialog.js';
import { when } from '../format.js';
import { say, sayError } from '../status.js';

export async function show(main, { session, onSessionEnded }) {
  const serverInput = h('input', { type: 'text', readOnly: true, value: session.serverUrl || '', class: 'url' });
  const userInput = h('input', { type: 'text', readOnly: true, value: session.user, class: 'url' });
  const created = h('div', { class: 'created', attrs: { 'aria-live': 'polite' } });
  const list = h('div', {}, h('p', { text: 'Loading app passwords…' }));

  const label = h('input', { type: 'text', required: true, maxLength: 100, placeholder: 'e.g. Phone' });
  const form = h('form', { class: 'card', on: {
    submit: async (event) => {
      event.preventDefault();
      try {
        const made = await api.post('passwords', { label: label.value.trim() });
        form.reset();
        showCreated(made);
        say(`App password “${made.label}” created. Copy it now: it will not be shown again.`);
        await load();
      } catch (error) {
        sayError(error, 'Creating the app password');
      }
    },
  } },
  h('h2', { id: 'new-password-title', text: 'New app password' }),
  h('p', { text: 'Make one app password per device, so that you can revoke one device without touching the others.' }),
  field('Device name', label),
  h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Create app password' })),
  created);

  replace(main,
    h('h1', { tabIndex: -1, text: 'Devices' }),
    h('section', { class: 'card' },
      h('h2', { id: 'setup-title', text: 'Set up a calendar app' }),
      h('p', { text: 'Enter these in the app’s CalDAV account settings, with a new app password from below as the password.' }),
      h('div', { class: 'copy-row' }, field('Server URL', serverInput),
        h('button', { type: 'button', class: 'secondary', text: 'Copy server URL', on: { click: () => copyText(serverInput.value, 'Server URL', serverInput) } })),
      h('div', { class: 'copy-row' }, field('Your user name', userInput))),
    form,
    h('section', {},
      h('h2', { id: 'passwords-title', text: 'App passwords' }),
      list));

  function showCreated(made) {
    const secret = h('code', { class: 'secret', data: { testid: 'new-password' }, text: made.password });
    replace(created, h('div', { class: 'notice' },
      h('h3', { text: `Password for “${made.label}”` }),
      h('p', {}, secret),
      h('p', { text: 'Copy it into the device now. It is not stored in readable form and will not be shown again.' }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', text: 'Copy password', on: { click: () => copyText(made.password, 'Password') } }),
        h('button', { type: 'button', class: 'secondary', text: 'Done', on: { click: () => replace(created) } }))));
  }

  async function load() {
    try {
      const passwords = await api.get('passwords');
      replace(list, passwords.length
        ? table('Your app passwords', ['Device', 'Created', 'Actions'], passwords.map((p) => row(p)))
        : h('p', { text: 'No app passwords.' }));
    } catch (error) {
      replace(list, h('p', { class: 'error', text: `The app passwords could not be loaded: ${error.message}` }));
    }
  }

  function row(p) {
    return h('tr', { data: { passwordId: p.id } },
      cell('Device', p.label, p.current ? h('span', { class: 'badge', text: 'this session' }) : null),
      cell('Created', when(p.created)),
      cell('Actions', h('button', { type: 'button', class: 'danger', text: 'Revoke', on: { click: () => revoke(p) } })));
  }

  async function revoke(p) {
    const ok = await confirmAction({
      title: `Revoke “${p.label}”?`,
      message: p.current
        ? 'Devices using this password can no longer sign in. You signed in to this page with it, so you will be signed out.'
        : 'Devices using this password can no longer sign in. This cannot be undone.',
      confirmLabel: 'Revoke password',
    });
    if (!ok) return;
    try {
      await api.del(`passwords/${api.seg(p.id)}`);
      say(`App password “${p.label}” revoked.`);
      if (p.current) {
        onSessionEnded?.();
        return;
      }
      await load();
      focusHeading();
    } catch (error) {
      sayError(error, 'Revoking');
    }
  }

  await load();
}

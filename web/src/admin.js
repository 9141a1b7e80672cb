// The admin page at /web/admin: sign in with a function key (or with Microsoft Entra ID where the app offers it),
// then users, providers and unknown-recipient mail.
import { h, field, replace } from './dom.js';
import { say, clearStatus } from './status.js';
import { key, request, entraStatus, useMode } from './admin/manage-api.js';
import { usersSection } from './admin/users.js';
import { providersSection } from './admin/providers.js';
import { unknownSection } from './admin/unknown.js';

const header = document.getElementById('top');
const main = document.getElementById('main');

replace(header, h('div', { class: 'bar' },
  h('p', { class: 'brand' }, h('img', { src: '/web/assets/favicon.svg', alt: '', width: 24, height: 24 }), 'Caldera administration')));

const keyInput = h('input', { id: 'function-key', type: 'password', required: true, autocomplete: 'off', spellcheck: false });
const keyError = h('p', { class: 'error', attrs: { role: 'alert' } });
const entra = h('div', { class: 'entra' });
const sections = h('div', { class: 'admin-sections' });
const forget = h('button', { type: 'button', class: 'secondary', text: 'Forget key', hidden: true, on: { click: () => {
  key.forget();
  replace(sections);
  forget.hidden = true;
  keyInput.value = '';
  say('The function key is forgotten in this tab.');
  keyInput.focus();
} } });

const keyForm = h('form', { class: 'card', on: {
  submit: async (event) => {
    event.preventDefault();
    key.set(keyInput.value);
    useMode('key');
    await open('Signed in with the function key.');
  },
} },
field('Function key', keyInput, 'A function key (or the host key) of the Caldera app. It is kept in this tab only.'),
keyError,
h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Open' }), forget));

replace(main, h('h1', { tabIndex: -1, text: 'Administration' }), entra, keyForm, sections);

async function open(message) {
  keyError.textContent = '';
  clearStatus();
  try {
    await request('GET', 'users'); // proves the sign-in before showing anything
  } catch (error) {
    replace(sections);
    keyError.textContent = error.message;
    return false;
  }
  keyInput.value = '';
  forget.hidden = !key.get();
  const parts = [usersSection(), providersSection(), unknownSection()];
  replace(sections, parts.map((p) => p.section));
  await Promise.all(parts.map((p) => p.load()));
  say(message);
  return true;
}

(async () => {
  const status = await entraStatus();
  if (status && status.signedIn) {
    useMode('entra');
    replace(entra, h('p', { class: 'card', text: `Signed in with Microsoft Entra ID as ${status.name}.` }));
    keyForm.hidden = true;
    await open(`Signed in as ${status.name}.`);
    return;
  }
  if (status) {
    replace(entra, h('div', { class: 'card' },
      h('p', { text: status.refused || 'Administrators with a Microsoft Entra ID account can sign in without the key.' }),
      status.login ? h('a', { class: 'button-link', href: status.login, text: 'Sign in with Microsoft' }) : null));
  }
  if (key.get()) await open('Signed in with the function key.');
  else keyInput.focus();
})();

// The admin page at /web/admin: type the function key, then users, providers and unknown-recipient mail.
import { h, field, replace } from './dom.js';
import { say, clearStatus } from './status.js';
import { key, request } from './admin/manage-api.js';
import { usersSection } from './admin/users.js';
import { providersSection } from './admin/providers.js';
import { unknownSection } from './admin/unknown.js';

const header = document.getElementById('top');
const main = document.getElementById('main');

replace(header, h('div', { class: 'bar' },
  h('p', { class: 'brand' }, h('img', { src: '/web/assets/favicon.svg', alt: '', width: 24, height: 24 }), 'Caldera administration')));

const keyInput = h('input', { id: 'function-key', type: 'password', required: true, autocomplete: 'off', spellcheck: false });
const keyError = h('p', { class: 'error', attrs: { role: 'alert' } });
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
    await open();
  },
} },
field('Function key', keyInput, 'A function key (or the host key) of the Caldera app. It is kept in this tab only.'),
keyError,
h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Open' }), forget));

replace(main, h('h1', { tabIndex: -1, text: 'Administration' }), keyForm, sections);

async function open() {
  keyError.textContent = '';
  clearStatus();
  try {
    await request('GET', 'users'); // proves the key before showing anything
  } catch (error) {
    replace(sections);
    keyError.textContent = error.message;
    return;
  }
  keyInput.value = '';
  forget.hidden = false;
  const parts = [usersSection(), providersSection(), unknownSection()];
  replace(sections, parts.map((p) => p.section));
  await Promise.all(parts.map((p) => p.load()));
  say('Signed in with the function key.');
}

if (key.get()) open();
else keyInput.focus();

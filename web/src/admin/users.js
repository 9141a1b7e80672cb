// Admin: the users (create, reindex the email address, delete).
import { focusHeading, h, field, replace, table, cell } from '../dom.js';
import { confirmAction } from '../dialog.js';
import { when } from '../format.js';
import { say, sayError } from '../status.js';
import { request, seg } from './manage-api.js';

export function usersSection() {
  const list = h('div', {}, h('p', { text: 'Loading users…' }));
  const name = h('input', { type: 'text', required: true, maxLength: 64, autocomplete: 'off', attrs: { autocapitalize: 'none', spellcheck: 'false' } });
  const displayName = h('input', { type: 'text', maxLength: 200, autocomplete: 'off' });
  const email = h('input', { type: 'email', maxLength: 320, autocomplete: 'off' });
  const form = h('form', { class: 'card', on: {
    submit: async (event) => {
      event.preventDefault();
      try {
        const user = await request('POST', 'users', {
          userName: name.value.trim(),
          displayName: displayName.value.trim() || undefined,
          email: email.value.trim() || undefined,
        });
        say(`User ${user.userName} created. Give them an app password with the caldera command or the management API.`);
        form.reset();
        await load();
      } catch (error) {
        sayError(error, 'Creating the user');
      }
    },
  } },
  h('div', { class: 'grid' }, field('New user name', name), field('Display name', displayName), field('Email', email)),
  h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Create user' })));

  const section = h('section', { class: 'admin-section' },
    h('h2', { id: 'users-title', text: 'Users' }), form, list);

  async function load() {
    try {
      const users = await request('GET', 'users');
      replace(list, users.length
        ? table('Users', ['User name', 'Display name', 'Email', 'Created', 'Actions'], users.map(row))
        : h('p', { text: 'No users.' }));
    } catch (error) {
      replace(list, h('p', { class: 'error', text: `The users could not be loaded: ${error.message}` }));
    }
  }

  function row(u) {
    return h('tr', { data: { user: u.userName } },
      cell('User name', u.userName),
      cell('Display name', u.displayName || ''),
      cell('Email', u.email || ''),
      cell('Created', when(u.created)),
      cell('Actions', h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', text: 'Reindex', attrs: { title: 'Write the email-address index row again (for invitation emails)' }, on: { click: () => reindex(u) } }),
        h('button', { type: 'button', class: 'danger', text: 'Delete', on: { click: () => remove(u) } }))));
  }

  async function reindex(u) {
    try {
      await request('POST', `users/${seg(u.userName)}/address-index`);
      say(`The email address of ${u.userName} is indexed again.`);
    } catch (error) {
      sayError(error, 'Reindexing');
    }
  }

  async function remove(u) {
    const ok = await confirmAction({
      title: `Delete user ${u.userName}?`,
      message: 'Their calendars, events, app passwords and shares are deleted. This cannot be undone.',
      confirmLabel: 'Delete user',
    });
    if (!ok) return;
    try {
      await request('DELETE', `users/${seg(u.userName)}`);
      say(`User ${u.userName} deleted.`);
      await load();
      focusHeading();
    } catch (error) {
      sayError(error, 'Deleting the user');
    }
  }

  return { section, load };
}

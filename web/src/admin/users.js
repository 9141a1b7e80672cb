// Admin: the users (create with a first app password, another app password, reindex the email address, delete).
import { focusHeading, h, field, replace, table, cell } from '../dom.js';
import { copyText } from '../clipboard.js';
import { confirmAction } from '../dialog.js';
import { when } from '../format.js';
import { say, sayError } from '../status.js';
import { request, seg } from './manage-api.js';

export function usersSection() {
  const list = h('div', {}, h('p', { text: 'Loading users…' }));
  // A new user can sign in nowhere without an app password, so one is made with the user and shown here once.
  const created = h('div', { class: 'created', attrs: { 'aria-live': 'polite' } });
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
        form.reset();
        await load();
        await makePassword(user.userName, 'first sign-in', `User ${user.userName} created`);
      } catch (error) {
        sayError(error, 'Creating the user');
      }
    },
  } },
  h('div', { class: 'grid' }, field('New user name', name), field('Display name', displayName), field('Email', email)),
  h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Create user' })),
  created);

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
        h('button', { type: 'button', class: 'secondary', text: 'App password', attrs: { title: 'Make another app password for this user (shown once)' }, on: { click: () => makePassword(u.userName, 'from the admin page', 'New app password') } }),
        h('button', { type: 'button', class: 'secondary', text: 'Reindex', attrs: { title: 'Write the email-address index row again (for invitation emails)' }, on: { click: () => reindex(u) } }),
        h('button', { type: 'button', class: 'danger', text: 'Delete', on: { click: () => remove(u) } }))));
  }

  async function makePassword(userName, label, what) {
    try {
      const made = await request('POST', `users/${seg(userName)}/passwords`, { label });
      const secret = h('code', { class: 'secret', data: { testid: 'admin-new-password' }, text: made.password });
      replace(created, h('div', { class: 'notice' },
        h('h3', { text: `App password for ${userName}` }),
        h('p', {}, secret),
        h('p', { text: 'Give it to them to sign in to the web page or a calendar app. It will not be shown again.' }),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', text: 'Copy password', on: { click: () => copyText(made.password, 'Password') } }),
          h('button', { type: 'button', class: 'secondary', text: 'Done', on: { click: () => replace(created) } }))));
      say(`${what}: an app password for ${userName} is shown once above the users.`);
    } catch (error) {
      sayError(error, 'Making the app password');
    }
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

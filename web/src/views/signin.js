// The sign-in form (shown at /web/ without a session): user name and an app password, errors in role="alert".
import { h, field, replace } from '../dom.js';
import * as session from '../session.js';

/** Shows the form in `main`; calls `onSignedIn(session)` once the server accepted it. */
export function show(main, { onSignedIn, notice }) {
  const user = h('input', { id: 'signin-user', name: 'username', type: 'text', required: true, autocomplete: 'username', attrs: { autocapitalize: 'none', spellcheck: 'false' } });
  const password = h('input', { id: 'signin-password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const error = h('p', { class: 'error', id: 'signin-error', attrs: { role: 'alert' } });
  const button = h('button', { type: 'submit', text: 'Sign in' });
  if (notice) error.textContent = notice;

  const form = h('form', { class: 'card signin', on: {
    submit: async (event) => {
      event.preventDefault();
      error.textContent = '';
      button.disabled = true;
      try {
        const s = await session.signIn(user.value.trim(), password.value);
        password.value = '';
        onSignedIn(s);
      } catch (e) {
        error.textContent = e.status === 401
          ? 'The user name or app password is not right.'
          : e.message || 'Signing in failed.';
        password.focus();
        password.select();
      } finally {
        button.disabled = false;
      }
    },
  } },
  field('User name', user),
  field('App password', password, 'An app password of your account (the one your calendar apps use).'),
  error,
  h('div', { class: 'actions' }, button));

  replace(main,
    h('h1', { id: 'signin-title', text: 'Sign in', tabIndex: -1 }),
    h('p', { class: 'lead', text: 'See your calendars, connect devices and manage app passwords, shares and subscriptions.' }),
    form);
  user.focus();
}

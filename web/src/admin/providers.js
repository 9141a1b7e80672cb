// Admin: the calendar provider registry (which provider app serves which principal, enabled, its configuration).
import { h, field, replace, table, cell } from '../dom.js';
import { say, sayError } from '../status.js';
import { request, seg } from './manage-api.js';

export function providersSection() {
  const principal = h('input', { type: 'text', required: true, value: '*', autocomplete: 'off', attrs: { autocapitalize: 'none', spellcheck: 'false' } });
  const list = h('div', {});
  const appId = h('input', { type: 'text', required: true, maxLength: 64, autocomplete: 'off', attrs: { autocapitalize: 'none', spellcheck: 'false' } });
  const enabled = h('input', { id: 'provider-enabled', type: 'checkbox', checked: true });
  const configuration = h('textarea', { rows: 4, spellcheck: false });

  const showForm = h('form', { class: 'inline-form', on: {
    submit: (event) => { event.preventDefault(); load(); },
  } },
  field('Principal', principal, 'A user name, or * for everyone.'),
  h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Show' })));

  const saveForm = h('form', { class: 'card', on: {
    submit: async (event) => {
      event.preventDefault();
      const who = principal.value.trim();
      try {
        await request('PUT', `providers/${seg(who)}/${seg(appId.value.trim())}`, {
          enabled: enabled.checked,
          configuration: configuration.value === '' ? null : configuration.value,
        });
        say(`Provider ${appId.value.trim()} saved for ${who}.`);
        await load();
      } catch (error) {
        sayError(error, 'Saving the provider');
      }
    },
  } },
  h('div', { class: 'grid' }, field('App id', appId),
    h('div', { class: 'field checkbox' }, enabled, h('label', { htmlFor: enabled.id, text: 'Enabled' }))),
  field('Configuration', configuration, 'Given to the provider as is (often JSON).'),
  h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Save provider' })));

  const section = h('section', { class: 'admin-section' },
    h('h2', { id: 'providers-title', text: 'Providers' }), showForm, list, saveForm);

  async function load() {
    const who = principal.value.trim();
    if (!who) return;
    try {
      const rows = await request('GET', `providers/${seg(who)}`);
      replace(list, rows.length
        ? table(`Providers for ${who}`, ['Principal', 'App id', 'Enabled', 'Configuration', 'Actions'], rows.map((r) => h('tr', { data: { provider: `${r.principal}/${r.appId}` } },
          cell('Principal', r.principal === '*' ? '* (everyone)' : r.principal),
          cell('App id', r.appId),
          cell('Enabled', r.enabled ? 'Yes' : 'No'),
          cell('Configuration', h('code', { class: 'config', text: r.configuration ?? '' })),
          cell('Actions', h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'secondary', text: 'Edit', on: { click: () => edit(r) } }),
            h('button', { type: 'button', class: 'danger', text: 'Remove', on: { click: () => remove(r) } }))))))
        : h('p', { text: `No providers apply to ${who}.` }));
    } catch (error) {
      replace(list, h('p', { class: 'error', text: `The providers could not be loaded: ${error.message}` }));
    }
  }

  function edit(r) {
    principal.value = r.principal;
    appId.value = r.appId;
    enabled.checked = r.enabled;
    configuration.value = r.configuration ?? '';
    appId.focus();
  }

  async function remove(r) {
    try {
      await request('DELETE', `providers/${seg(r.principal)}/${seg(r.appId)}`);
      say(`Provider ${r.appId} removed for ${r.principal}.`);
      await load();
    } catch (error) {
      sayError(error, 'Removing the provider');
    }
  }

  return { section, load };
}

// The Calendars view: for each calendar its colour, description, CalDAV URL (copy), a QR code of the server URL for
// a phone, the DAVx⁵ link and the .ics export; own calendars can be renamed and deleted; a form makes a new one.
import * as api from '../api.js';
import { focusHeading, h, field, replace, swatch } from '../dom.js';
import { copyText } from '../clipboard.js';
import { confirmAction } from '../dialog.js';
import { davx5Link } from '../davx5.js';
import { qrImage } from '../qr.js';
import { say, sayError } from '../status.js';

const accessWords = { owner: 'owner', read: 'read only', 'read-write': 'read and write' };
const componentWords = { VEVENT: 'events', VTODO: 'tasks', VJOURNAL: 'journal entries' };

export async function show(main, { session }) {
  const list = h('div', { class: 'cards' }, h('p', { text: 'Loading calendars…' }));
  replace(main,
    h('h1', { tabIndex: -1, text: 'Calendars' }),
    h('p', { class: 'lead', text: 'Each calendar with its address for calendar apps. To set up a phone, scan the code or open the DAVx⁵ link on it.' }),
    list,
    newCalendarForm(() => load()));

  async function load() {
    try {
      const calendars = await api.get('calendars');
      replace(list, calendars.length
        ? calendars.map((c) => calendarCard(c, session, load))
        : h('p', { text: 'You have no calendars yet. Make one below.' }));
    } catch (error) {
      replace(list, h('p', { class: 'error', text: `The calendars could not be loaded: ${error.message}` }));
    }
  }
  await load();
}

function calendarCard(c, session, reload) {
  const name = c.displayName || c.id;
  const davx5 = davx5Link(session.serverUrl, session.user);
  const urlInput = h('input', { type: 'text', readOnly: true, value: c.url || '', class: 'url' });
  const article = h('article', { class: 'card calendar-card', data: { calendarId: c.id } },
    h('h2', {}, swatch(c.color), h('span', { class: 'name', text: name })),
    c.description && c.description !== c.feedStatus ? h('p', { class: 'description', text: c.description }) : null,
    h('p', { class: 'meta', text: describe(c) }),
    h('div', { class: 'copy-row' },
      field('CalDAV URL', urlInput),
      h('button', { type: 'button', class: 'secondary', text: 'Copy', on: { click: () => copyText(urlInput.value, 'CalDAV URL', urlInput) } })),
    h('div', { class: 'connect' },
      session.serverUrl ? h('figure', { class: 'qr-figure' },
        qrImage(session.serverUrl, `QR code for ${name}`),
        h('figcaption', {}, 'Scan to set up a phone: ', h('span', { class: 'url-text', text: session.serverUrl }))) : null,
      h('ul', { class: 'links' },
        davx5 ? h('li', {}, h('a', { href: davx5, text: 'Open in DAVx⁵' })) : null,
        h('li', {}, h('a', { href: api.apiUrl(`calendars/${api.seg(c.id)}/export`), download: `${c.id}.ics`, text: 'Export .ics' })))));

  if (c.kind === 'own') {
    const actions = h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', text: 'Rename', on: { click: () => openRename() } }),
      h('button', { type: 'button', class: 'danger', text: 'Delete', on: { click: () => remove() } }));
    article.append(actions);

    const openRename = () => {
      const input = h('input', { type: 'text', required: true, value: name, maxLength: 200 });
      const form = h('form', { class: 'inline-form', on: {
        submit: async (event) => {
          event.preventDefault();
          try {
            await api.patch(`calendars/${api.seg(c.id)}`, { displayName: input.value.trim() });
            say(`Calendar renamed to “${input.value.trim()}”.`);
            await reload();
          } catch (error) {
            sayError(error, 'Renaming');
          }
        },
      } },
      field('Name', input),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', text: 'Save' }),
        h('button', { type: 'button', class: 'secondary', text: 'Cancel', on: { click: () => { form.replaceWith(actions); actions.querySelector('button').focus(); } } })));
      actions.replaceWith(form);
      input.focus();
      input.select();
    };

    const remove = async () => {
      const ok = await confirmAction({
        title: `Delete “${name}”?`,
        message: 'The calendar and every event in it are deleted for you and everyone it is shared with. This cannot be undone.',
        confirmLabel: 'Delete calendar',
      });
      if (!ok) return;
      try {
        await api.del(`calendars/${api.seg(c.id)}`);
        say(`Calendar “${name}” deleted.`);
        await reload();
        focusHeading();
      } catch (error) {
        sayError(error, 'Deleting');
      }
    };
  }
  return article;
}

function describe(c) {
  const what = (c.components || []).map((x) => componentWords[x]).filter(Boolean);
  const holds = what.length ? ` Holds ${what.join(' and ')}.` : '';
  if (c.kind === 'own') return `Your calendar.${holds}`;
  if (c.kind === 'shared') return `Shared with you by ${c.owner} (${accessWords[c.access] || c.access}).${holds}`;
  if (c.kind === 'subscription') {
    const source = c.source ? ` from ${c.source}` : '';
    return `Subscription${source}. ${c.feedStatus || 'Not fetched yet.'}`;
  }
  return `Calendar (${accessWords[c.access] || c.access || 'read only'}).${holds}`;
}

function newCalendarForm(reload) {
  const name = h('input', { type: 'text', required: true, maxLength: 200 });
  const colour = h('input', { type: 'color', defaultValue: '#2f6fb3' });
  const description = h('input', { type: 'text', maxLength: 1000 });
  const form = h('form', { class: 'card', on: {
    submit: async (event) => {
      event.preventDefault();
      try {
        const created = await api.post('calendars', {
          displayName: name.value.trim(),
          color: colour.value,
          description: description.value.trim() || undefined,
        });
        say(`Calendar “${created.displayName || name.value.trim()}” created.`);
        form.reset();
        await reload();
      } catch (error) {
        sayError(error, 'Creating the calendar');
      }
    },
  } },
  h('h2', { id: 'new-calendar-title', text: 'New calendar' }),
  h('div', { class: 'grid' }, field('Name', name), field('Colour', colour), field('Description', description)),
  h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Create calendar' })));
  return form;
}

// The Sharing view: give another user read or read-write access to one of my calendars, stop sharing, and see the
// calendars others share with me.
import * as api from '../api.js';
import { h, field, replace, table, cell } from '../dom.js';
import { say, sayError } from '../status.js';

const accessWords = { read: 'Read only', 'read-write': 'Read and write' };

export async function show(main) {
  const calendarSelect = h('select', { required: true });
  const user = h('input', { id: 'share-user', type: 'text', required: true, autocomplete: 'off', attrs: { autocapitalize: 'none', spellcheck: 'false' } });
  const access = h('select', {},
    h('option', { value: 'read', text: accessWords.read }),
    h('option', { value: 'read-write', text: accessWords['read-write'] }));
  const granted = h('div', {}, h('p', { text: 'Loading shares…' }));
  const received = h('div', {});

  const form = h('form', { class: 'card', on: {
    submit: async (event) => {
      event.preventDefault();
      const sharee = user.value.trim();
      try {
        const share = await api.put(`shares/${api.seg(calendarSelect.value)}/${api.seg(sharee)}`, { access: access.value });
        say(`“${share.calendarName || calendarSelect.value}” is shared with ${share.sharee || sharee} (${(accessWords[share.access] || access.value).toLowerCase()}).`);
        user.value = '';
        await loadShares();
      } catch (error) {
        sayError(error, 'Sharing');
      }
    },
  } },
  h('h2', { id: 'share-title', text: 'Share a calendar' }),
  h('div', { class: 'grid' }, field('Calendar', calendarSelect), field('User name', user), field('Access', access)),
  h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Share' })));

  replace(main,
    h('h1', { tabIndex: -1, text: 'Sharing' }),
    form,
    h('section', {}, h('h2', { id: 'granted-title', text: 'Calendars you share' }), granted),
    h('section', {}, h('h2', { id: 'received-title', text: 'Shared with you' }), received));

  async function loadCalendars() {
    try {
      const own = (await api.get('calendars')).filter((c) => c.kind === 'own');
      replace(calendarSelect, own.map((c) => h('option', { value: c.id, text: c.displayName || c.id })));
      if (!own.length) replace(calendarSelect, h('option', { value: '', text: 'You have no calendars to share' }));
    } catch (error) {
      sayError(error, 'Loading your calendars');
    }
  }

  async function loadShares() {
    try {
      const shares = await api.get('shares');
      replace(granted, shares.granted.length
        ? table('Calendars you share', ['Calendar', 'With', 'Access', 'Actions'], shares.granted.map((s) => h('tr', { data: { share: `${s.calendar}/${s.sharee}` } },
          cell('Calendar', s.calendarName || s.calendar),
          cell('With', s.sharee),
          cell('Access', accessWords[s.access] || s.access),
          cell('Actions', h('button', { type: 'button', class: 'danger', text: 'Stop sharing', on: { click: () => stop(s) } })))))
        : h('p', { text: 'You share no calendars.' }));
      replace(received, shares.received.length
        ? h('ul', { class: 'plain' }, shares.received.map((r) => h('li', { data: { received: `${r.owner}/${r.calendar}` } },
          h('strong', { text: r.displayName || r.calendar }), ` from ${r.owner} (${(accessWords[r.access] || r.access || '').toLowerCase()})`)))
        : h('p', { text: 'Nobody shares a calendar with you.' }));
    } catch (error) {
      replace(granted, h('p', { class: 'error', text: `The shares could not be loaded: ${error.message}` }));
      replace(received);
    }
  }

  async function stop(s) {
    try {
      await api.del(`shares/${api.seg(s.calendar)}/${api.seg(s.sharee)}`);
      say(`${s.sharee} no longer sees “${s.calendarName || s.calendar}”.`);
      await loadShares();
    } catch (error) {
      sayError(error, 'Stopping the share');
    }
  }

  await Promise.all([loadCalendars(), loadShares()]);
}

// The Invitations view: the invitation emails (iMIP) that arrived for me and what became of each.
import * as api from '../api.js';
import { h, replace, table, cell } from '../dom.js';
import { when } from '../format.js';

export async function show(main) {
  const list = h('div', {}, h('p', { text: 'Loading invitations…' }));
  replace(main,
    h('h1', { tabIndex: -1, text: 'Invitations' }),
    h('p', { class: 'lead', text: 'Invitation emails sent to your address, newest first, and what was done with each.' }),
    list);
  try {
    const messages = await api.get('imip');
    replace(list, table('Invitation emails', ['When', 'From', 'Subject', 'Status', 'Reason'], messages.map((m) => h('tr', { data: { imipRow: '' } },
        cell('When', h('time', { dateTime: m.received || '', text: when(m.received) })),
        cell('From', m.from || ''),
        cell('Subject', m.subject || ''),
        cell('Status', m.status || ''),
        cell('Reason', m.reason || '')))),
    messages.length ? null : h('p', { text: 'No invitation emails have arrived.' }));
  } catch (error) {
    replace(list, h('p', { class: 'error', text: `The invitations could not be loaded: ${error.message}` }));
  }
}

// Admin: invitation emails whose recipient is no user (newest first).
import { h, replace, table, cell } from '../dom.js';
import { when } from '../format.js';
import { request } from './manage-api.js';

export function unknownSection() {
  const list = h('div', {});
  const section = h('section', { class: 'admin-section' },
    h('h2', { id: 'unknown-title', text: 'Unknown recipients' }),
    h('p', { text: 'Invitation emails that arrived for an address no user has.' }),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', text: 'Refresh', on: { click: () => load() } })),
    list);

  async function load() {
    try {
      const rows = await request('GET', 'imip/unknown');
      replace(list, table('Unknown-recipient mail', ['Received', 'Recipient', 'From', 'Status', 'Reason'], rows.map((m) => h('tr', { data: { unknownRow: '' } },
        cell('Received', when(m.received)),
        cell('Recipient', m.recipient || ''),
        cell('From', m.from || ''),
        cell('Status', m.status || ''),
        cell('Reason', m.reason || '')))),
      rows.length ? null : h('p', { text: 'None.' }));
    } catch (error) {
      replace(list, h('p', { class: 'error', text: `The list could not be loaded: ${error.message}` }));
    }
  }

  return { section, load };
}

// The Subscriptions view: subscribe to an iCalendar feed by URL, see how its last fetch went, unsubscribe.
import * as api from '../api.js';
import { h, field, replace, table, cell } from '../dom.js';
import { say, sayError } from '../status.js';

export async function show(main) {
  const url = h('input', { type: 'url', required: true, placeholder: 'https://example.com/calendar.ics', attrs: { inputmode: 'url', spellcheck: 'false' } });
  const name = h('input', { type: 'text', maxLength: 200 });
  const list = h('div', {}, h('p', { text: 'Loading subscriptions…' }));

  const form = h('form', { class: 'card', on: {
    submit: async (event) => {
      event.preventDefault();
      try {
        const made = await api.post('subscriptions', { url: url.value.trim(), name: name.value.trim() || undefined });
        say(`Subscribed to “${made.name || url.value.trim()}”. It is fetched in the background; its status shows below.`);
        form.reset();
        await load();
      } catch (error) {
        sayError(error, 'Subscribing');
      }
    },
  } },
  h('h2', { id: 'subscribe-title', text: 'Subscribe to a feed' }),
  h('div', { class: 'grid' },
    field('Feed URL', url, 'An http, https or webcal address of an .ics feed.'),
    field('Name', name, 'Optional: the feed’s own name is used otherwise.')),
  h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Subscribe' })));

  replace(main,
    h('h1', { tabIndex: -1, text: 'Subscriptions' }),
    form,
    h('section', {}, h('h2', { id: 'subscriptions-title', text: 'Your subscriptions' }), list));

  async function load() {
    try {
      const subscriptions = await api.get('subscriptions');
      replace(list, subscriptions.length
        ? table('Your subscriptions', ['Name', 'Feed URL', 'Status', 'Actions'], subscriptions.map((s) => h('tr', { data: { subscriptionId: s.id } },
          cell('Name', s.name || s.id),
          cell('Feed URL', h('span', { class: 'url-text', text: s.url })),
          cell('Status', s.status || 'Not fetched yet.'),
          cell('Actions', h('button', { type: 'button', class: 'danger', text: 'Unsubscribe', on: { click: () => unsubscribe(s) } })))))
        : h('p', { text: 'No subscriptions.' }));
    } catch (error) {
      replace(list, h('p', { class: 'error', text: `The subscriptions could not be loaded: ${error.message}` }));
    }
  }

  async function unsubscribe(s) {
    try {
      await api.del(`subscriptions/${api.seg(s.id)}`);
      say(`Unsubscribed from “${s.name || s.id}”.`);
      await load();
    } catch (error) {
      sayError(error, 'Unsubscribing');
    }
  }

  await load();
}

// The Calendar view: FullCalendar (week and month, plus a list), read-only, its range fetched from GET events.
// The address follows what is shown (#/calendar?date=YYYY-MM-DD&view=week|month) so it can be bookmarked and opened.
import { Calendar } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import timeGridPlugin from '@fullcalendar/timegrid';
import listPlugin from '@fullcalendar/list';
import * as api from '../api.js';
import { h, replace, safeColor, swatch, textColorOn } from '../dom.js';
import { isoDate, parseIsoDate } from '../format.js';
import { replaceQuietly } from '../router.js';
import { say } from '../status.js';

const viewNames = { week: 'timeGridWeek', month: 'dayGridMonth', list: 'listWeek' };
const shortNames = Object.fromEntries(Object.entries(viewNames).map(([k, v]) => [v, k]));

export function show(main, { params }) {
  const container = h('div', { id: 'calendar', class: 'calendar' });
  const legend = h('ul', { class: 'legend' });
  replace(main, h('h1', { tabIndex: -1, text: 'Calendar' }), container, legend);
  showLegend(legend);

  const calendar = new Calendar(container, {
    plugins: [dayGridPlugin, timeGridPlugin, listPlugin],
    initialView: viewNames[params.get('view')] || viewNames.week,
    initialDate: parseIsoDate(params.get('date')) || undefined,
    headerToolbar: { start: 'prev,next today', center: 'title', end: 'timeGridWeek,dayGridMonth,listWeek' },
    buttonText: { today: 'Today', week: 'Week', month: 'Month', list: 'List' },
    buttonHints: { prev: 'Previous $0', next: 'Next $0', today: 'This $0' },
    firstDay: 1,
    nowIndicator: true,
    eventMinHeight: 22, // a 15-minute event still shows a line of text
    editable: false,
    selectable: false,
    navLinks: false,
    dayMaxEvents: true,
    allDayText: 'All day',
    noEventsText: 'No events in this period.',
    slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
    eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
    // The page scrolls, not the calendar: one scroll bar, and every hour of the week is in the page (per-view
    // heights do not work in FullCalendar 6: a view's height: 'auto' leaves the month grid 0 px high).
    height: 'auto',
    views: {
      timeGridWeek: { dayHeaderFormat: { weekday: 'short', day: 'numeric' } },
    },
    events: (info, success, failure) => {
      const query = new URLSearchParams({ start: info.start.toISOString(), end: info.end.toISOString() });
      api.get(`events?${query}`).then((data) => {
        if (data.truncated) say('Only the first 2000 events of this period are shown.', 'error');
        success((data.events || []).map(toEventInput));
      }, (error) => {
        say(`The events could not be loaded: ${error.message}`, 'error');
        failure(error);
      });
    },
    eventDidMount: ({ el, event }) => {
      const where = event.extendedProps.location;
      if (where) el.title = `${event.title} — ${where}`;
    },
    datesSet: ({ view }) => {
      replaceQuietly('calendar', { date: isoDate(calendar.getDate()), view: shortNames[view.type] || 'week' });
    },
  });
  calendar.render();
  return () => calendar.destroy();
}

/** One API event as FullCalendar's input: titles stay text (FullCalendar renders them as text nodes). */
function toEventInput(e, index) {
  const color = safeColor(e.color);
  return {
    id: `${e.calendar}/${e.uid}/${e.recurrenceId ?? ''}/${index}`,
    title: typeof e.title === 'string' && e.title !== '' ? e.title : '(no title)',
    start: e.start,
    end: e.end || undefined,
    allDay: Boolean(e.allDay),
    backgroundColor: color || undefined,
    borderColor: color || undefined,
    textColor: color ? textColorOn(color) : undefined,
    extendedProps: { location: e.location || '', calendar: e.calendar },
  };
}

/** Which colour is which calendar, under the grid (best effort: the events show without it). */
async function showLegend(legend) {
  try {
    const calendars = await api.get('calendars');
    replace(legend, calendars
      .filter((c) => (c.components || ['VEVENT']).includes('VEVENT'))
      .map((c) => h('li', {}, swatch(c.color), c.displayName || c.id)));
  } catch {
    replace(legend);
  }
}

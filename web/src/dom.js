// DOM building without HTML strings: every text goes in through text nodes, so user data (event titles, calendar
// names, email subjects) can never become markup. No innerHTML, no style attributes (the CSP forbids inline styles;
// colours go through element.style, which it allows).

/**
 * Creates an element. `props`: `class`, `text` (textContent), `data` (dataset), `on` (event listeners),
 * `attrs` (setAttribute, for aria-* and the like); any other key is set as a property (id, type, value, href…).
 * Children: nodes, strings (as text), or null/false (skipped); arrays are flattened.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'data') for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    else if (key === 'on') for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    else if (key === 'attrs') for (const [k, v] of Object.entries(value)) { if (v !== undefined && v !== null && v !== false) el.setAttribute(k, String(v)); }
    else if (key === 'style' || key === 'innerHTML' || key === 'outerHTML' || key.startsWith('on')) throw new Error(`h(): ${key} is not allowed`);
    else el[key] = value;
  }
  append(el, children);
  return el;
}

/** Appends nodes and strings (as text nodes) to `parent`, skipping null/false and flattening arrays. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces everything inside `parent` with `children`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

let nextId = 0;

/** A fresh id for label/aria wiring. */
export function uid(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled form field: a <label> and its control (input, select or textarea), wrapped in a div. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = uid('f');
  const hintEl = hint ? h('p', { class: 'hint', id: `${control.id}-hint`, text: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { htmlFor: control.id, text: labelText }), control, hintEl);
}

/** A table whose cells say their column name on narrow screens (CSS shows data-label before each cell). */
export function table(caption, columns, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'stack' },
      caption ? h('caption', { text: caption }) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', {}, rows)));
}

/** A table cell labelled with its column name (for the stacked phone layout). */
export function cell(label, ...children) {
  return h('td', { data: { label } }, ...children);
}

/** A colour swatch (decorative: the name beside it carries the meaning). Only #rrggbb values are used. */
export function swatch(color) {
  const el = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
  const safe = safeColor(color);
  if (safe) el.style.setProperty('--swatch', safe);
  else el.classList.add('swatch-none');
  return el;
}

/** `color` if it is #rrggbb (what the API promises), else null: nothing else ever reaches CSS. */
export function safeColor(color) {
  return typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color) ? color.toLowerCase() : null;
}

/** Black or white, whichever reads better on `color` (#rrggbb). */
export function textColorOn(color) {
  const n = Number.parseInt(color.slice(1), 16);
  const channel = (v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  return lum > 0.179 ? '#111111' : '#ffffff';
}

/** Puts focus on the view's heading (after the control that had it went away, say a deleted row's button). */
export function focusHeading() {
  document.querySelector('main h1')?.focus();
}

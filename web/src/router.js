// Hash routes: "#/name?key=value…". Only hashes starting with "#/" are routes; anything else leaves the page alone.

export const defaultRoute = 'calendar';

/** Reads location.hash into { name, params } (params: URLSearchParams). */
export function current() {
  const hash = window.location.hash;
  if (!hash.startsWith('#/')) return { name: defaultRoute, params: new URLSearchParams() };
  const rest = hash.slice(2);
  const q = rest.indexOf('?');
  const name = (q < 0 ? rest : rest.slice(0, q)).replace(/\/+$/, '') || defaultRoute;
  return { name, params: new URLSearchParams(q < 0 ? '' : rest.slice(q + 1)) };
}

/** The hash of a route. */
export function href(name, params) {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#/${name}${query ? `?${query}` : ''}`;
}

/** Changes the address without a new history entry and without a hashchange (the view already shows it). */
export function replaceQuietly(name, params) {
  const url = new URL(window.location.href);
  url.hash = href(name, params);
  window.history.replaceState(window.history.state, '', url);
}

/** Calls `onRoute(route)` now and on every route change. */
export function start(onRoute) {
  const fire = () => {
    if (window.location.hash === '' || window.location.hash.startsWith('#/')) onRoute(current());
  };
  window.addEventListener('hashchange', fire);
  fire();
  return () => window.removeEventListener('hashchange', fire);
}

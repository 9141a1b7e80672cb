// The "Open in DAVx⁵" link. What DAVx⁵ accepts was read in its own sources (github.com/bitfireAT/davx5-ose):
// - core/src/main/AndroidManifest.xml: LoginActivity has a VIEW/BROWSABLE intent filter for the schemes caldav,
//   caldavs, carddav, carddavs and davx5;
// - core/src/main/kotlin/at/bitfire/davdroid/ui/setup/LoginActivity.kt, loginInfoFromIntent(): caldav/carddav become
//   http, caldavs/carddavs/davx5 become https; the user info gives the user name (and a password, which we never
//   put in a link); host, port, path and query are kept as the base URL; the fragment is dropped.
// So davx5:// (= https) is used for a server on HTTPS, and caldav:// (= http) for one on plain HTTP (a davx5:// link
// there would send DAVx⁵ to an https:// address that does not answer).

/** The link that opens DAVx⁵'s login with `serverUrl` as base URL and `user` as user name filled in; null without a usable URL. */
export function davx5Link(serverUrl, user) {
  let url;
  try {
    url = new URL(serverUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const scheme = url.protocol === 'http:' ? 'caldav' : 'davx5';
  const userInfo = user ? `${encodeURIComponent(user)}@` : '';
  return `${scheme}://${userInfo}${url.host}${url.pathname}${url.search}`;
}

// Copy buttons: the Clipboard API where the page is a secure context, else select the text so Ctrl+C works.
import { say } from './status.js';

/** Copies `text`; `what` names it in the status message ("CalDAV URL copied."). `input` is selected as fallback. */
export async function copyText(text, what, input) {
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    say(`${what} copied.`);
  } catch {
    if (input) {
      input.focus();
      input.select();
    }
    say(`Copying is not possible here: ${what} is selected, press Ctrl+C to copy it.`, 'error');
  }
}

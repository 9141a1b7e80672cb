// Asking before something cannot be undone: a modal <dialog> (focus stays inside it, Escape cancels) whose confirm
// button names the action.
import { h } from './dom.js';

/** Resolves to true when the person clicks `confirmLabel`, false on Cancel or Escape. */
export function confirmAction({ title, message, confirmLabel }) {
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const titleId = `dialog-title-${Date.now()}`;
    const dialog = h('dialog', { class: 'confirm', attrs: { 'aria-labelledby': titleId } },
      h('form', { method: 'dialog' },
        h('h2', { id: titleId, text: title }),
        h('p', { text: message }),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', value: 'cancel', class: 'secondary', text: 'Cancel' }),
          h('button', { type: 'submit', value: 'confirm', class: 'danger', text: confirmLabel }))));
    dialog.addEventListener('close', () => {
      const confirmed = dialog.returnValue === 'confirm';
      dialog.remove();
      // Back where the person was; once the action removed that button, to the view's heading.
      if (!confirmed && opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(confirmed);
    });
    document.body.append(dialog);
    dialog.showModal();
    // Cancel first: a stray Enter must not delete anything.
    dialog.querySelector('button[value="cancel"]').focus();
  });
}

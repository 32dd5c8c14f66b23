/** The visible error panel (role="alert"): what failed, the reason code and the message. */
import { InferError } from '@vae/infer-web';
import type { App } from '../app';
import { h } from '../dom';

export function errorPanel(app: App): HTMLElement {
  const title = h('strong', { id: 'error-title' });
  const text = h('pre', { id: 'error-text' });
  const close = h('button', { type: 'button', id: 'error-close', 'aria-label': 'dismiss' }, '×');
  const root = h('div', { id: 'error', role: 'alert', class: 'error' }, close, title, text);
  root.hidden = true;
  close.addEventListener('click', () => app.clearError());
  app.on('error', (e) => {
    root.hidden = !e;
    if (!e) {
      delete root.dataset.reason;
      title.textContent = '';
      text.textContent = '';
      return;
    }
    const err = e.error;
    const reason =
      err instanceof InferError || (err as { reason?: string })?.reason
        ? (err as InferError).reason
        : 'error';
    root.dataset.reason = reason;
    title.textContent = `${e.title} (${reason})`;
    text.textContent = err instanceof Error ? err.message : String(err);
  });
  return root;
}

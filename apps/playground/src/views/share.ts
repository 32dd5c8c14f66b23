/**
 * The page address as a link to the current view: it is kept up to date (seed, temperature, chosen
 * point, label; `?bundle=` as it was) without adding history entries, and a "Link to this view"
 * anchor carries it for copying.
 */
import type { App } from '../app';
import { h } from '../dom';
import { writeViewState } from '../view-state';

export function shareView(app: App): HTMLElement {
  const link = h(
    'a',
    { id: 'share-link', href: location.href, title: 'Copy this link to show someone the same view' },
    'Link to this view',
  );
  link.hidden = true; // until a model is in use
  let queued = false;
  const write = () => {
    queued = false;
    const m = app.model?.manifest;
    if (!m) return;
    // Tabular views keep their own seed: the address keeps only ?bundle= for them.
    if (m.data.image) {
      const search = writeViewState(location.search, {
        seed: app.seed,
        temperature: app.temperature,
        z: app.point,
        ...(m.condition ? { label: app.label } : {}),
      });
      if (search !== location.search)
        history.replaceState(history.state, '', `${location.pathname}${search}`);
    }
    link.href = location.href;
    link.hidden = false;
  };
  // Dragging the temperature slider fires many events: write once per frame.
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(write);
  };
  for (const event of ['model', 'point', 'label', 'sampling'] as const) app.on(event, schedule);
  return h('p', { class: 'share' }, link);
}

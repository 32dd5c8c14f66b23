/** The label picker of a conditional model: one radio button per class. */
import type { App } from '../app';
import { h, panel } from '../dom';

export function labelsView(app: App): HTMLElement {
  const group = h('div', {
    id: 'labels-group',
    role: 'radiogroup',
    'aria-label': 'condition label',
    class: 'labels',
  });
  const root = panel(
    'labels',
    'Label',
    group,
    h('p', { class: 'note' }, 'Every view decodes with this condition.'),
  );
  root.hidden = true;

  app.on('model', (model) => {
    const cond = model.manifest.condition;
    root.hidden = !cond;
    group.replaceChildren();
    if (!cond) return;
    const names = cond.labels ?? model.manifest.data.labels;
    for (let k = 0; k < cond.size; k++) {
      const input = h('input', { type: 'radio', name: 'label', value: k, checked: k === app.label });
      input.addEventListener('change', () => app.setLabel(k));
      group.append(h('label', { class: 'label-choice' }, input, names?.[k] ?? String(k)));
    }
  });
  return root;
}

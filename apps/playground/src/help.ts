/**
 * "?" buttons next to the page's terms (a toggletip): hovering shows the explanation as a tooltip,
 * a screen reader reads it as the button's description, and a click, Enter or Space opens it inline
 * under the row it sits in (Escape closes it). Texts come from the glossary.
 */
import { h } from './dom';
import { GLOSSARY, type TermKey } from './glossary';

let count = 0;

/** The button and its explanation (place both in the same flex row, or the tip in a block after). */
export function helpTip(key: TermKey): [HTMLButtonElement, HTMLElement] {
  const term = GLOSSARY[key];
  const id = `tip-${key}-${++count}`;
  const tip = h('span', { id, class: 'tip', role: 'note', hidden: true }, term.text);
  const button = h(
    'button',
    {
      type: 'button',
      class: 'help',
      'aria-label': `What is ${term.name}?`,
      'aria-expanded': 'false',
      'aria-controls': id,
      'data-term': key,
      title: term.text,
    },
    '?',
  );
  const show = (open: boolean) => {
    tip.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
  };
  button.addEventListener('click', () => show(tip.hidden));
  button.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !tip.hidden) {
      show(false);
      e.stopPropagation();
    }
  });
  return [button, tip];
}

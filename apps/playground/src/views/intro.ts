/**
 * A short introduction for someone who knows a little about VAEs, and the glossary of the page's
 * terms (the same texts as the "?" buttons).
 */
import { h } from '../dom';
import { GLOSSARY } from '../glossary';

export function introView(): HTMLElement {
  const terms = Object.values(GLOSSARY).flatMap((t) => [h('dt', {}, t.name), h('dd', {}, t.text)]);
  return h(
    'section',
    { id: 'intro', class: 'intro', 'aria-label': 'About this page' },
    h(
      'p',
      {},
      'A variational autoencoder (VAE) learns an encoder from examples to a small latent code z and a ' +
        'decoder from z back to examples, trained so that z drawn from a standard normal prior decodes to ' +
        'something like the training data. This page runs an exported model in your browser: draw samples ' +
        'from the prior, walk between two points, move one dimension at a time, see where test examples ' +
        'land, and encode your own drawing or picture. Nothing leaves the tab.',
    ),
    h('details', { id: 'glossary' }, h('summary', {}, 'Terms used on this page'), h('dl', {}, ...terms)),
  );
}

/**
 * The page's terms, explained once for someone who knows a little about VAEs: the intro's glossary
 * and every "?" button next to a term read their text from here.
 */

/** A term: its name as the page writes it, and a few sentences about it. */
export interface Term {
  name: string;
  text: string;
}

export const GLOSSARY = {
  latent: {
    name: 'latent point z',
    text:
      'The encoder maps an example x to a distribution q(z | x) over a short code z; the decoder maps ' +
      'a z back to a distribution p(x | z) over examples. Pictures show the mean of p(x | z). The prior ' +
      'p(z) is a standard normal, so z drawn from it decodes to new examples.',
  },
  chosen: {
    name: 'chosen point',
    text:
      'The z the sliders start from, ringed on the latent map. Clicking a sample or the map, drawing, or ' +
      'uploading a picture sets it; the page address keeps it (with the seed and temperature), so a ' +
      'copied link shows the same view.',
  },
  seed: {
    name: 'seed',
    text: 'Fixes the random draws: the same seed and temperature always give the same grid.',
  },
  temperature: {
    name: 'temperature',
    text:
      "Scales the prior's spread: z = t · ε with ε ~ N(0, I). Below 1 the samples are more typical and " +
      'less varied; at 0 every tile decodes the prior mean z = 0.',
  },
  slerp: {
    name: 'slerp and lerp',
    text:
      'Two paths from A to B. lerp walks the straight line; slerp (spherical interpolation) follows an ' +
      'arc that keeps the length of z about constant. In many dimensions a standard normal puts its mass ' +
      'near a shell, and a straight line between two draws dips inside it, so slerp midpoints look more ' +
      'like samples.',
  },
  traversal: {
    name: 'traversal',
    text:
      'The current point decoded with one dimension swept over a range and the others held fixed: what ' +
      'that one dimension changes in the picture.',
  },
  map: {
    name: 'PCA map',
    text:
      'Test examples encoded to their posterior means and projected on the two directions in which those ' +
      'means vary most (principal components). A click decodes the point of that plane, mean + x·pc1 + ' +
      'y·pc2. Models with a 2-D latent need no projection: the axes are z0 and z1.',
  },
  elbo: {
    name: 'ELBO',
    text:
      'Evidence lower bound: E_q[log p(x | z)] − KL(q(z | x) ‖ p(z)) ≤ log p(x), what training maximises. ' +
      'The page shows −ELBO, an upper bound on −log p(x), in nats per example: lower is better.',
  },
  score: {
    name: '−log p(x)',
    text:
      'How surprising an example is to the model, in nats. It is estimated by importance sampling with k ' +
      'draws from q(z | x) (the IWAE bound): tighter than the ELBO, still an upper bound. Higher than ' +
      'what test examples get means less like the training data. Bits per dimension divide by the number ' +
      'of values and ln 2, where the data are discrete (binarised or 8-bit pixels).',
  },
  reconstruction: {
    name: 'reconstruction',
    text: 'The input encoded, then decoded from its posterior mean: what the model keeps of it.',
  },
} satisfies Record<string, Term>;

export type TermKey = keyof typeof GLOSSARY;

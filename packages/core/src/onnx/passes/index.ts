/**
 * Rewrite passes that run over each graph before the 1:1 lowering rules, in this order: a fusion
 * first takes the nodes it fuses, then an op's rewrite takes the ones left.
 */
import { convFold } from './conv-fold';
import type { LowerPass } from './pass';
import { softplusSigmoid } from './softplus-sigmoid';
import { softplusSum } from './softplus-sum';

export type { LowerPass, PassContext, Rewrite } from './pass';
export { runPasses } from './pass';
export { convFold, softplusSigmoid, softplusSum };

/** The passes `lowerToModel` runs by default. */
export const lowerPasses: readonly LowerPass[] = [softplusSum, softplusSigmoid, convFold];

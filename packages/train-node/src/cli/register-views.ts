import type { CAC } from 'cac';

/** Registers sample / recon / interp / inspect / plot (wired once those commands land). */
export function registerViews(_cli: CAC): void {}

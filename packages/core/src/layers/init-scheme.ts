/**
 * Weight initialisation: `torch` (PyTorch's Linear/Conv default, U(±1/sqrt(fan_in)) for weight and
 * bias), `glorot` (Xavier uniform, zero bias), `he` (Kaiming normal, fan_in, gain sqrt(2), zero bias).
 * Its own file so layer files that spec.ts imports (conv1d.ts) can use it without an import cycle.
 */
export type InitScheme = 'torch' | 'glorot' | 'he';

/**
 * Registration module (its import has an effect; package.json lists it under `sideEffects`): puts
 * onnxruntime-node into core's backend registry, so `resolveBackend()` picks it in Node.
 */
import { registerBackend } from '@vae/core';
import { OrtBackend } from './ort-backend';

/** onnxruntime-node's priority in the registry: above the interpreter (-1, used only by name). */
export const ORT_NODE_PRIORITY = 100;

// Default options (all cores, full graph optimisation); constructing one starts nothing.
registerBackend('onnxruntime-node', new OrtBackend(), ORT_NODE_PRIORITY);

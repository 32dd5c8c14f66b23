import type { OpName } from '../ops';
import { loopKernel } from './control';
import { elementwiseKernels } from './elementwise';
import type { Kernel } from './kernel';
import { gemmKernel, matmulKernel } from './linalg';
import { movementKernels } from './movement';
import { nnKernels } from './nn';
import { reduceKernels } from './reduce';

export type { Kernel, KernelContext } from './kernel';

/** The reference interpreter's meaning of every op, on host arrays. */
export const kernels = {
  ...elementwiseKernels,
  MatMul: matmulKernel,
  Gemm: gemmKernel,
  ...reduceKernels,
  ...movementKernels,
  ...nnKernels,
  Loop: loopKernel,
} satisfies Record<OpName, Kernel>;

// Shared by data-source.test.ts and the child process it starts (a worker needs node + tsx).

import type { DataRequest } from '@vae/core';
import { fold, type HostTensor, key } from '@vae/core';
import { createDataset, dataKey, foldIn } from '@vae/datasets';
import type { DataSourceInit } from './data-source';

export const init = (): DataSourceInit => {
  const count = 50;
  const data = Uint8Array.from({ length: count * 12 }, (_, i) => (i * 37) % 256);
  const mask = Uint8Array.from({ length: count * 12 }, (_, i) => (i % 5 === 0 ? 0 : 1));
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 3);
  // A view on a larger buffer, as a train/val split gives.
  const big = new Uint8Array(data.length + 100);
  big.set(data, 100);
  return {
    data: createDataset({
      name: 't',
      dtype: 'uint8',
      data: big.subarray(100),
      exampleShape: [3, 4],
      labels,
      mask,
    }),
    feed: {
      shape: [12],
      binarize: true,
      scale: 255,
      conditionSize: 3,
      maskColumns: [0, 4, 8],
      key: foldIn(dataKey(5), 3),
    },
    shuffleKey: foldIn(dataKey(5), 2),
    draws: [
      { name: 'noise_0_normal', kind: 'normal', shape: [4, 2] },
      { name: 'noise_1_uniform', kind: 'uniform', shape: [4] },
    ],
    noiseKey: fold(key(5), 1),
  };
};

export const REQUESTS: DataRequest[] = [
  { epoch: 0, start: 0, steps: 3, batch: 4, firstStep: 0 },
  { epoch: 0, start: 12, steps: 2, batch: 4, firstStep: 3 },
  { epoch: 1, start: 0, steps: 3, batch: 4, firstStep: 12 },
];

/** Feeds as plain arrays, for deep equality. */
export const plain = (f: Record<string, HostTensor>) =>
  Object.fromEntries(
    Object.entries(f).map(([n, t]) => [
      n,
      { shape: [...t.shape], data: Array.from(t.data as ArrayLike<number>) },
    ]),
  );

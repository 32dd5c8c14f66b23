import { type Checkpoint, decodeCheckpoint } from '@vae/core';
import { StoreError } from '../errors';
import type { RunStore } from '../store/run-store';
import type { TrainData } from './data';
import type { Recipe } from './recipe';

/** The files of a browser run (the checkpoints are in train-node's safetensors format). */
export const RUN_FILES = {
  config: 'config.json',
  /** The training data as given (digits cache bytes, or the images' pixels), for resuming. */
  data: 'data.bin',
  labels: 'labels.bin',
  checkpoint: 'checkpoint.safetensors',
  best: 'best.safetensors',
} as const;

/** config.json: what a reloaded page needs to rebuild the run. */
export interface WebRunConfig {
  readonly format: 'vae-web-run';
  readonly version: 1;
  readonly createdAt: string;
  readonly recipe: Recipe;
  readonly data:
    | { readonly kind: 'digits' }
    | { readonly kind: 'csv' }
    | {
        readonly kind: 'images';
        readonly width: number;
        readonly height: number;
        readonly channels: number;
        readonly labels: boolean;
        readonly classNames?: readonly string[];
      };
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2));

/** Stores a new run's recipe and data (the data first: a config names a complete run). */
export async function writeRunStart(store: RunStore, recipe: Recipe, data: TrainData): Promise<void> {
  const base = { format: 'vae-web-run', version: 1, createdAt: new Date().toISOString(), recipe } as const;
  if (data.kind === 'digits' || data.kind === 'csv') {
    await store.write(RUN_FILES.data, data.kind === 'csv' ? new TextEncoder().encode(data.text) : data.bytes);
    await store.write(RUN_FILES.config, json({ ...base, data: { kind: data.kind } }));
    return;
  }
  await store.write(RUN_FILES.data, data.pixels);
  if (data.labels) await store.write(RUN_FILES.labels, data.labels);
  const { width, height, channels, classNames } = data;
  const info = { kind: 'images', width, height, channels, labels: data.labels !== undefined };
  await store.write(
    RUN_FILES.config,
    json({ ...base, data: { ...info, ...(classNames ? { classNames } : {}) } }),
  );
}

/** A stored run: its recipe, data and last checkpoint (null before the first). */
export interface StoredRun {
  readonly recipe: Recipe;
  readonly data: TrainData;
  readonly checkpoint: Checkpoint | null;
}

/**
 * Reads a stored run back.
 * @throws StoreError when the run does not exist or its files are incomplete
 */
export async function readRun(store: RunStore): Promise<StoredRun> {
  const raw = await store.read(RUN_FILES.config);
  if (!raw) throw new StoreError(`no stored run ${store.runId}: start it first`);
  let config: WebRunConfig;
  try {
    config = JSON.parse(new TextDecoder().decode(raw)) as WebRunConfig;
  } catch (e) {
    throw new StoreError(`run ${store.runId}: config.json is not valid JSON (${(e as Error).message})`);
  }
  if (config.format !== 'vae-web-run' || config.version !== 1)
    throw new StoreError(`run ${store.runId}: config.json is not a vae-web-run v1 config`);
  const bytes = await store.read(RUN_FILES.data);
  if (!bytes) throw new StoreError(`run ${store.runId}: its data (data.bin) is missing`);
  const d = config.data;
  let data: TrainData;
  if (d.kind === 'digits') data = { kind: 'digits', bytes };
  else if (d.kind === 'csv') data = { kind: 'csv', text: new TextDecoder().decode(bytes) };
  else {
    const labels = d.labels ? await store.read(RUN_FILES.labels) : null;
    if (d.labels && !labels) throw new StoreError(`run ${store.runId}: its labels (labels.bin) are missing`);
    data = {
      kind: 'images',
      width: d.width,
      height: d.height,
      channels: d.channels,
      pixels: bytes,
      ...(labels ? { labels } : {}),
      ...(d.classNames ? { classNames: d.classNames } : {}),
    };
  }
  const ck = await store.read(RUN_FILES.checkpoint);
  const where = `${store.runId}/${RUN_FILES.checkpoint}`;
  return { recipe: config.recipe, data, checkpoint: ck ? decodeCheckpoint(ck, where) : null };
}

/**
 * Finds and loads MNIST-family IDX files from disk: an explicit directory, or `$VAE_DATA_DIR/<id>`,
 * then well-known system directories. Missing files give a {@link DatasetNotFoundError} that
 * says where it looked and how to get the files.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetNotFoundError } from '../errors';
import {
  MNIST_FILE_NAMES,
  type MnistFamily,
  type MnistFileRole,
  mnistSplitFromIdx,
} from '../mnist-family/mnist-family';
import { readIdxFile } from './idx-node';

/** Where to look for a dataset's files. */
export interface MnistFamilyLoadOptions {
  /** Directory holding the four files; when given, it is the only place searched. */
  readonly dir?: string;
  /** Environment to read `VAE_DATA_DIR` from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What identifies one MNIST-family dataset on disk. */
export interface MnistFamilySpec {
  /** Machine name and sub-directory under `VAE_DATA_DIR`, e.g. `fashion-mnist`. */
  readonly id: string;
  /** Display name, e.g. `Fashion-MNIST`. */
  readonly title: string;
  /** Class names by label. */
  readonly classNames: readonly string[];
  /** System directories searched after `VAE_DATA_DIR`, with how they get there. */
  readonly systemDirs: readonly { readonly dir: string; readonly origin: string }[];
  /** Where else the files come from, one sentence (ends the not-found message). */
  readonly howToGet: string;
}

interface Candidate {
  readonly dir: string;
  readonly origin: string;
}

const ROLES: readonly MnistFileRole[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];

/** Accepted spellings of each file: `name.gz`, `name`, and the `train-images.idx3-ubyte` variant. */
function spellings(base: string): string[] {
  const dotted = base.replace(/-(idx\d)-/, '.$1-');
  return [`${base}.gz`, base, `${dotted}.gz`, dotted];
}

async function findFiles(dir: string): Promise<{ files?: Record<MnistFileRole, string>; problem: string }> {
  let entries: Set<string>;
  try {
    entries = new Set(await readdir(dir));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'directory does not exist' : `cannot list directory (${code})` };
  }
  const files: Partial<Record<MnistFileRole, string>> = {};
  const missing: string[] = [];
  for (const role of ROLES) {
    const found = spellings(MNIST_FILE_NAMES[role]).find((name) => entries.has(name));
    if (found === undefined) missing.push(`${MNIST_FILE_NAMES[role]}[.gz]`);
    else files[role] = join(dir, found);
  }
  if (missing.length > 0) return { problem: `missing ${missing.join(', ')}` };
  return { files: files as Record<MnistFileRole, string>, problem: '' };
}

/**
 * Loads an MNIST-family dataset, searching `options.dir` alone if given, else
 * `$VAE_DATA_DIR/<spec.id>` and then `spec.systemDirs`.
 *
 * @param spec - which dataset
 * @param options - explicit directory or environment
 * @returns train and test datasets with class names
 * @throws DatasetNotFoundError when no directory has all four files; IDX errors naming a bad file
 */
export async function loadMnistFamily(
  spec: MnistFamilySpec,
  options: MnistFamilyLoadOptions = {},
): Promise<MnistFamily> {
  const env = options.env ?? process.env;
  const candidates: Candidate[] = [];
  if (options.dir !== undefined) {
    candidates.push({ dir: options.dir, origin: 'the dir option' });
  } else {
    const dataDir = env.VAE_DATA_DIR;
    if (dataDir) candidates.push({ dir: join(dataDir, spec.id), origin: 'VAE_DATA_DIR' });
    candidates.push(...spec.systemDirs);
  }
  const report: string[] = [];
  for (const candidate of candidates) {
    const { files, problem } = await findFiles(candidate.dir);
    if (files === undefined) {
      report.push(`${candidate.dir} (${candidate.origin}): ${problem}`);
      continue;
    }
    const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
      readIdxFile(files.trainImages, { dtype: 'uint8', rank: 3 }),
      readIdxFile(files.trainLabels, { dtype: 'uint8', rank: 1 }),
      readIdxFile(files.testImages, { dtype: 'uint8', rank: 3 }),
      readIdxFile(files.testLabels, { dtype: 'uint8', rank: 1 }),
    ]);
    const train = mnistSplitFromIdx(
      `${spec.id}/train`,
      {
        images: trainImages,
        labels: trainLabels,
        imagesSource: files.trainImages,
        labelsSource: files.trainLabels,
      },
      spec.classNames,
    );
    const test = mnistSplitFromIdx(
      `${spec.id}/test`,
      {
        images: testImages,
        labels: testLabels,
        imagesSource: files.testImages,
        labelsSource: files.testLabels,
      },
      spec.classNames,
    );
    return { train, test, classNames: spec.classNames };
  }
  // One line (a CLI prints it as is): every place searched and why it failed, then what to do.
  const fileList = ROLES.map((r) => `${MNIST_FILE_NAMES[r]}.gz`).join(', ');
  const looked =
    report.length > 0 ? `Looked in ${report.join('; ')}` : 'Looked in no directory: VAE_DATA_DIR is not set';
  const put =
    options.dir !== undefined
      ? `Put the four IDX files ${fileList} (gzipped or not) in ${options.dir}.`
      : `Put the four IDX files ${fileList} (gzipped or not) in DIR/${spec.id} and set VAE_DATA_DIR=DIR.`;
  throw new DatasetNotFoundError(
    spec.id,
    candidates.map((c) => c.dir),
    `${spec.title} files not found. ${looked}. ${put} ${spec.howToGet}`,
  );
}

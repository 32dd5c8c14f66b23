/**
 * Fashion-MNIST (60,000 train / 10,000 test, 28x28 grey-level clothing images, 10 classes) and
 * MNIST from local IDX files.
 */
import type { MnistFamily } from '../mnist-family/mnist-family';
import { FASHION_MNIST_CLASS_NAMES, MNIST_CLASS_NAMES } from '../mnist-family/mnist-family';
import { loadMnistFamily, type MnistFamilyLoadOptions } from './mnist-family-node';

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * Loads the full Fashion-MNIST from its four standard IDX files (gzipped or not). Searches
 * `options.dir` alone if given; otherwise `$VAE_DATA_DIR/fashion-mnist`, then
 * `/usr/share/datasets/fashion-mnist` (Debian: `apt-get install dataset-fashion-mnist`).
 *
 * @param options - explicit directory, or the environment to read `VAE_DATA_DIR` from
 * @returns `{ train, test, classNames }`, pixels as uint8 in 0..255
 * @throws DatasetNotFoundError listing where it looked; IDX errors naming a corrupt file
 */
export function fashionMnist(options: MnistFamilyLoadOptions = {}): Promise<MnistFamily> {
  return loadMnistFamily(
    {
      id: 'fashion-mnist',
      title: 'Fashion-MNIST',
      classNames: FASHION_MNIST_CLASS_NAMES,
      systemDirs: [{ dir: DEBIAN_FASHION_MNIST_DIR, origin: 'Debian package dataset-fashion-mnist' }],
      howToGet: `On Debian/Ubuntu, \`apt-get install dataset-fashion-mnist\` installs them in ${DEBIAN_FASHION_MNIST_DIR}.`,
    },
    options,
  );
}

/**
 * Loads MNIST from user-provided IDX files (no system package ships them). Searches `options.dir`
 * alone if given, otherwise `$VAE_DATA_DIR/mnist`. For a dataset that needs no files at all, see
 * `mnistDefault()`.
 *
 * @param options - explicit directory, or the environment to read `VAE_DATA_DIR` from
 * @returns `{ train, test, classNames }`, pixels as uint8 in 0..255
 * @throws DatasetNotFoundError listing where it looked; IDX errors naming a corrupt file
 */
export function mnist(options: MnistFamilyLoadOptions = {}): Promise<MnistFamily> {
  return loadMnistFamily(
    {
      id: 'mnist',
      title: 'MNIST',
      classNames: MNIST_CLASS_NAMES,
      systemDirs: [],
      howToGet:
        'No system package ships MNIST; the embedded digits (dataset mnist-default, mnistDefault()) need no files.',
    },
    options,
  );
}

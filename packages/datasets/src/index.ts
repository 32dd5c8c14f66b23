/**
 * `@vae/datasets`: datasets for vae. IDX (MNIST-family) files plain or gzip, Fashion-MNIST and
 * MNIST from local files, the embedded default digits, CSV/tabular data with schemas, synthetic
 * 2-D data, and reproducible batching with transforms. The Node-only loaders (file access) are
 * exported here too; `@vae/datasets/pure` has the rest without Node built-ins.
 */

// ... and the Node-only loaders (file access).
export { readCsvFile } from './node/csv-node';
export { DEBIAN_FASHION_MNIST_DIR, fashionMnist, mnist } from './node/fashion-mnist-node';
export { readIdxFile, readIdxStream } from './node/idx-node';
export { type IdxPathLoadOptions, idxLabelsName, idxTestNames, loadIdxPath } from './node/idx-path-node';
export { type DecodedImage, decodeImage, IMAGE_DEFAULT_MAX_PIXELS } from './node/image-decode-node';
export { type ImageFolder, type ImageFolderOptions, loadImageFolder } from './node/image-folder-node';
export { IMAGE_FILE_PATTERN, type ImageFolderListing, listImageFolder } from './node/image-folder-scan-node';
export {
  type CacheStatus,
  defaultCacheDir,
  MNIST_DEFAULT_CACHE_FILE,
  type MnistDefaultOptions,
  type MnistDefaultResult,
  mnistDefault,
} from './node/mnist-default-node';
export { loadMnistFamily, type MnistFamilyLoadOptions, type MnistFamilySpec } from './node/mnist-family-node';
export { type LoadedDataset, loadNpy, loadNpz, type NpyLoadOptions, readNpyFile } from './node/npy-node';
export { readCharCorpus } from './node/text-node';
// ... and everything without Node built-ins (its one explicit export list lives in pure.ts).
export * from './pure';

/**
 * Loads a folder of PNG/JPEG images as one uint8 {@link Dataset}, labelled by class folder names.
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createDataset, type Dataset } from '../dataset';
import { DatasetArgumentError, DatasetError, ImageFormatError } from '../errors';
import { compositeOnBlack, type ImageFit, isGrey, resampleImage, rgbToGrey } from '../image/resample';
import { toDatasetError } from './fs-errors';
import { decodeImage, IMAGE_DEFAULT_MAX_PIXELS } from './image-decode-node';
import { listImageFolder } from './image-folder-scan-node';

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /**
   * `[height, width]` of every example. Each image is brought to it by `fit`. Default: the first
   * image's size, and then every image must have it.
   */
  readonly size?: readonly [number, number];
  /** 1 (grey) or 3 (RGB). Default: 1 when every image is grey (R = G = B everywhere), else 3. */
  readonly channels?: 1 | 3;
  /** `cover` (default: centre crop to the target's aspect ratio, then resize) or `fill` (stretch). */
  readonly fit?: ImageFit;
  /** Dataset name (default: the folder's base name). */
  readonly name?: string;
  /** Largest image accepted, in pixels (default 100 megapixels). */
  readonly maxPixels?: number;
}

/** What {@link loadImageFolder} returns. */
export interface ImageFolder {
  /** uint8 pixels, example shape `[h, w]` (grey) or `[h, w, 3]` (RGB, interleaved); labels when classed. */
  readonly data: Dataset<'uint8'>;
  /** Sorted class folder names (label i is `classNames[i]`), or null when the folder has no classes. */
  readonly classNames: string[] | null;
  /** Each example's file, relative to the folder with `/` separators, in dataset order. */
  readonly files: string[];
}

/** Images decoded between yields to the event loop. */
const YIELD_EVERY = 512;

function checkOptions(dir: string, options: ImageFolderOptions): void {
  const { size, channels, fit, maxPixels } = options;
  if (
    size !== undefined &&
    (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0))
  ) {
    throw new DatasetArgumentError(
      dir,
      `size must be [height, width] in positive integers, got ${JSON.stringify(size)}`,
    );
  }
  if (channels !== undefined && channels !== 1 && channels !== 3) {
    throw new DatasetArgumentError(dir, `channels must be 1 or 3, got ${String(channels)}`);
  }
  if (fit !== undefined && fit !== 'cover' && fit !== 'fill') {
    throw new DatasetArgumentError(dir, `fit must be "cover" or "fill", got ${String(fit)}`);
  }
  if (maxPixels !== undefined && !(Number.isInteger(maxPixels) && maxPixels > 0)) {
    throw new DatasetArgumentError(dir, `maxPixels must be a positive integer, got ${String(maxPixels)}`);
  }
}

/** Spreads grey examples `[0, count)` of `grey` into RGB (each value three times). */
function greyToRgbBuffer(grey: Uint8Array, count: number, pixels: number, total: number): Uint8Array {
  const rgb = new Uint8Array(total * pixels * 3);
  for (let p = 0; p < count * pixels; p++) {
    const v = grey[p]!;
    rgb[3 * p] = v;
    rgb[3 * p + 1] = v;
    rgb[3 * p + 2] = v;
  }
  return rgb;
}

/**
 * Loads a folder of PNG and JPEG images as one uint8 dataset.
 *
 * Layout: `DIR/CLASS/*.png|jpg|jpeg` gives labels from the class folder names (sorted by code
 * point; label i is `classNames[i]`); `DIR/*.png|jpg|jpeg` gives an unlabelled dataset. Names
 * starting with `.` are skipped. Examples are ordered by class name, then file name (code-point
 * order), so the same folder gives the same dataset on every machine. The format is read from the
 * content (PNG or JPEG signature), not the extension.
 *
 * Pixels: alpha is composited on black (each colour times alpha / 255, rounded), then dropped.
 * Unless `channels` is given, the dataset is grey (`[h, w]`) when every image is grey (R = G = B
 * at every pixel, which includes grey PNGs and JPEGs), else RGB (`[h, w, 3]`, grey images
 * repeated in all three channels). `channels: 1` turns colour into BT.601 luma (see
 * {@link rgbToGrey}). With `size`, each image is centre-cropped to its aspect ratio and resized
 * (`fit: 'cover'`) or stretched (`fit: 'fill'`): shrinking averages exact pixel areas, enlarging
 * is bilinear (see {@link resampleImage}); without it all images must have the first one's size.
 *
 * Memory: one contiguous `Uint8Array` of `count * h * w * c` bytes holds the data (a grey
 * dataset never has an RGB or float copy). Files are read and decoded one at a time, synchronously
 * (for small files `readFileSync` is several times faster than `fs.promises.readFile`), with a
 * yield to the event loop every 512 images.
 *
 * @param dir - the folder
 * @param options - size, channels, fit, name, maxPixels
 * @returns the dataset, its class names (or null) and each example's file
 * @throws FileAccessError when the folder or a file cannot be read; ImageFormatError for a file
 *   that is not a PNG/JPEG or is corrupt, a size mismatch without `size`, and a bad layout (empty
 *   folder or class folder, images next to class folders, nested folders, over 256 classes);
 *   DatasetArgumentError for bad options. Each names the file or folder.
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageFolder> {
  checkOptions(dir, options);
  const { size, channels: forced, fit = 'cover', maxPixels = IMAGE_DEFAULT_MAX_PIXELS } = options;
  const listing = await listImageFolder(dir);
  const { files } = listing;
  const paths = files.map((f) => join(dir, f));

  let [h, w] = size ?? [0, 0];
  let channels: 1 | 3 = forced ?? 1;
  let data: Uint8Array | undefined;
  for (let i = 0; i < paths.length; i++) {
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise((done) => setImmediate(done));
    const path = paths[i]!;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw toDatasetError(path, error);
    }
    const image = decodeImage(bytes, path, maxPixels);
    if (i === 0 && size === undefined) [h, w] = [image.height, image.width];
    if (size === undefined && (image.height !== h || image.width !== w)) {
      throw new ImageFormatError(
        path,
        'size-mismatch',
        `image is ${image.height}x${image.width} (HxW) but ${paths[0]} is ${h}x${w}; all images need the same size, or pass a size to resize them (--size HxW)`,
      );
    }
    const pixels = h * w;
    data ??= new Uint8Array(paths.length * pixels * channels);
    const rgb = compositeOnBlack(image.data);
    let values: Uint8Array;
    if (channels === 3) {
      values = rgb;
    } else if (isGrey(rgb)) {
      values = rgbToGrey(rgb); // exact for grey pixels
    } else if (forced === 1) {
      values = rgbToGrey(rgb);
    } else {
      data = greyToRgbBuffer(data, i, pixels, paths.length);
      channels = 3;
      values = rgb;
    }
    const example = resampleImage(
      { width: image.width, height: image.height, channels, data: values },
      { height: h, width: w, fit },
    );
    data.set(example, i * pixels * channels);
  }
  if (data === undefined) throw new DatasetError(dir, 'no images'); // listImageFolder refuses empty folders
  const name = options.name ?? basename(resolve(dir));
  const classNames = listing.classNames;
  return {
    data: createDataset({
      name,
      dtype: 'uint8',
      data,
      exampleShape: channels === 1 ? [h, w] : [h, w, 3],
      labels: classNames === null ? undefined : listing.labels,
      classNames: classNames ?? undefined,
    }),
    classNames,
    files,
  };
}

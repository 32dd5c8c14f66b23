/**
 * Lists an image folder: images directly in it (unlabelled) or in one level of class folders
 * (labelled by folder name). Names are sorted by code point, so the same folder gives the same list
 * on every machine whatever the file system's or the locale's order.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileAccessError, ImageFormatError } from '../errors';
import { toDatasetError } from './fs-errors';

/** File names treated as images (the content decides PNG or JPEG). */
export const IMAGE_FILE_PATTERN = /\.(png|jpe?g)$/i;

/** The images of a folder, in load order. */
export interface ImageFolderListing {
  /** Paths relative to the folder (`class/name.png`, or `name.png` when unlabelled). */
  readonly files: string[];
  /** Sorted class folder names, or null when the images sit directly in the folder. */
  readonly classNames: string[] | null;
  /** Class index per file (all 0 when unlabelled). */
  readonly labels: Uint8Array;
}

/** Code-point order (not the locale's): stable across machines. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Entries {
  readonly images: string[];
  readonly folders: string[];
  readonly others: string[];
}

async function entriesOf(dir: string): Promise<Entries> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FileAccessError(dir, 'folder not found', code, { cause: error });
    if (code === 'ENOTDIR') throw new FileAccessError(dir, 'not a folder', code, { cause: error });
    throw toDatasetError(dir, error);
  }
  const images: string[] = [];
  const folders: string[] = [];
  const others: string[] = [];
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue; // .DS_Store, .git, editor files
    let isDir = d.isDirectory();
    let isFile = d.isFile();
    if (d.isSymbolicLink()) {
      const path = join(dir, d.name);
      try {
        const s = await stat(path);
        isDir = s.isDirectory();
        isFile = s.isFile();
      } catch (error) {
        throw new FileAccessError(
          path,
          'unreadable: a link to a file that does not exist or cannot be read',
          undefined,
          {
            cause: error,
          },
        );
      }
    }
    if (isDir) folders.push(d.name);
    else if (isFile && IMAGE_FILE_PATTERN.test(d.name)) images.push(d.name);
    else others.push(d.name);
  }
  return {
    images: images.sort(byCodePoint),
    folders: folders.sort(byCodePoint),
    others: others.sort(byCodePoint),
  };
}

function rejectOthers(dir: string, others: readonly string[]): void {
  const first = others[0];
  if (first === undefined) return;
  const more = others.length > 1 ? ` (and ${others.length - 1} more such files)` : '';
  throw new ImageFormatError(
    join(dir, first),
    'not-an-image',
    `not a PNG or JPEG file: image folders hold only .png, .jpg and .jpeg files${more}; move it out (names starting with "." are skipped)`,
  );
}

/**
 * Lists the images of `dir` in load order: sorted by class folder name, then by file name.
 *
 * @param dir - the folder
 * @returns the relative paths, class names and labels
 * @throws FileAccessError when a folder is missing or unreadable; ImageFormatError for a file that
 *   is not a .png/.jpg/.jpeg, an empty folder or class folder, images next to class folders,
 *   folders inside class folders, or more than 256 classes
 */
export async function listImageFolder(dir: string): Promise<ImageFolderListing> {
  const top = await entriesOf(dir);
  rejectOthers(dir, top.others);
  const [firstImage] = top.images;
  const [firstFolder] = top.folders;
  if (firstImage !== undefined && firstFolder !== undefined) {
    throw new ImageFormatError(
      dir,
      'mixed-layout',
      `holds both images (e.g. ${firstImage}) and class folders (e.g. ${firstFolder}/): put every image in a class folder, or none`,
    );
  }
  if (firstImage === undefined && firstFolder === undefined) {
    throw new ImageFormatError(
      dir,
      'empty-folder',
      'no PNG or JPEG images in this folder (and no class folders)',
    );
  }
  if (firstImage !== undefined) {
    return { files: top.images, classNames: null, labels: new Uint8Array(top.images.length) };
  }
  if (top.folders.length > 256) {
    throw new ImageFormatError(
      dir,
      'too-many-classes',
      `${top.folders.length} class folders; at most 256 are supported`,
    );
  }
  const files: string[] = [];
  const labels: number[] = [];
  for (const [label, name] of top.folders.entries()) {
    const classDir = join(dir, name);
    const inner = await entriesOf(classDir);
    rejectOthers(classDir, inner.others);
    if (inner.folders.length > 0) {
      throw new ImageFormatError(
        join(classDir, inner.folders[0]!),
        'nested-folder',
        'a folder inside a class folder: images must sit directly in DIR/CLASS/',
      );
    }
    if (inner.images.length === 0) {
      throw new ImageFormatError(classDir, 'empty-class', `class folder "${name}" has no PNG or JPEG images`);
    }
    for (const image of inner.images) {
      files.push(`${name}/${image}`);
      labels.push(label);
    }
  }
  return { files, classNames: top.folders, labels: Uint8Array.from(labels) };
}

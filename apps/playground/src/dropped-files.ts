/** The files of a drop: plain files, and the files inside dropped folders (read through the entry API). */

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function filesUnder(dir: FileSystemDirectoryEntry): Promise<File[]> {
  const reader = dir.createReader();
  const out: File[] = [];
  // readEntries returns at most ~100 entries per call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return out;
    for (const e of batch) {
      if (e.isFile) out.push(await fileOf(e as FileSystemFileEntry));
      else if (e.isDirectory) out.push(...(await filesUnder(e as FileSystemDirectoryEntry)));
    }
  }
}

/** Every file of a DataTransfer, folders expanded (a bundle folder dropped whole works). */
export async function droppedFiles(dt: DataTransfer): Promise<File[]> {
  const entries = Array.from(dt.items ?? [])
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry?.() ?? null);
  // Entries must be taken synchronously in the drop handler (done above); fall back to dt.files.
  if (entries.length === 0 || entries.some((e) => e === null)) return Array.from(dt.files);
  const out: File[] = [];
  for (const e of entries as FileSystemEntry[]) {
    if (e.isDirectory) out.push(...(await filesUnder(e as FileSystemDirectoryEntry)));
    else out.push(await fileOf(e as FileSystemFileEntry));
  }
  return out;
}

/**
 * Whether a drop looks like a bundle (a folder, manifest.json, an .onnx or .bin file) rather than
 * pictures. Synchronous, so a drop handler can decide before the event bubbles on.
 */
export function isBundleDrop(dt: DataTransfer): boolean {
  const items = Array.from(dt.items ?? []).filter((i) => i.kind === 'file');
  if (items.some((i) => i.webkitGetAsEntry?.()?.isDirectory)) return true;
  return Array.from(dt.files).some((f) => /^manifest\.json$|\.(onnx|bin)$/i.test(f.name));
}

/**
 * The "Train here" panel's data: the embedded digits (fetched as `digits.bin` only when training
 * starts), a dropped (or chosen) folder of pictures, or a dropped CSV table. Everything is read in
 * this tab; nothing is uploaded.
 */
import type { TrainData } from '@vae/train-web';
import { h } from '../dom';
import { droppedFiles } from '../dropped-files';
import { coverResize } from '../image-fit';
import { loadDigits } from './digits';

export type DataKind = TrainData['kind'];

/** Longest side a dropped picture keeps (larger folders are resized down to this). */
const MAX_SIDE = 64;

const isPicture = (f: File) => /^image\/(png|jpeg)$/.test(f.type) || /\.(png|jpe?g)$/i.test(f.name);
const isCsv = (f: File) => /\.csv$/i.test(f.name) || f.type === 'text/csv';

/** Pictures to training data: all resized (centre crop) to the first one's size, at most 64 px a side. */
async function picturesToData(files: File[]): Promise<TrainData> {
  const bitmaps: ImageBitmap[] = [];
  for (const f of files) {
    try {
      bitmaps.push(await createImageBitmap(f));
    } catch {
      // a file the browser cannot decode is left out (the count says so)
    }
  }
  const first = bitmaps[0];
  if (!first) throw new Error('none of the dropped files is a PNG or JPEG this browser can decode');
  const s = Math.min(1, MAX_SIDE / Math.max(first.width, first.height));
  const width = Math.max(1, Math.round(first.width * s));
  const height = Math.max(1, Math.round(first.height * s));
  const rgba = bitmaps.map((b) => coverResize(b, width, height));
  for (const b of bitmaps) b.close();
  const plane = width * height;
  // Grey unless some picture has colour (a channel differs anywhere).
  const colour = rgba.some((p) => {
    for (let i = 0; i < p.length; i += 4) if (p[i] !== p[i + 1] || p[i] !== p[i + 2]) return true;
    return false;
  });
  const channels = colour ? 3 : 1;
  const pixels = new Uint8Array(rgba.length * channels * plane);
  rgba.forEach((p, n) => {
    const o = n * channels * plane;
    for (let q = 0; q < plane; q++)
      for (let c = 0; c < channels; c++) pixels[o + q * channels + c] = p[q * 4 + c]!; // [N, H, W, C]
  });
  return { kind: 'images', width, height, channels, pixels };
}

/** The dataset fieldset; `data()` reads what was picked (fetching the digits on first use). */
export function datasetChoice(onKind?: (kind: DataKind) => void): {
  element: HTMLElement;
  kind(): DataKind;
  data(): Promise<TrainData>;
  describe(): string;
} {
  const radio = (value: DataKind, text: string, checked = false, disabled = false) =>
    h(
      'label',
      { class: 'choice' },
      h('input', {
        type: 'radio',
        name: 'train-data',
        value,
        id: `train-data-${value}`,
        checked,
        disabled,
        'aria-describedby': disabled ? `train-${value}-why` : undefined,
      }),
      ` ${text}`,
    );
  const picker = h('input', {
    id: 'train-files',
    type: 'file',
    multiple: true,
    accept: 'image/png,image/jpeg,.csv,text/csv',
  });
  const info = h('output', { id: 'train-files-info', 'aria-live': 'polite' }, 'no files yet');
  const zone = h(
    'label',
    { id: 'train-drop', class: 'dropzone' },
    h('span', {}, 'Drop a folder of PNG or JPEG pictures, or one CSV table, here, or choose them: '),
    picker,
  );
  const fieldset = h(
    'fieldset',
    { id: 'train-data', class: 'train-data' },
    h('legend', {}, 'Data'),
    radio('digits', 'embedded digits (10,000 MNIST digits: 8,000 to train, 2,000 to test)', true),
    radio('images', 'your pictures'),
    radio('csv', 'your CSV table (a header row, one example per row; split and encoded as vae train does)'),
    zone,
    info,
  );
  let files: File[] = [];
  let table: File | null = null;
  const setKind = (k: DataKind) => {
    fieldset.querySelector<HTMLInputElement>(`#train-data-${k}`)!.checked = true;
    onKind?.(k);
  };
  fieldset.addEventListener('change', () => onKind?.(kind()));
  const take = (list: File[]) => {
    const csv = list.find(isCsv);
    const pics = list.filter(isPicture);
    if (csv && pics.length === 0) {
      table = csv;
      setKind('csv');
      info.value = `${csv.name}: a table`;
    } else if (pics.length > 0) {
      files = pics;
      setKind('images');
      info.value = `${pics.length} picture${pics.length === 1 ? '' : 's'}`;
    } else info.value = 'no PNG or JPEG pictures among them: nothing taken';
  };
  picker.addEventListener('change', () => {
    take(Array.from(picker.files ?? []));
    picker.value = '';
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    zone.classList.remove('over');
    if (!e.dataTransfer) return;
    e.preventDefault(); // ours: the page's bundle drop skips cancelled events
    // Entries are taken synchronously inside droppedFiles (folders expanded).
    droppedFiles(e.dataTransfer).then(take, () => {
      info.value = 'the dropped files could not be read';
    });
  });

  const kind = () =>
    (fieldset.querySelector<HTMLInputElement>('input[name="train-data"]:checked')?.value ??
      'digits') as DataKind;
  return {
    element: fieldset,
    kind,
    describe: () => (kind() === 'digits' ? 'the embedded digits' : (info.value ?? 'your files')),
    async data() {
      const k = kind();
      if (k === 'digits') return { kind: 'digits', bytes: await loadDigits() };
      if (k === 'csv') {
        if (!table) throw new Error('choose or drop a CSV table first');
        return { kind: 'csv', text: await table.text() };
      }
      const pics = files.filter(isPicture);
      if (pics.length === 0) throw new Error('choose or drop a folder of PNG or JPEG pictures first');
      return picturesToData(pics);
    },
  };
}

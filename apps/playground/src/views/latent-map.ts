/**
 * The 2-D latent map of the bundle's encoded test set, coloured by label. A click, or the arrow keys
 * on the focused map, picks a position: it is decoded, becomes the chosen point, and its z is listed.
 * A ring marks the chosen point wherever it came from (a sample, the drawing, an upload, a link).
 */
import type { App } from '../app';
import { fitScale, h, latentList, paint, panel, pixelCanvas } from '../dom';
import { helpTip } from '../help';
import { type LatentMap, latentToMap, mapToLatent, readLatentMap } from '../latent-map';
import { colourOf, MapFrame, paintMap } from './map-canvas';

const SIZE = 360;
const PAD = 12;
/** On-screen size (px) of the decoded picture (28x28 shows 5x). */
const BOX = 150;
/** Arrow-key steps, as fractions of the plotted width (Shift: the larger). */
const STEP = 1 / 40;
const BIG_STEP = 1 / 8;

export function latentMapView(app: App): HTMLElement {
  const canvas = h('canvas', {
    id: 'map-canvas',
    width: SIZE,
    height: SIZE,
    class: 'clickable',
    tabindex: 0,
    role: 'application',
    'aria-roledescription': 'latent map',
    'aria-label': 'Latent map: click, or use the arrow keys (Shift for larger steps), to choose a point',
    'aria-describedby': 'map-caption',
  });
  const decoded = pixelCanvas('map-decoded', 1, 1, BOX);
  decoded.setAttribute('role', 'img');
  decoded.setAttribute('aria-label', 'the picked map position, decoded');
  const legend = h('div', { id: 'map-legend', class: 'legend' });
  const caption = h('span', { id: 'map-caption' });
  const where = h('p', { id: 'map-where', class: 'mono' });
  const readout = h('div', { id: 'map-z', 'aria-live': 'polite' }, where);
  const ringNote = h('p', { id: 'map-ring', class: 'note' });
  let map: LatentMap | null = null;
  let frame = new MapFrame(SIZE, PAD);
  /** The last picked position, in canvas pixels. */
  let marker: [number, number] | null = null;
  /** The chosen point (sample, drawing, uploaded image, click) in map coordinates. */
  let chosen: [number, number] | null = null;
  let lastZ: Float32Array | null = null;

  const render = () => {
    const ctx = canvas.getContext('2d');
    if (ctx) paintMap(ctx, frame, map, marker, chosen);
  };

  async function load(): Promise<void> {
    map = null;
    marker = null;
    chosen = null;
    delete canvas.dataset.point;
    lastZ = null;
    legend.replaceChildren();
    readout.replaceChildren(where);
    where.textContent = '';
    const m = app.model?.manifest;
    if (!m?.latentMap) {
      caption.textContent = 'This bundle has no latent map.';
      render();
      return;
    }
    try {
      map = await readLatentMap(m, await app.bundleFile(m.latentMap.file));
    } catch (e) {
      app.fail('Could not read the latent map', e);
      render();
      return;
    }
    frame = MapFrame.fit(SIZE, PAD, map.points);
    const names = m.data.labels ?? m.condition?.labels;
    if (map.labels) {
      const seen = [...new Set(map.labels)].sort((a, b) => a - b);
      legend.append(
        ...seen.map((l) =>
          h(
            'span',
            { class: 'key' },
            h('i', { style: `background:${colourOf(l)}` }),
            names?.[l] ?? String(l),
          ),
        ),
      );
    }
    const n = map.points.length / 2;
    caption.textContent =
      map.method === 'identity'
        ? `${n} encoded test examples (posterior means); the axes are z0 and z1.`
        : map.basis
          ? `${n} encoded test examples (posterior means) projected on their first two principal components.`
          : `${n} encoded test examples projected on their first two principal components. The bundle ships no PCA basis, so a click decodes z = (x, y, 0, …) (approximate).`;
    canvas.dataset.method = map.method;
    showPoint();
  }

  async function decodeAt(z: Float32Array, x: number, y: number): Promise<void> {
    lastZ = z;
    try {
      const out = await app.decode(z);
      const p = await app.picture(out.params);
      paint(decoded, p.rgba, p.width, p.height, fitScale(p.width, p.height, BOX));
      decoded.dataset.z = JSON.stringify(Array.from(z));
      decoded.dataset.label = String(app.label);
      where.textContent = `map (${x.toFixed(2)}, ${y.toFixed(2)}) → z =`;
      readout.replaceChildren(where, latentList('map-z-list', z));
    } catch (err) {
      app.fail('Decoding the map point failed', err);
    }
  }

  /** Decodes the map position at canvas pixel (px, py) and makes it the chosen point. */
  async function pickAt(px: number, py: number): Promise<void> {
    if (!map || !app.model) return;
    marker = frame.clamp(px, py);
    const [x, y] = frame.fromPx(...marker);
    render();
    const z = mapToLatent(map, app.latent, x, y);
    await decodeAt(z, x, y);
    app.setPoint(z, `the map at (${x.toFixed(2)}, ${y.toFixed(2)})`);
  }

  canvas.addEventListener('click', (e) => {
    const r = canvas.getBoundingClientRect();
    void pickAt(((e.clientX - r.left) / r.width) * SIZE, ((e.clientY - r.top) / r.height) * SIZE);
  });
  canvas.addEventListener('keydown', (e) => {
    const step = (e.shiftKey ? BIG_STEP : STEP) * (SIZE - 2 * PAD);
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[
      e.key
    ];
    if (!move && e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    // Keys move the chosen point (the ring), else the last picked position, else start at the centre.
    const [px, py] = chosen ? frame.toPx(...chosen) : (marker ?? [SIZE / 2, SIZE / 2]);
    void pickAt(px + (move?.[0] ?? 0), py + (move?.[1] ?? 0));
  });

  /** Rings the chosen point and says where it came from. */
  function showPoint(): void {
    if (map && app.point.length === app.latent) {
      chosen = latentToMap(map, app.point);
      canvas.dataset.point = chosen.join(',');
      canvas.dataset.pointSource = app.pointSource;
      ringNote.textContent = `The ring marks the chosen point: ${app.pointSource}.`;
    }
    render();
  }

  app.on('label', () => {
    if (lastZ && marker) void decodeAt(lastZ, ...frame.fromPx(...marker));
  });
  app.on('model', () => void load());
  app.on('point', showPoint);
  render();

  return panel(
    'map',
    'Latent map',
    h('div', { class: 'row' }, canvas, h('div', { class: 'stack map-side' }, decoded, readout, legend)),
    h('p', { class: 'note' }, caption, ' ', ...helpTip('map')),
    ringNote,
  );
}

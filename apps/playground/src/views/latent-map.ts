/** The 2-D latent map of the bundle's encoded test set, coloured by label; a click decodes that point. */
import type { App } from '../app';
import { fitScale, h, paint, panel, pixelCanvas } from '../dom';
import { type LatentMap, latentToMap, mapToLatent, readLatentMap } from '../latent-map';

const SIZE = 360;
const PAD = 12;
/** On-screen size (px) of the decoded picture (28x28 shows 5x). */
const BOX = 150;
/** Tableau 10. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** A white-and-black ring (visible on any dot colour) around the chosen point. */
function ring(ctx: CanvasRenderingContext2D, x: number, y: number): void {
  for (const [colour, width] of [
    ['#fff', 4],
    ['#000', 1.5],
  ] as const) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.arc(x, y, 9, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.lineWidth = 1;
}

export function latentMapView(app: App): HTMLElement {
  const canvas = h('canvas', { id: 'map-canvas', width: SIZE, height: SIZE, class: 'clickable' });
  const decoded = pixelCanvas('map-decoded', 1, 1, BOX);
  const legend = h('div', { id: 'map-legend', class: 'legend' });
  const caption = h('p', { id: 'map-caption', class: 'note' });
  const readout = h('p', { id: 'map-z', class: 'mono' });
  let map: LatentMap | null = null;
  let bounds = { x0: -1, x1: 1, y0: -1, y1: 1 };
  let marker: [number, number] | null = null;
  /** The chosen point (sample, drawing, uploaded image, click) in map coordinates. */
  let chosen: [number, number] | null = null;
  let lastZ: Float32Array | null = null;

  const toPx = (x: number, y: number): [number, number] => [
    PAD + ((x - bounds.x0) / (bounds.x1 - bounds.x0)) * (SIZE - 2 * PAD),
    SIZE - PAD - ((y - bounds.y0) / (bounds.y1 - bounds.y0)) * (SIZE - 2 * PAD),
  ];
  const fromPx = (px: number, py: number): [number, number] => [
    bounds.x0 + ((px - PAD) / (SIZE - 2 * PAD)) * (bounds.x1 - bounds.x0),
    bounds.y0 + ((SIZE - PAD - py) / (SIZE - 2 * PAD)) * (bounds.y1 - bounds.y0),
  ];

  function render(): void {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, SIZE, SIZE);
    if (!map) return;
    ctx.strokeStyle = '#ddd';
    const [ox, oy] = toPx(0, 0);
    ctx.beginPath();
    ctx.moveTo(ox, 0);
    ctx.lineTo(ox, SIZE);
    ctx.moveTo(0, oy);
    ctx.lineTo(SIZE, oy);
    ctx.stroke();
    ctx.globalAlpha = 0.7;
    const n = map.points.length / 2;
    for (let i = 0; i < n; i++) {
      const [px, py] = toPx(map.points[2 * i]!, map.points[2 * i + 1]!);
      ctx.fillStyle = PALETTE[(((map.labels?.[i] ?? 0) % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
      ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
    }
    ctx.globalAlpha = 1;
    if (marker) {
      const [mx, my] = marker;
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(mx, my, 6, 0, 2 * Math.PI);
      ctx.moveTo(mx - 10, my);
      ctx.lineTo(mx + 10, my);
      ctx.moveTo(mx, my - 10);
      ctx.lineTo(mx, my + 10);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
    if (chosen) ring(ctx, ...toPx(...chosen));
  }

  async function load(): Promise<void> {
    map = null;
    marker = null;
    chosen = null;
    delete canvas.dataset.point;
    lastZ = null;
    legend.replaceChildren();
    readout.textContent = '';
    const m = app.model?.manifest;
    if (!m?.latentMap) {
      caption.textContent = 'This bundle has no latent map.';
      render();
      return;
    }
    try {
      const bytes = await app.bundleFile(m.latentMap.file);
      map = await readLatentMap(m, bytes);
    } catch (e) {
      app.fail('Could not read the latent map', e);
      render();
      return;
    }
    const pts = map.points;
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < pts.length; i += 2) {
      x0 = Math.min(x0, pts[i]!);
      x1 = Math.max(x1, pts[i]!);
      y0 = Math.min(y0, pts[i + 1]!);
      y1 = Math.max(y1, pts[i + 1]!);
    }
    const mx = (x1 - x0) * 0.05 || 1;
    const my = (y1 - y0) * 0.05 || 1;
    bounds = { x0: x0 - mx, x1: x1 + mx, y0: y0 - my, y1: y1 + my };
    const names = m.data.labels ?? m.condition?.labels;
    if (map.labels) {
      const seen = [...new Set(map.labels)].sort((a, b) => a - b);
      legend.append(
        ...seen.map((l) =>
          h(
            'span',
            { class: 'key' },
            h('i', { style: `background:${PALETTE[l % PALETTE.length]}` }),
            names?.[l] ?? String(l),
          ),
        ),
      );
    }
    const n = pts.length / 2;
    caption.textContent =
      map.method === 'identity'
        ? `${n} encoded test examples (posterior means); the axes are z0 and z1.`
        : map.basis
          ? `${n} encoded test examples projected on their first two principal components.`
          : `${n} encoded test examples projected on their first two principal components. The bundle ships no PCA basis, so a click decodes z = (x, y, 0, …) (approximate).`;
    canvas.dataset.method = map.method;
    render();
  }

  async function decodeAt(z: Float32Array, x: number, y: number): Promise<void> {
    lastZ = z;
    try {
      const out = await app.decode(z);
      const p = await app.picture(out.params);
      paint(decoded, p.rgba, p.width, p.height, fitScale(p.width, p.height, BOX));
      decoded.dataset.z = JSON.stringify(Array.from(z));
      decoded.dataset.label = String(app.label);
      readout.textContent = `map (${x.toFixed(2)}, ${y.toFixed(2)}) → z = [${Array.from(z, (v) => v.toFixed(2)).join(', ')}]`;
    } catch (err) {
      app.fail('Decoding the map point failed', err);
    }
  }

  canvas.addEventListener('click', async (e) => {
    if (!map || !app.model) return;
    const r = canvas.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * SIZE;
    const py = ((e.clientY - r.top) / r.height) * SIZE;
    const [x, y] = fromPx(px, py);
    marker = [px, py];
    render();
    const z = mapToLatent(map, app.latent, x, y);
    await decodeAt(z, x, y);
    app.setPoint(z);
  });
  app.on('label', () => {
    if (lastZ && marker) void decodeAt(lastZ, ...fromPx(marker[0], marker[1]));
  });
  app.on('model', () => void load());
  app.on('point', (z) => {
    if (!map) return;
    chosen = latentToMap(map, z);
    canvas.dataset.point = chosen.join(',');
    render();
  });
  render();

  return panel(
    'map',
    'Latent map',
    h('div', { class: 'row' }, canvas, h('div', { class: 'stack' }, decoded, readout, legend)),
    caption,
    h(
      'p',
      { class: 'note' },
      'A ring marks the chosen point (a picked sample, the drawing, an uploaded image).',
    ),
  );
}

/**
 * The shareable part of the page in its address: `?seed=S&t=T&z=z0,z1,…&label=K` next to the
 * existing `?bundle=URL`. Reading ignores values that are malformed or out of range (the page's
 * defaults stay); writing keeps every other parameter as it was. Numbers of z are written with the
 * fewest digits that read back as the same float32, so a link decodes exactly the same point.
 */

/** Seed, temperature, chosen point and label, each present when the address gives a valid one. */
export interface ViewState {
  seed?: number;
  temperature?: number;
  z?: Float32Array;
  label?: number;
}

/** The temperature range of the samples view (its slider's min and max). */
export const TEMPERATURE_RANGE = [0, 1.5] as const;

/** The shortest decimal that reads back as the same float32 (up to 9 significant digits). */
export function float32Text(v: number): string {
  const f = Math.fround(v);
  for (let p = 1; p < 9; p++) {
    const s = String(Number(f.toPrecision(p)));
    if (Math.fround(Number(s)) === f) return s;
  }
  return String(Number(f.toPrecision(9)));
}

const int = (s: string | null): number | undefined =>
  s !== null && /^\d{1,9}$/.test(s) ? Number(s) : undefined;

/** The view state in a query string (`location.search`); invalid parts are left out. */
export function readViewState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const out: ViewState = {};
  const seed = int(q.get('seed'));
  if (seed !== undefined) out.seed = seed;
  const t = Number(q.get('t') ?? Number.NaN);
  if (q.get('t') && t >= TEMPERATURE_RANGE[0] && t <= TEMPERATURE_RANGE[1]) out.temperature = t;
  const z = q.get('z');
  if (z) {
    const parts = z.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
    if (parts.every(Number.isFinite)) out.z = Float32Array.from(parts);
  }
  const label = int(q.get('label'));
  if (label !== undefined) out.label = label;
  return out;
}

/**
 * `search` with the view state written into it (other parameters, such as `bundle`, kept in place);
 * a missing z or label removes its parameter.
 */
export function writeViewState(search: string, s: ViewState): string {
  const q = new URLSearchParams(search);
  const set = (k: string, v: string | undefined) => (v === undefined ? q.delete(k) : q.set(k, v));
  set('seed', s.seed === undefined ? undefined : String(s.seed));
  set('t', s.temperature === undefined ? undefined : String(s.temperature));
  set('z', s.z && s.z.length > 0 ? Array.from(s.z, float32Text).join(',') : undefined);
  set('label', s.label === undefined ? undefined : String(s.label));
  // Commas (z), slashes and colons (a bundle URL) read better unescaped, and are legal in a query.
  const text = q.toString().replace(/%2C|%2F|%3A/gi, (c) => decodeURIComponent(c));
  return text ? `?${text}` : '';
}

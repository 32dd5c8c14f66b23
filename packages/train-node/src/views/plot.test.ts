import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunError } from '../run/run-dir';
import { plotCommand, readCurves } from './plot';

const root = mkdtempSync(join(tmpdir(), 'vae-plot-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const epoch = (e: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'epoch', epoch: e, step: e * 10, train_loss: 200 / e, val_elbo: 210 / e, ...extra });

function runWith(name: string, lines: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metrics.jsonl'), lines.join('\n'));
  return dir;
}

const linePaths = (svg: string) => svg.match(/aria-roledescription="line mark"/g)?.length ?? 0;

describe('readCurves', () => {
  it('keeps epoch lines, skips torn and other lines, last line of an epoch wins', () => {
    const text = [
      epoch(1),
      '{"type":"summary","epochs":2}',
      epoch(2, { val_elbo: null }),
      epoch(2, { train_loss: 90 }),
      '{"type":"epo',
    ].join('\n');
    const { points: pts, skipped } = readCurves(text);
    expect(skipped).toEqual([5]);
    expect(pts).toEqual([
      { epoch: 1, series: 'train loss', value: 200 },
      { epoch: 1, series: 'val -ELBO', value: 210 },
      { epoch: 2, series: 'train loss', value: 90 },
      { epoch: 2, series: 'val -ELBO', value: 105 },
    ]);
  });
});

describe('plotCommand', () => {
  it('renders an SVG with one line per series', async () => {
    const dir = runWith('two', [epoch(1), epoch(2), epoch(3), '{"type":"ep']);
    const out = join(dir, 'plots', 'curves.svg');
    const r = await plotCommand({ run: dir, svg: out });
    expect(r).toMatchObject({ epochs: 3, series: ['train loss', 'val -ELBO'] });
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('</svg>');
    expect(r.bytes).toBe(Buffer.byteLength(svg));
    expect(r.skippedLines).toEqual([4]); // the killed run's torn last line, named
    expect(linePaths(svg)).toBe(2);
    expect(svg).toContain('nats per example');
  });

  it('draws the training curve alone when there is no validation', async () => {
    const dir = runWith('one', [epoch(1, { val_elbo: undefined }), epoch(2, { val_elbo: undefined })]);
    const r = await plotCommand({ run: dir, svg: join(dir, 'c.svg') });
    expect(r.series).toEqual(['train loss']);
    expect(linePaths(readFileSync(join(dir, 'c.svg'), 'utf8'))).toBe(1);
  });

  it('says clearly when there is nothing to plot', async () => {
    const empty = runWith('empty', ['{"type":"error","message":"x"}', '{"type":"epo']);
    await expect(plotCommand({ run: empty, svg: join(empty, 'c.svg') })).rejects.toThrow(
      /has no finished epochs yet/,
    );
    await expect(plotCommand({ run: join(root, 'missing'), svg: 'c.svg' })).rejects.toThrow(
      `run folder ${join(root, 'missing')} does not exist`,
    );
    const bare = join(root, 'x-bare');
    mkdirSync(bare, { recursive: true });
    await expect(plotCommand({ run: bare, svg: 'c.svg' })).rejects.toThrow(RunError);
    await expect(plotCommand({ run: bare, svg: 'c.svg' })).rejects.toThrow(/no metrics.jsonl/);
  });
});

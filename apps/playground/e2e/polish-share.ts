/**
 * Issue 19's "take results away", run by polish.test.ts on the latent-16 grey bundle opened with
 * ?bundle=./bundle/: PNG downloads of the sample grid, the interpolation and the traversal hold the
 * canvases' pixels one for one, the chosen z downloads as JSON, and the page address keeps seed,
 * temperature and chosen point so that a copied link shows the same view.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { canvasPixels, nextRender, openPlayground, rendered, type Session } from './harness';
import { pngPixels } from './pictures';

/** Registers the checks; the test file's beforeAll opens `s`, `bundle` is its folder. */
export function shareChecks(s: Session, bundle: string): void {
  let page: Page;
  beforeAll(() => {
    page = s.page;
  });

  /** Clicks `button` and returns the download's file name and bytes. */
  async function download(button: string): Promise<{ name: string; bytes: Buffer }> {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    const path = await dl.path();
    return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
  }

  const state = () => page.evaluate(() => window.__vae!.state());

  /** Waits until the page address carries the chosen point (it is written once per frame). */
  const addressHoldsPoint = () =>
    page.waitForFunction(() => {
      const z = new URLSearchParams(location.search).get('z');
      const point = window.__vae!.state().point;
      return z?.split(',').every((v, d) => Math.fround(Number(v)) === point[d]);
    });

  it.each([
    ['#samples-download', '#samples-canvas', /^vae-samples-seed1-t1\.png$/],
    ['#interp-download', '#interp-canvas', /^vae-interpolation-slerp\.png$/],
    ['#sliders-download-strip', '#sliders-traverse', /^vae-traversal-z\d+\.png$/],
  ])('%s saves a PNG of the canvas, pixel for pixel', async (button, canvas, name) => {
    const got = await download(button);
    const png = await pngPixels(page, got.bytes);
    const want = await canvasPixels(page, canvas);
    const size = await page.$eval(canvas, (c) => [
      (c as HTMLCanvasElement).width,
      (c as HTMLCanvasElement).height,
    ]);
    console.log(`${button}: ${got.name}, ${png.width}x${png.height}, ${got.bytes.length} bytes`);
    expect(got.name).toMatch(name);
    expect([png.width, png.height]).toEqual(size);
    expect(png.rgba).toEqual(want);
  });

  it('saves the chosen z as JSON with where it came from and which model it belongs to', async () => {
    await page.locator('#samples-canvas').click({ position: { x: 40, y: 40 } });
    await addressHoldsPoint();
    const got = await download('#point-download');
    const json = JSON.parse(got.bytes.toString('utf8'));
    const manifest = JSON.parse(readFileSync(`${bundle}/manifest.json`, 'utf8'));
    const st = await state();
    expect(got.name).toBe('vae-z.json');
    expect(json.z).toEqual(st.point);
    expect(json.latent).toBe(16);
    expect(json.source).toBe('sample 1 (seed 1)');
    expect(json.decoderSha256).toBe(manifest.files['decoder.onnx'].sha256);
    expect(json.link).toBe(page.url());
  });

  it('keeps seed, temperature and chosen point in the address; the link shows the same view', async () => {
    let before = await rendered(page, '#samples-canvas');
    await page.fill('#samples-seed', '5');
    await page.locator('#samples-seed').dispatchEvent('change');
    await nextRender(page, '#samples-canvas', before);
    before = await rendered(page, '#samples-canvas');
    await page.locator('#samples-temperature').fill('0.7');
    await nextRender(page, '#samples-canvas', before);
    await page.locator('#samples-canvas').click({ position: { x: 2 * 87 + 40, y: 5 * 87 + 40 } });
    const st = await state();
    await addressHoldsPoint();
    const url = new URL(page.url());
    console.log(`shared link: ${url.search}`);
    expect(url.searchParams.get('bundle')).toBe('./bundle/');
    expect(url.searchParams.get('seed')).toBe('5');
    expect(url.searchParams.get('t')).toBe('0.7');
    expect(url.searchParams.get('z')!.split(',').map(Number).map(Math.fround)).toEqual(st.point);
    expect(await page.locator('#share-link').getAttribute('href')).toBe(page.url());
    const grid = await canvasPixels(page, '#samples-canvas');
    const ring = await page.locator('#map-canvas').getAttribute('data-point');

    const other = await s.browser.context.newPage();
    try {
      expect(await openPlayground(other, url.href)).toBe(true);
      await other.waitForFunction(
        () => document.querySelector<HTMLElement>('#samples-canvas')?.dataset.rendered,
      );
      await other.waitForSelector('#map-canvas[data-point]');
      const t = await other.evaluate(() => window.__vae!.state());
      expect([t.seed, t.temperature, t.point, t.pointSource]).toEqual([5, 0.7, st.point, 'the page address']);
      expect(await other.locator('#samples-seed').inputValue()).toBe('5');
      expect(await other.locator('#samples-temperature').inputValue()).toBe('0.7');
      expect(await canvasPixels(other, '#samples-canvas')).toEqual(grid);
      expect(await other.locator('#map-canvas').getAttribute('data-point')).toBe(ring);
      // The sample whose z the link carries is outlined again.
      expect(
        await other.$$eval('#samples [aria-pressed="true"]', (b) => b.map((x) => x.dataset.tile)),
      ).toEqual([String(5 * 8 + 2)]);
    } finally {
      await other.close();
    }
  });

  it('ignores a z that does not fit the model, and bad values', async () => {
    const other = await s.browser.context.newPage();
    try {
      expect(await openPlayground(other, `${s.server.url}?seed=x&t=7&z=1,2,3`)).toBe(true);
      const t = await other.evaluate(() => window.__vae!.state());
      expect([t.seed, t.temperature, t.pointSource]).toEqual([1, 1, 'endpoint A (a prior draw)']);
      expect(t.point).toEqual(t.a);
    } finally {
      await other.close();
    }
    expect(s.browser.errors).toEqual([]);
  });
}

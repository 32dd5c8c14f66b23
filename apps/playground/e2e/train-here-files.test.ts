/**
 * The "Train here" panel on the user's own files, in real Chromium: a chosen folder of pictures and
 * a chosen CSV table train and load as the page's model; and a page served with no bundle at all
 * (a browser and nothing else) starts cleanly and offers Train here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y';
import { type Browser, launch, openPlayground, type Server, shot, startServer } from './harness';
import { colourSquares } from './train-here-helpers';

describe('Train here on your files (pictures, a CSV table)', () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    await openPlayground(browser.page, server.url);
  });
  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  it('trains on 40 chosen colour PNGs (16x16) and loads the bundle: its geometry is theirs', async () => {
    const page = browser.page;
    const pngs = await colourSquares(page, 40);
    await page.setInputFiles(
      '#train-files',
      pngs.map((b64, i) => ({
        name: `p${i}.png`,
        mimeType: 'image/png',
        buffer: Buffer.from(b64, 'base64'),
      })),
    );
    expect(await page.locator('#train-files-info').textContent()).toBe('40 pictures');
    expect(await page.locator('#train-data-images').isChecked()).toBe(true);
    await page.fill('#train-epochs', '2');
    await page.fill('#train-latent', '4');
    await page.click('#train-start');
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('#train-status')!.dataset.loaded) > 0,
      null,
      {
        timeout: 60_000,
      },
    );
    const st = await page.evaluate(() => window.__vae!.state());
    const image = (st.manifest as { data: { image: unknown } }).data.image;
    console.log(
      `pictures: ${await page.locator('#train-status').textContent()}\n  image ${JSON.stringify(image)}`,
    );
    expect(st.source).toBe('trained in this tab');
    expect(image).toMatchObject({ width: 16, height: 16, channels: 3 });
    await page.waitForSelector('#train-samples[data-rendered]');
    console.log(`screenshot: ${await shot(page, 'train-here-pictures', '#train')}`);
    expect(browser.errors.filter((e) => !/status of 404 \(Not Found\)/.test(e))).toEqual([]);
  });

  it('trains the tabular model on a chosen CSV and loads it: the table views show its columns', async () => {
    const page = browser.page;
    // 240 rows: two numbers, a category and a yes/no column that follows the first number.
    const rows = Array.from({ length: 240 }, (_, i) => {
      const height = 150 + ((i * 37) % 50);
      return `${height},${(50 + ((i * 53) % 40) + height / 10).toFixed(1)},${['red', 'green', 'blue'][i % 3]},${height > 175 ? 'yes' : 'no'}`;
    });
    const csv = ['height,weight,colour,tall', ...rows].join('\n');
    await page.setInputFiles('#train-files', {
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    expect(await page.locator('#train-files-info').textContent()).toBe('people.csv: a table');
    expect(await page.locator('#train-data-csv').isChecked()).toBe(true);
    // The form switched to the tabular model's defaults (vae train's: latent 4, hidden 64, 64).
    expect(await page.inputValue('#train-latent')).toBe('4');
    expect(await page.inputValue('#train-hidden')).toBe('64');
    await page.fill('#train-epochs', '3');
    // The page may already hold a model trained here (this file's pictures run): wait for the next.
    const loaded = await page.evaluate(() =>
      Number(document.querySelector<HTMLElement>('#train-status')!.dataset.loaded ?? 0),
    );
    await page.click('#train-start');
    await page.waitForFunction(
      (before) => Number(document.querySelector<HTMLElement>('#train-status')!.dataset.loaded) > before,
      loaded,
      { timeout: 60_000 },
    );
    const st = await page.evaluate(() => window.__vae!.state());
    const data = (st.manifest as { data: { kind: string; tabular: { columns: { name: string }[] } } }).data;
    expect(st.source).toBe('trained in this tab');
    expect(data.kind).toBe('tabular');
    expect(data.tabular.columns.map((c) => c.name)).toEqual(['height', 'weight', 'colour', 'tall']);
    expect(await page.evaluate(() => document.documentElement.dataset.dataKind)).toBe('tabular');
    expect(await page.locator('#train-samples-caption').textContent()).toMatch(/table views/);
    console.log(`csv: ${await page.locator('#train-status').textContent()}`);
    expect(browser.errors.filter((e) => !/status of 404 \(Not Found\)/.test(e))).toEqual([]);
  });
});

describe('Train here with no bundle served (a browser and nothing else)', () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer(); // serve.mjs without --bundle
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  it('starts with no model and no error, says how to get one, and offers Train here', async () => {
    const page = browser.page;
    expect(await openPlayground(page, server.url)).toBe(false);
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(await page.locator('#bundle-info').textContent()).toMatch(
      /^No model loaded: .* train one in Train here/,
    );
    expect(await page.locator('#train-start').isEnabled()).toBe(true);
    // The digits are fetched only when training starts: the page has not asked for them.
    const digits = await page.evaluate(() =>
      performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/digits.bin')),
    );
    expect(digits).toEqual([]);
    expect(await seriousViolations(page, 'train here, no bundle')).toEqual([]);
    // Chromium logs the 404 of the probe for ./bundle/manifest.json (there is none): nothing else.
    expect(browser.errors.filter((e) => !/status of 404 \(Not Found\)/.test(e))).toEqual([]);
    expect(browser.errors.length).toBeLessThanOrEqual(1);
  });
});

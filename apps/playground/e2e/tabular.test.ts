/**
 * The playground with a penguins tabular bundle in real headless Chromium: table views instead of
 * the picture panels; sampled rows, a reconstruction and an imputation in user units, held to what
 * the `vae` CLI wrote for the same run (tabular-fixtures.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousViolations, widthAt } from './a11y';
import {
  type Browser,
  launch,
  nextRender,
  openPlayground,
  rendered,
  type Server,
  shot,
  startServer,
} from './harness';
import { SAMPLED } from './tabular-fixtures';

const fixtures = inject('tabular');
let server: Server;
let browser: Browser;
let page: Page;

interface Column {
  name: string;
  type: 'continuous' | 'categorical' | 'binary';
  decimals?: number;
  categories?: string[];
  values?: string[];
}
const manifest = () =>
  JSON.parse(readFileSync(join(fixtures.bundle, 'manifest.json'), 'utf8')) as {
    data: { tabular: { columns: Column[] } };
  };
/** A tiny CSV reader for the CLI's files (no quoting in penguins). */
const csv = (path: string) => {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  return { header: head!.split(','), rows: rows.map((r) => r.split(',')) };
};

/** Cells of a table row as the page holds them: column name -> raw value (full precision). */
const cells = (selector: string) =>
  page.$$eval(`${selector} td[data-column]`, (tds) =>
    tds.map((td) => ({
      column: td.getAttribute('data-column')!,
      value: td.getAttribute('data-value')!,
      text: td.textContent ?? '',
      imputed: td.classList.contains('imputed'),
    })),
  );

/** The browser's raw value is within rounding of the CLI's written one (numbers), or equal (names). */
function sameValue(column: Column, browser: string, cli: string): void {
  if (column.type !== 'continuous') return void expect(browser, column.name).toBe(cli);
  const half = 0.5 * 10 ** -(column.decimals ?? 4);
  expect(Math.abs(Number(browser) - Number(cli)), `${column.name}: ${browser} vs ${cli}`).toBeLessThanOrEqual(
    half + 1e-4 * Math.abs(Number(cli)),
  );
}

beforeAll(async () => {
  server = await startServer(fixtures.bundle);
  browser = await launch();
  page = browser.page;
  expect(await openPlayground(page, server.url)).toBe(true);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#rows-table')?.dataset.rendered);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#row-table')?.dataset.rendered);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

describe('playground (tabular penguins bundle)', () => {
  it('shows table views instead of the picture panels', async () => {
    for (const id of ['samples', 'map', 'interpolate', 'sliders', 'draw', 'upload'])
      if (await page.locator(`#${id}`).count())
        expect(await page.locator(`#${id}`).isHidden(), id).toBe(true);
    expect(await page.locator('#table-samples').isVisible()).toBe(true);
    expect(await page.locator('#table-row').isVisible()).toBe(true);
    expect(await page.locator('#bundle-info').textContent()).toMatch(/tabular data \(7 columns\)/);
  });

  it("samples rows with the model's column names and categories, as vae sample --csv does", async () => {
    const columns = manifest().data.tabular.columns;
    const header = await page.$$eval('#rows-table thead th[scope=col]', (ths) =>
      ths.map((t) => t.textContent),
    );
    const cli = csv(fixtures.samples);
    expect(header).toEqual(columns.map((c) => c.name));
    expect(cli.header).toEqual(header);
    const got = await cells('#rows-table tbody tr');
    expect(got.length).toBe(SAMPLED * columns.length);
    got.forEach((cell, k) => {
      const c = columns[k % columns.length]!;
      expect(cell.column).toBe(c.name);
      if (c.type === 'categorical') expect(c.categories).toContain(cell.value);
      if (c.type === 'binary') expect(c.values).toContain(cell.value);
      if (c.type === 'continuous') expect(Number.isFinite(Number(cell.value))).toBe(true);
      // The same rows as the CLI's for seed 1, to float rounding.
      sameValue(c, cell.value, cli.rows[Math.floor(k / columns.length)]![k % columns.length]!);
    });
    const before = await rendered(page, '#rows-table');
    await page.click('#rows-more');
    await nextRender(page, '#rows-table', before);
    expect(await page.locator('#rows-table tbody tr').count()).toBe(2 * SAMPLED);
  });

  it('reconstructs the edited row and imputes blanked cells as vae impute does, marking them', async () => {
    const columns = manifest().data.tabular.columns;
    // The editor starts from the first sampled row: every cell reconstructed, nothing to impute.
    expect((await cells('#row-recon')).map((c) => c.column)).toEqual(columns.map((c) => c.name));
    expect((await cells('#row-imputed')).some((c) => c.imputed)).toBe(false);
    // Type the CLI's row with blanks (island, flipper length, body mass), then change once.
    const holes = csv(fixtures.holes);
    const filled = csv(fixtures.filled);
    const before = await rendered(page, '#row-table');
    await page.evaluate((values) => {
      const inputs = document.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
        '#row-input .cell-input',
      );
      inputs.forEach((input, j) => {
        input.value = values[j]!;
      });
      inputs[0]!.dispatchEvent(new Event('change'));
    }, holes.rows[0]!);
    await nextRender(page, '#row-table', before);
    expect(await page.locator('#row-table').getAttribute('data-blanks')).toBe('3');
    const imputed = await cells('#row-imputed');
    const recon = await cells('#row-recon');
    expect(imputed.filter((c) => c.imputed).map((c) => c.column)).toEqual([
      'island',
      'flipper_length_mm',
      'body_mass_g',
    ]);
    columns.forEach((c, j) => {
      const given = holes.rows[0]![j]!;
      if (given === '') expect(imputed[j]!.value, c.name).not.toBe('');
      else expect(imputed[j]!.text, c.name).toBe(given); // observed cells are kept as typed
      sameValue(c, imputed[j]!.value, filled.rows[0]![j]!); // = vae impute, 100 draws, seed 1
      expect(recon[j]!.value, c.name).not.toBe('');
    });
    console.log(
      'imputed row (browser):',
      imputed.map((c) => `${c.column}=${c.text}${c.imputed ? '*' : ''}`).join(' '),
      '| vae impute:',
      filled.rows[0]!.join(','),
    );
    await shot(page, 'tabular-page', undefined, 'polish-after-tabular-page');
    await shot(page, 'tabular-row', '#table-row');
    expect(browser.errors).toEqual([]);
  });

  it('edits a sampled row picked with the keyboard', async () => {
    const row = page.locator('#rows-table tbody tr').nth(2);
    const want = await row.locator('td[data-column]').allTextContents();
    const before = await rendered(page, '#row-table');
    await row.focus();
    await page.keyboard.press('Enter');
    await nextRender(page, '#row-table', before);
    const got = await page.$$eval('#row-input .cell-input', (inputs) =>
      inputs.map((i) => (i as HTMLInputElement).value),
    );
    expect(got).toEqual(want);
  });

  it('has no serious or critical axe violations and fits a 420 px screen (tables scroll in their box)', async () => {
    expect(await seriousViolations(page, 'tabular')).toEqual([]);
    const w = await widthAt(page, 420, () => shot(page, 'polish-after-tabular-narrow-420'));
    expect(w.scrollWidth, w.over.join(', ')).toBeLessThanOrEqual(420);
    expect(browser.errors).toEqual([]);
  });
});

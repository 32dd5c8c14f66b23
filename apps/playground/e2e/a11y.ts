/**
 * Accessibility checks for the e2e tests: axe-core run in the page, the page's width at a narrow
 * viewport, and what keyboard focus reaches.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe violation: the rule, its impact, how many elements break it and the first few. */
export interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: number;
  targets: string[];
}

/** Runs axe-core (every rule it runs by default) on the page as it is now. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    type Result = {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[] }[];
      }[];
    };
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<Result> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
}

/** The serious and critical ones, logged with the rest under `name`. */
export async function seriousViolations(page: Page, name: string): Promise<Violation[]> {
  const all = await axeViolations(page);
  console.log(
    `axe (${name}): ${all.length} violation(s)${all.map((v) => `\n  ${v.impact} ${v.id} x${v.nodes}: ${v.help} ${v.targets.join(', ')}`).join('')}`,
  );
  return all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * The document's scroll width at a viewport `width` px wide, and the elements that stick out past
 * its right edge (for the message); `during` runs at that width (e.g. a screenshot), then the
 * viewport is restored.
 */
export async function widthAt(
  page: Page,
  width: number,
  during?: () => Promise<unknown>,
): Promise<{ scrollWidth: number; over: string[] }> {
  const before = page.viewportSize();
  await page.setViewportSize({ width, height: 900 });
  // Let layout and the canvases settle.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const out = await page.evaluate(() => {
    const over: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > innerWidth + 0.5)
        over.push(`${el.tagName.toLowerCase()}#${el.id} ${r.right}`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, over: over.slice(0, 10) };
  });
  await during?.();
  if (before) await page.setViewportSize(before);
  return out;
}

/** One stop of the Tab order: an id or tag, its role, accessible name (roughly) and focus outline. */
export interface FocusStop {
  key: string;
  name: string;
  outline: string;
}

/** Presses Tab `n` times from the top of the page and describes each focused element. */
export async function tabStops(page: Page, n: number): Promise<FocusStop[]> {
  // Start before the first control: Tab goes on from the focused heading (focusable only for this).
  await page.evaluate(() => {
    const start = document.querySelector('h1')!;
    start.tabIndex = -1;
    start.focus();
    start.addEventListener('blur', () => start.removeAttribute('tabindex'), { once: true });
  });
  const stops: FocusStop[] = [];
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('Tab');
    stops.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const byIds = (ids: string | null) =>
          (ids ?? '')
            .split(/\s+/)
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' ');
        const labels = 'labels' in el ? Array.from((el as HTMLInputElement).labels ?? []) : [];
        const name =
          [
            el.getAttribute('aria-label'),
            el.hasAttribute('aria-labelledby') ? byIds(el.getAttribute('aria-labelledby')) : '',
            labels.map((l) => l.textContent).join(' '),
            el.textContent,
            el.getAttribute('title'),
          ]
            .map((s) => (s ?? '').trim())
            .find((s) => s !== '') ?? '';
        const tile = el.dataset.tile === undefined ? '' : `tile${el.dataset.tile}`;
        const dim = el.dataset.dim === undefined ? '' : `z${el.dataset.dim}`;
        const term = el.dataset.term ? `help:${el.dataset.term}` : '';
        const key = el.id || tile || dim || term || el.tagName.toLowerCase();
        const s = getComputedStyle(el);
        return { key, name, outline: `${s.outlineStyle} ${s.outlineWidth}` };
      }),
    );
  }
  return stops;
}

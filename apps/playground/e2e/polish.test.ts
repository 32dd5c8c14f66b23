/**
 * What a new user tripped on (issue 19), on the latent-16 grey bundle in one browser (the checks
 * live in polish-views.ts, polish-keyboard.ts and polish-share.ts and run in this order, each
 * starting from the state the previous left). PNGs land in e2e/screenshots/polish-after-*.png.
 */
import { afterAll, beforeAll, describe, expect, inject } from 'vitest';
import { launch, openPlayground, type Session, startServer } from './harness';
import { keyboardChecks } from './polish-keyboard';
import { shareChecks } from './polish-share';
import { viewChecks } from './polish-views';

const { plain } = inject('bundles');
const s = {} as Session;

beforeAll(async () => {
  s.server = await startServer(plain);
  s.browser = await launch();
  s.page = s.browser.page;
  // An explicit ?bundle= must survive the address updates (polish-share.ts).
  expect(await openPlayground(s.page, `${s.server.url}?bundle=./bundle/`)).toBe(true);
  await s.page.waitForFunction(
    () => document.querySelector<HTMLElement>('#samples-canvas')?.dataset.rendered,
  );
  await s.page.waitForFunction(() => document.querySelector<HTMLElement>('#interp-canvas')?.dataset.rendered);
  await s.page.waitForSelector('#sliders-traverse[data-dim]');
  await s.page.waitForSelector('#map-canvas[data-point]');
});

afterAll(async () => {
  await s.browser?.close();
  s.server?.stop();
});

describe('issue 19: views (latent 16, grey digits)', () => viewChecks(s));
describe('issue 19: keyboard and screen reader', () => keyboardChecks(s));
describe('issue 19: downloads and links', () => shareChecks(s, plain));

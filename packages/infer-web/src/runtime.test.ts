import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseThreads } from './runtime';

afterEach(() => vi.unstubAllGlobals());

describe('chooseThreads', () => {
  it('is 1 unless the page is cross-origin isolated', () => {
    vi.stubGlobal('crossOriginIsolated', false);
    expect(chooseThreads()).toBe(1);
    expect(chooseThreads(4)).toBe(1); // SharedArrayBuffer is not allowed: asking does not help
  });

  it('uses hardwareConcurrency (at most 8) when isolated, or what was asked for', () => {
    vi.stubGlobal('crossOriginIsolated', true);
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    expect(chooseThreads()).toBe(2);
    expect(chooseThreads(1)).toBe(1);
    vi.stubGlobal('navigator', { hardwareConcurrency: 32 });
    expect(chooseThreads()).toBe(8);
    expect(chooseThreads(12)).toBe(12);
  });
});

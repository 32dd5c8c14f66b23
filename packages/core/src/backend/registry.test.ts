import { describe, expect, it } from 'vitest';
import { isUserError } from '../errors/user-error';
import type { Backend } from './backend';
import { InterpreterBackend } from './interpreter-backend';
import { BackendRegistry, BackendUnavailableError, backends, resolveBackend } from './registry';

/** A backend that records its init calls and fails them when told to. */
function fake(fail?: string): Backend & { inits: number } {
  const b = {
    inits: 0,
    async init() {
      b.inits++;
      if (fail) throw new Error(fail);
    },
    compile: () => Promise.reject(new Error('not used')),
    load: () => Promise.reject(new Error('not used')),
    dispose: async () => {},
  };
  return b;
}

describe('BackendRegistry', () => {
  it('resolves the highest priority first; ties go to the first registered', async () => {
    const r = new BackendRegistry();
    const [low, high, tie] = [fake(), fake(), fake()];
    r.register('low', low, 1);
    r.register('high', high, 10);
    r.register('tie', tie, 10);
    expect(r.names()).toEqual(['high', 'tie', 'low']);
    const got = await r.resolve();
    expect(got).toEqual({ name: 'high', backend: high });
    // Lazy: only what resolve reached was initialised.
    expect([high.inits, tie.inits, low.inits]).toEqual([1, 0, 0]);
  });

  it('takes named backends in the order given', async () => {
    const r = new BackendRegistry();
    const [a, b] = [fake(), fake()];
    r.register('a', a, 10);
    r.register('b', b, 1);
    expect((await r.resolve(['b', 'a'])).name).toBe('b');
  });

  it('falls through to the next backend when one fails to initialise, and never retries it', async () => {
    const r = new BackendRegistry();
    const broken = fake('no native binding');
    const ok = fake();
    r.register('broken', broken, 10);
    r.register('ok', ok, 5);
    expect((await r.resolve()).backend).toBe(ok);
    expect((await r.resolve()).backend).toBe(ok);
    expect([broken.inits, ok.inits]).toEqual([1, 1]);
  });

  it('lists every backend tried and why, in a typed user error', async () => {
    const r = new BackendRegistry();
    r.register('gpu', fake('no adapter'), 10);
    r.register('wasm', fake('fetch failed'), 5);
    const e = await r.resolve(['gpu', 'native', 'wasm']).catch((err) => err);
    expect(e).toBeInstanceOf(BackendUnavailableError);
    expect(isUserError(e)).toBe(true);
    expect(e.failures.map((f: { name: string }) => f.name)).toEqual(['gpu', 'native', 'wasm']);
    expect(e.message).toBe(
      'no backend could be used: gpu (init failed: no adapter); native (not registered); wasm (init failed: fetch failed)',
    );
    const none = await new BackendRegistry().resolve().catch((err) => err);
    expect(none).toBeInstanceOf(BackendUnavailableError);
    expect(none.message).toMatch(/none is registered/);
  });

  it('uses a backend of negative priority only when asked for by name', async () => {
    const r = new BackendRegistry();
    const hidden = fake();
    r.register('hidden', hidden, -1);
    await expect(r.resolve()).rejects.toThrow(BackendUnavailableError);
    expect((await r.resolve(['hidden'])).backend).toBe(hidden);
  });

  it('keeps the higher priority when a name is registered again', async () => {
    const r = new BackendRegistry();
    const [first, second, third] = [fake(), fake(), fake()];
    r.register('x', first, 5);
    r.register('x', second, 1); // lower: ignored
    expect((await r.resolve(['x'])).backend).toBe(first);
    expect(() => r.register('x', third, 5)).toThrow(/already registered with priority 5/);
    r.register('x', third, 7); // higher: replaces
    expect((await r.resolve(['x'])).backend).toBe(third);
    expect(r.names()).toEqual(['x']);
  });

  it('the process-wide registry holds the interpreter, by name only', async () => {
    expect(backends.names()).toContain('interpreter');
    const { backend } = await resolveBackend(['interpreter']);
    expect(backend).toBeInstanceOf(InterpreterBackend);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { sharedFetch } from './shared-fetch';

afterEach(() => vi.unstubAllGlobals());

/** A fetch that answers every URL with its own name (404 for names starting with "missing") and counts calls. */
function stubFetch() {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      calls.push(url);
      return new Response(url, { status: url.includes('missing') ? 404 : 200 });
    }),
  );
  return calls;
}

describe('sharedFetch', () => {
  it('reads each URL once and gives every caller the whole body', async () => {
    vi.stubGlobal('window', {});
    const calls = stubFetch();
    const s = sharedFetch();
    const [a, b] = await Promise.all([
      s.fetch('http://x/decoder.onnx'),
      s.fetch(new URL('http://x/decoder.onnx')),
    ]);
    expect(await a.text()).toBe('http://x/decoder.onnx');
    expect(await b.text()).toBe('http://x/decoder.onnx');
    expect(calls).toEqual(['http://x/decoder.onnx']);
    s.clear();
    await s.fetch('http://x/decoder.onnx');
    expect(calls).toHaveLength(2);
  });

  it('takes the responses index.html started, also ones added after it was made', async () => {
    const early: Record<string, Promise<{ r: Response; body: ArrayBuffer | null }>> = {};
    vi.stubGlobal('window', { __vaeEarly: early });
    const calls = stubFetch();
    const s = sharedFetch();
    const body = new TextEncoder().encode('early').buffer as ArrayBuffer;
    early['http://x/m.json'] = Promise.resolve({ r: new Response(null), body });
    expect(await (await s.fetch('http://x/m.json')).text()).toBe('early');
    expect(calls).toEqual([]);
  });

  it('keeps no failed response and leaves other methods alone', async () => {
    vi.stubGlobal('window', {});
    const calls = stubFetch();
    const s = sharedFetch();
    expect((await s.fetch('http://x/missing.json')).status).toBe(404);
    await new Promise((r) => setTimeout(r, 0));
    await s.fetch('http://x/missing.json');
    await s.fetch('http://x/a', { method: 'HEAD' });
    await s.fetch('http://x/a', { method: 'HEAD' });
    expect(calls).toHaveLength(4);
  });
});

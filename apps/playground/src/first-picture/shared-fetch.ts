/**
 * A fetch that reads each URL from the network once: the interpreter's first picture and the
 * onnxruntime-web load that follows it read the same bundle files (the bundle is served `no-cache`,
 * so a second plain fetch would download every file again). Only successful responses are kept.
 *
 * It starts with the responses index.html's inline script already asked for (`window.__vaeEarly`:
 * manifest.json, the decoder and the data-mean graph, fetched while the app's script downloads).
 */
export interface SharedFetch {
  fetch: typeof fetch;
  /** Drops the kept responses (once the model is loaded). */
  clear(): void;
}

/** A response and, when it succeeded, its whole body. */
interface Kept {
  r: Response;
  body: ArrayBuffer | null;
}

declare global {
  interface Window {
    /** Responses by URL that index.html started before the app's script ran. */
    __vaeEarly?: Record<string, Promise<Kept>>;
  }
}

export function sharedFetch(): SharedFetch {
  // The inline script adds the decoder's entries once manifest.json has arrived: look them up late.
  let early = window.__vaeEarly ?? {};
  // Bodies are read once, natively (arrayBuffer), not teed with clone(): a teed stream is pumped by
  // the main thread, which is busy at start-up.
  const kept = new Map<string, Promise<Kept>>();
  const keep = (url: string, body: Promise<Kept>) => {
    kept.set(url, body);
    body.then((k) => k.r.ok || kept.delete(url)).catch(() => kept.delete(url));
  };
  const read = (res: Promise<Response>): Promise<Kept> =>
    res.then(async (r) => ({ r, body: r.ok ? await r.arrayBuffer() : null }));
  const get = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (init?.method && init.method !== 'GET') return fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!kept.has(url)) keep(url, early[url] ?? read(fetch(input, init)));
    // Each caller gets a response of its own over the same bytes.
    return kept
      .get(url)!
      .then(({ r, body }) =>
        body ? new Response(body, { status: r.status, statusText: r.statusText, headers: r.headers }) : r,
      );
  };
  const clear = () => {
    kept.clear();
    early = {};
    window.__vaeEarly = undefined;
  };
  return { fetch: get as typeof fetch, clear };
}

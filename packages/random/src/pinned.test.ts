import { describe, expect, it } from 'vitest';
import { binarizeDraws } from './binarize-streams';
import { dataPermutation, fillNormal, fillUniform, fillWords } from './data-draws';
import { dataKey, foldIn, splitKey } from './data-key';
import { bernoulli, normal, permutation, randomBits, uniform } from './draws';
import { fold, key, split } from './key';
import { fillStream } from './stream';
import { xoshiro128ss } from './xoshiro';
import { zigguratNormals } from './ziggurat';

/**
 * Values recorded from the code as it was before this package existed (core's and datasets' Threefry
 * copies, train-node's xoshiro and ziggurat). Every stream of vae must keep giving exactly these:
 * a change here changes trained weights, epoch orders, the embedded digits' split and resumed runs.
 */

/** First 16 hex digits of SHA-256 over the array's bytes (WebCrypto: Node and browsers alike). */
async function digest(a: ArrayBufferView): Promise<string> {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(hash.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('pinned streams: keys and draws (what @vae/core re-exports)', () => {
  const k = key(1);

  it('key, split and fold', () => {
    expect(k).toEqual({ k0: 0, k1: 1 });
    expect(split(k, 3)).toEqual([
      { k0: 3852805195, k1: 1757667786 },
      { k0: 1981850241, k1: 3725618174 },
      { k0: 1349631562, k1: 515514625 },
    ]);
    expect(fold(k, 5)).toEqual({ k0: 1246732073, k1: 2516214555 });
  });

  it('the first draws of key(1)', () => {
    expect(Array.from(randomBits(k, 8))).toEqual([
      507451445, 1853169794, 1110694964, 1039769451, 1958986954, 1632282027, 4229539695, 2446453338,
    ]);
    expect(Array.from(uniform(k, 8))).toEqual([
      0.11815023422241211, 0.4314746856689453, 0.2586038112640381, 0.242090106010437, 0.4561121463775635,
      0.38004517555236816, 0.9847663640975952, 0.5696092844009399,
    ]);
    expect(Array.from(normal(k, 8))).toEqual([
      -1.8781557083129883, 0.8626282811164856, 0.08170412480831146, 1.6426321268081665, -0.9136486053466797,
      0.8574841618537903, -0.15872515738010406, -0.07421502470970154,
    ]);
    expect(Array.from(bernoulli(k, 0.3, 16))).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(Array.from(permutation(k, 16))).toEqual([0, 13, 7, 1, 9, 11, 4, 3, 12, 15, 2, 10, 6, 8, 14, 5]);
  });

  it('long runs', async () => {
    expect(await digest(uniform(key(123), 100_001))).toBe('23ddd3e546f81e5b');
    expect(await digest(normal(key(123), 100_001))).toBe('573da5e9478751f8');
  });
});

describe('pinned streams: the data-key family (what @vae/datasets re-exports)', () => {
  const k = dataKey(1);

  it('dataKey, foldIn and splitKey', () => {
    expect(k).toEqual({ hi: 0, lo: 1 });
    expect(foldIn(k, 5)).toEqual({ hi: 3243370355, lo: 1313272271 });
    expect(splitKey(k, 3)).toEqual([
      { hi: 1110694964, lo: 1039769451 },
      { hi: 3738448984, lo: 565692537 },
      { hi: 2349668145, lo: 1323307854 },
    ]);
  });

  it('words, uniforms and normals of a stream', async () => {
    const w = new Uint32Array(9);
    fillWords(k, 3, w, 1);
    expect(Array.from(w)).toEqual([
      2446453338, 3294775580, 2832445003, 4103380696, 4013137933, 150810639, 1537324351, 1535749755,
      1364843924,
    ]);
    const u = new Float32Array(8);
    fillUniform(k, 2, u);
    expect(Array.from(u)).toEqual([
      0.4561121463775635, 0.38004523515701294, 0.9425551891326904, 0.17798733711242676, 0.8959616422653198,
      0.21053218841552734, 0.6262156963348389, 0.5135425925254822,
    ]);
    const z = new Float64Array(8);
    fillNormal(k, 2, z);
    expect(Array.from(z)).toEqual([
      1.0325301168994736, -0.38975138499832845, -1.4927911703240688, -1.5157725802474986, 0.6782766064954587,
      -1.0248618006563184, 0.2523882371594585, 0.24887263891429284,
    ]);
    const u64 = new Float64Array(1001);
    fillUniform(foldIn(k, 9), 4, u64);
    expect(await digest(u64)).toBe('fbab73253484d2e6');
    const z64 = new Float64Array(1001);
    fillNormal(foldIn(k, 9), 4, z64);
    expect(await digest(z64)).toBe('a594f7698b23963d');
  });

  it('permutations: a shuffle, an epoch order of Batcher, the embedded digits split', async () => {
    expect(Array.from(dataPermutation(k, 16))).toEqual([
      4, 0, 3, 2, 12, 13, 7, 8, 10, 11, 15, 9, 1, 6, 14, 5,
    ]);
    expect(await digest(dataPermutation(foldIn(dataKey(7), 3), 60_000))).toBe('f74e3acb2b01149d');
    // Batcher's order for epoch 2 of 100 examples under { seed: 7 }: permutation(foldIn(key, epoch), n).
    expect(Array.from(dataPermutation(foldIn(dataKey(7), 2), 100))).toEqual([
      10, 26, 53, 87, 94, 38, 55, 32, 92, 74, 86, 80, 8, 12, 88, 18, 19, 24, 40, 35, 91, 11, 79, 37, 48, 93,
      57, 85, 61, 52, 21, 42, 49, 96, 27, 59, 16, 51, 72, 67, 43, 63, 7, 70, 99, 73, 83, 34, 29, 76, 75, 28,
      25, 30, 82, 5, 22, 13, 1, 14, 39, 77, 90, 4, 64, 78, 47, 60, 89, 33, 23, 68, 95, 45, 71, 84, 81, 15, 69,
      3, 46, 2, 97, 6, 65, 20, 9, 62, 54, 41, 98, 58, 17, 44, 50, 0, 31, 66, 36, 56,
    ]);
    // mnistDefault's train/test split: permutation({ seed: 0 }, 10000).
    expect(await digest(dataPermutation(dataKey(0), 10_000))).toBe('e5577ff18db75af8');
  });
});

describe('pinned streams: xoshiro128**, the ziggurat and the training noise', () => {
  const state = [0x9e3779b9, 0x243f6a88, 0x85a308d3, 0x13198a2f] as const;

  it('xoshiro128** words from the state (1, 2, 3, 4)', () => {
    const next = xoshiro128ss(1, 2, 3, 4);
    expect(Array.from({ length: 8 }, () => next())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849,
    ]);
  });

  it('the ziggurat: first 16 normals, and a million', async () => {
    const z = new Float32Array(16);
    zigguratNormals(...state, z, 0, 16);
    expect(Array.from(z)).toEqual([
      -1.0535539388656616, -0.8751354217529297, -1.5978049039840698, 0.19840645790100098, -0.7695304155349731,
      -1.0289030075073242, -2.3739817142486572, -0.13617683947086334, -1.9610637426376343,
      0.15696002542972565, -0.0969776138663292, -0.12478058785200119, -0.3480722904205322, 0.3571184277534485,
      1.152904748916626, 0.6542930006980896,
    ]);
    const many = new Float32Array(1_000_000);
    zigguratNormals(...state, many, 0, many.length);
    expect(await digest(many)).toBe('35e80656e918c212');
  });

  it('fillStream (train-node draws step s, noise input d from fold(fold(key, s), d))', async () => {
    const z = new Float32Array(8);
    fillStream(key(7), 'normal', z, 0, 8);
    expect(Array.from(z)).toEqual([
      -0.5746288299560547, -2.1794230937957764, -3.6666455268859863, -0.5153089761734009, -1.0053462982177734,
      0.1854902058839798, 1.0933459997177124, 0.874712347984314,
    ]);
    const u = new Float32Array(8);
    fillStream(key(8), 'uniform', u);
    expect(Array.from(u)).toEqual([
      0.3862822651863098, 0.6816166043281555, 0.6702271699905396, 0.11392724514007568, 0.4604787826538086,
      0.7563197612762451, 0.7741759419441223, 0.7178124785423279,
    ]);
    const big = new Float32Array(100_000);
    fillStream(fold(key(3), 2), 'normal', big, 0, big.length);
    expect(await digest(big)).toBe('d74055b1143eefe5');
    // Steps 3..6 of two noise inputs, laid out as stepNoiseFeeds does.
    const eps = new Float32Array(4 * 20);
    const v = new Float32Array(4 * 3);
    for (let j = 0; j < 4; j++) {
      fillStream(fold(fold(key(1), 3 + j), 0), 'normal', eps, j * 20, 20);
      fillStream(fold(fold(key(1), 3 + j), 1), 'uniform', v, j * 3, 3);
    }
    expect([await digest(eps), await digest(v)]).toEqual(['885ad314d674e8d8', 'c3abb300b0102295']);
  });

  it("training's dynamic binarisation: one example's draws, and a fixed batch of images", async () => {
    const key = foldIn(dataKey(5), 2);
    const u = new Uint16Array(13);
    binarizeDraws(key, 4, 13, u);
    expect(Array.from(u)).toEqual([
      18469, 32348, 38954, 5876, 18115, 33264, 11103, 44828, 20056, 13482, 30237, 41598, 57664,
    ]);
    // 37 images of 784 pixels in a shuffled order, binarised as train-node's Feeder does (its
    // WebAssembly kernel equals this reference draw for draw).
    const size = 784;
    const rows = 37;
    const pixels = Uint8Array.from({ length: rows * size }, (_, i) => (i * 101 + 7) % 256);
    const out = new Float32Array(rows * size);
    const draws = new Uint16Array(size);
    for (let r = 0; r < rows; r++) {
      const index = (r * 11) % rows;
      binarizeDraws(key, index, size, draws);
      for (let j = 0; j < size; j++) {
        const k = pixels[index * size + j]!;
        out[r * size + j] = k !== 0 && draws[j]! <= 257 * k ? 1 : 0;
      }
    }
    expect(Array.from(out.subarray(0, 32))).toEqual([
      0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0,
    ]);
    expect(await digest(out)).toBe('ed89964d708d0bca');
  });
});

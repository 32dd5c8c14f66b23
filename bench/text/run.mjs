#!/usr/bin/env node
// Text benchmark (issue 16, "Text"): a character-level text VAE (Bowman et al. 2016; `vae train
// --text chars`) against the language model of the same decoder with no latent variable (`--lm`),
// trained by the same code with the same sizes, epochs and seed, on Debian's word list. Reports,
// on one seeded test split: the importance-sampled NLL in nats per word and bits per character
// (characters + EOS), the -ELBO, the KL and the active units; a few samples and one interpolation.
// Writes bench/text/results.json. Not a test.
//
//   node bench/text/run.mjs                      the recorded figures (about 10 min on 2 busy cores)
//   node bench/text/run.mjs --epochs 1 --limit 300 --iw 20 --tag check    a pipeline check
//
// Corpus: /usr/share/dict/american-english (apt-get install wamerican), lower-cased, possessives
// ("'s" forms) and other words with an apostrophe left out, duplicates removed; `--max-len 12`
// leaves out longer words. The split is vae's own for text files: 10% of the lines as test (a
// seeded draw), 10% of the rest as validation.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, lastJsonLine, oursArgv, run } from '../lib/peer.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WORDS = '/usr/share/dict/american-english';

const { values: opt } = parseArgs({
  options: {
    epochs: { type: 'string', default: '4' },
    hidden: { type: 'string', default: '128' },
    embed: { type: 'string', default: '32' },
    latent: { type: 'string', default: '16' },
    batch: { type: 'string', default: '64' },
    'max-len': { type: 'string', default: '12' },
    'free-bits': { type: 'string', default: '0.25' },
    iw: { type: 'string', default: '100' },
    limit: { type: 'string', default: '2000' },
    threads: { type: 'string', default: '2' },
    tag: { type: 'string', default: 'default' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(`usage: node bench/text/run.mjs [--epochs 4] [--hidden 128] [--embed 32] [--latent 16] [--batch 64]
  [--max-len 12] [--free-bits 0.25] [--iw 100] [--limit 2000] [--threads 2] [--tag NAME] [--keep]`);
  process.exit(0);
}
if (!existsSync(WORDS)) {
  console.error(`${WORDS} is missing: apt-get install -y wamerican`);
  process.exit(2);
}

const cfg = {
  corpus: `${WORDS}, lower-cased, no apostrophes, unique, --max-len ${opt['max-len']}`,
  epochs: Number(opt.epochs),
  hidden: Number(opt.hidden),
  embed: Number(opt.embed),
  latent: Number(opt.latent),
  batch: Number(opt.batch),
  maxLen: Number(opt['max-len']),
  freeBits: Number(opt['free-bits']),
  iw: Number(opt.iw),
  limit: Number(opt.limit),
  threads: Number(opt.threads),
  seed: 1,
  recipe: 'GRU encoder and decoder, Adam lr 1e-3, seed 1; the test split: the first --limit test words',
};
const work = mkdtempSync(path.join(os.tmpdir(), 'vae-bench-text-'));
const seconds = (t) => Math.round((Date.now() - t) / 100) / 10;

const words = [
  ...new Set(
    readFileSync(WORDS, 'utf8')
      .split('\n')
      .map((w) => w.trim().toLowerCase())
      .filter((w) => w && !w.includes("'")),
  ),
];
const corpus = path.join(work, 'words.txt');
writeFileSync(corpus, `${words.join('\n')}\n`);

const vae = async (...args) =>
  lastJsonLine(await run(oursArgv(...args), path.join(work, `${args[0]}-${Date.now()}.log`), args.join(' ')));

/** One model: trained, evaluated on the test split, sampled (and interpolated for a VAE). */
async function model(name, flags) {
  const dir = path.join(work, name);
  let t = Date.now();
  const common = ['--threads', String(cfg.threads), '--quiet'];
  const tr = await vae(
    'train',
    '--dataset',
    corpus,
    '--text',
    'chars',
    '--max-len',
    String(cfg.maxLen),
    '--lowercase',
    '--latent',
    String(cfg.latent),
    '--hidden',
    String(cfg.hidden),
    '--embed',
    String(cfg.embed),
    '--batch',
    String(cfg.batch),
    '--epochs',
    String(cfg.epochs),
    '--seed',
    String(cfg.seed),
    ...flags,
    ...common,
    '--out',
    dir,
  );
  const train_s = seconds(t);
  t = Date.now();
  const ev = await vae('eval', '--run', dir, '--iw', String(cfg.iw), '--limit', String(cfg.limit), ...common);
  const eval_s = seconds(t);
  const samples = (await vae('sample', '--run', dir, '--n', '8', '--seed', '1', ...common)).strings;
  const interp = flags.includes('--lm')
    ? null
    : (await vae('interp', '--run', dir, '--from', 'water', '--to', 'electric', '--steps', '8', ...common))
        .strings;
  console.log(
    `${name}: NLL ${fmt(ev.nll_iw, 2)} nats (${fmt(ev.text.bits_per_char, 3)} bits/char), -ELBO ${fmt(ev.elbo, 2)}, KL ${fmt(ev.kl, 2)}, ${ev.active_units} active (train ${train_s} s, eval ${eval_s} s)`,
  );
  return {
    flags: flags.join(' '),
    train_s,
    eval_s,
    samples_per_s: tr.samples_per_s,
    best_val_elbo: tr.best_val_elbo,
    n: ev.n,
    nll_iw: ev.nll_iw,
    bits_per_char: ev.text.bits_per_char,
    elbo: ev.elbo,
    elbo_bits_per_char: ev.text.elbo_bits_per_char,
    kl: ev.kl,
    active_units: ev.active_units,
    positions_per_sequence: ev.text.positions_per_sequence,
    samples,
    interp,
  };
}

const t0 = Date.now();
const results = {
  config: cfg,
  words: words.length,
  machine: { cpus: os.cpus().length, node: process.version, load: os.loadavg()[0] },
  models: {},
};
results.models.lm = await model('lm', ['--lm']);
results.models.vae = await model('vae', ['--word-dropout', '0.25', '--free-bits', '0']);
results.models.vae_free_bits = await model('vae-free-bits', [
  '--word-dropout',
  '0.25',
  '--free-bits',
  String(cfg.freeBits),
]);
results.total_s = seconds(t0);

console.log('\n| model | NLL nats/word | bits/char | -ELBO | KL | active units | train s |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [name, m] of Object.entries(results.models))
  console.log(
    `| ${name} (${m.flags}) | ${fmt(m.nll_iw, 2)} | ${fmt(m.bits_per_char, 3)} | ${fmt(m.elbo, 2)} | ${fmt(m.kl, 2)} | ${m.active_units} | ${m.train_s} |`,
  );
for (const [name, m] of Object.entries(results.models)) {
  console.log(`${name} samples: ${m.samples.join(' ')}`);
  if (m.interp) console.log(`${name} interp water -> electric: ${m.interp.join(' -> ')}`);
}
const out = path.join(HERE, opt.tag === 'default' ? 'results.json' : `results-${opt.tag}.json`);
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), out)} (${results.total_s} s)`);
if (!opt.keep) rmSync(work, { recursive: true, force: true });
else console.log(`runs kept in ${work}`);

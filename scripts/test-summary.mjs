// Closing summary of scripts/test.sh: each stage and suite with its outcome, then one line
// "Tests: N passed, M failed". A suite that did not run or left no report counts as failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const [statusFile, seconds = '?'] = process.argv.slice(2);
const stages = readFileSync(statusFile, 'utf8')
  .trim()
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [name, code] = line.split(' ');
    return { name, code: Number(code) };
  });

// Every suite the workspace declares; one that test.sh never reached counts as failed too.
for (const root of ['packages', 'apps']) {
  for (const name of existsSync(root) ? readdirSync(root) : []) {
    const pkg = `${root}/${name}/package.json`;
    if (!existsSync(pkg)) continue;
    const scripts = JSON.parse(readFileSync(pkg, 'utf8')).scripts ?? {};
    for (const script of ['test', 'e2e']) {
      const stage = `${root}/${name}:${script}`;
      if (scripts[script] && !stages.some((s) => s.name === stage)) stages.push({ name: stage, code: -1 });
    }
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
const problems = [];
for (const { name, code } of stages) {
  const [dir, script] = name.split(':');
  if (!script) {
    // A check (lint, typecheck, publint): no test counts, only its outcome.
    rows.push(`  ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`}`);
    if (code !== 0) problems.push(name);
    continue;
  }
  const file = `${dir}/.test-results.${script}.json`;
  if (code === -1 || !existsSync(file)) {
    failed += 1;
    const why = code === -1 ? 'never started' : `exit ${code}, no report`;
    rows.push(`  ${name}: did not run (${why}): counted as 1 failed`);
    problems.push(name);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const bad = r.numFailedTests + (r.numFailedTestSuites ?? 0);
  passed += r.numPassedTests;
  failed += bad;
  skipped += r.numPendingTests + r.numTodoTests;
  let row = `  ${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`;
  if (r.numFailedTestSuites) row += `, ${r.numFailedTestSuites} test files failed to load`;
  if (code !== 0 && bad === 0) {
    // vitest exited non-zero with every test green (e.g. an unhandled error or a coverage threshold).
    failed += 1;
    row += ` (but exited ${code}: counted as 1 failed)`;
  }
  rows.push(row);
  if (code !== 0 || bad > 0) problems.push(name);
}

console.log(rows.join('\n'));
console.log(`suite time: ${seconds} s`);
if (skipped) console.log(`(${skipped} skipped)`);
if (problems.length) console.log(`failed: ${problems.join(', ')}`);
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exit(problems.length === 0 && passed > 0 ? 0 : 1);

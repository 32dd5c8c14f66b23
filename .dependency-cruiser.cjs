// The arrows of DESIGN.md, checked on every lint (`pnpm run lint`, and the `arrows` stage of
// scripts/test.sh): `pnpm exec depcruise packages apps bench --config .dependency-cruiser.cjs`.
//
// Workspace imports resolve to `src` through the `@vae/source` export condition, so `@vae/core/bundle`
// is `packages/core/src/bundle/index.ts` and the rules below speak of source paths. Type-only imports
// count (`tsPreCompilationDeps`): a type import is still an arrow, and a circle of them is a circle.
//
// To see a rule fail, add a forbidden import in a scratch file and run the command, e.g.
// `echo "import '../models/vae';" > packages/core/src/bundle/scratch.ts` gives
// "error bundle-does-not-import-models-or-export: packages/core/src/bundle/scratch.ts →
// packages/core/src/models/vae.ts" (and exit code 1); then delete the file.

/** Test code may import anything its package's devDependencies allow. */
const TEST_CODE = ['\\.test\\.ts$', '(^|/)test-helpers\\.ts$', '^packages/[^/]+/src/testing/'];
/** Any workspace source (what the per-package rules forbid, minus what each allows). */
const WORKSPACE = '^(packages|apps|bench)/';

/** `from` may import no workspace package but itself and `allowed` (package folder names); `except` is exempt. */
const onlyWorkspace = (name, from, allowed, comment, except) => ({
  name,
  severity: 'error',
  comment,
  from: { path: `^${from}/`, ...(except ? { pathNot: except } : {}) },
  to: { path: WORKSPACE, pathNot: `^(${from}|${allowed.map((p) => `packages/${p}`).join('|')})/` },
});

module.exports = {
  forbidden: [
    // One way arrows between packages (DESIGN.md "Packages").
    onlyWorkspace(
      'random-is-the-ground-floor',
      'packages/random',
      [],
      'packages/random (keys, draws, xoshiro, ziggurat) imports no other workspace package.',
    ),
    onlyWorkspace('core-uses-only-random', 'packages/core', ['random'], 'core -> random only.'),
    onlyWorkspace('datasets-uses-only-random', 'packages/datasets', ['random'], 'datasets -> random only.'),
    onlyWorkspace(
      'train-node-uses-core-datasets-random',
      'packages/train-node',
      ['core', 'datasets', 'random'],
      'train-node -> core, datasets, random.',
    ),
    onlyWorkspace(
      'train-web-uses-core-datasets-random',
      'packages/train-web',
      ['core', 'datasets', 'random'],
      'train-web -> core, datasets, random.',
    ),
    onlyWorkspace(
      'infer-web-uses-core-random',
      'packages/infer-web',
      ['core', 'random'],
      'infer-web -> core (its bundle entry, see infer-web-reads-the-bundle-only) and random.',
    ),
    onlyWorkspace(
      'playground-uses-infer-web-train-web',
      'apps/playground',
      ['infer-web', 'train-web'],
      'playground -> infer-web, train-web. Its e2e tests (Node, not shipped) may also use the ' +
        'Node side (train-node, core, datasets) as the reference the browser is checked against.',
      '^apps/playground/e2e/',
    ),
    {
      name: 'nothing-imports-bench',
      severity: 'error',
      comment: 'bench/ may import anything; nothing imports bench/.',
      from: { pathNot: '^bench/' },
      to: { path: '^bench/' },
    },
    {
      name: 'infer-web-reads-the-bundle-only',
      severity: 'error',
      comment:
        "infer-web's shipped code reads bundles through `@vae/core/bundle` (and runs a bundle's graphs " +
        "without onnxruntime through `@vae/core/onnx`, the ONNX reader and reference interpreter) and never reaches core's " +
        'models, IR, ONNX or export, nor its main barrel (its tests may build bundles with anything ' +
        'from core). Keys and draws come from @vae/random.',
      from: { path: '^packages/infer-web/src/', pathNot: TEST_CODE },
      to: { path: '^packages/core/', pathNot: '^packages/core/src/(bundle/|onnx-entry\\.ts$)' },
    },

    // Inside core: the bundle entry is the contract, small and browser-safe.
    {
      name: 'bundle-does-not-import-models-or-export',
      severity: 'error',
      comment:
        'core/src/bundle (the reading side) imports nothing from models/ or export/: arrows point to it.',
      from: { path: '^packages/core/src/bundle/' },
      to: { path: '^packages/core/src/(models|export)/' },
    },
    {
      name: 'bundle-imports-only-bundle-and-errors',
      severity: 'error',
      comment:
        '`@vae/core/bundle` stays small: besides itself it reaches only the user-error base class ' +
        '(and its npm dependency, valibot), not the IR, ONNX, layers or models.',
      from: { path: '^packages/core/src/bundle/' },
      to: { path: '^packages/core/src/', pathNot: '^packages/core/src/(bundle|errors)/' },
    },

    // Code that runs in browsers: no Node built-ins, no native runtime. Test code is exempt.
    {
      name: 'no-node-builtins-in-browser-code',
      severity: 'error',
      comment:
        "core, random, infer-web and datasets' browser-safe part (all but src/node/) import no Node " +
        'built-ins outside tests.',
      from: {
        path: '^packages/(core|random|infer-web|datasets)/src/',
        pathNot: [...TEST_CODE, '^packages/datasets/src/node/'],
      },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-onnxruntime-node-in-browser-code',
      severity: 'error',
      comment:
        'onnxruntime-node is for tests and train-node; shipped core/random/infer-web/datasets code never loads it.',
      from: {
        path: '^packages/(core|random|infer-web|datasets)/src/',
        pathNot: [...TEST_CODE, '^packages/datasets/src/node/'],
      },
      to: { path: '(^|/)onnxruntime-node(/|$)' },
    },
    {
      name: 'no-test-code-behind-an-entry',
      severity: 'error',
      comment:
        'Nothing a user can import (the files behind an exports entry) reaches test code: test ' +
        'helpers, src/testing/ or *.test.ts (they need Node, onnxruntime-node, Python).',
      from: { path: '^packages/[^/]+/src/(index|pure|worker|cli|bundle/index|backend/register)\\.ts$' },
      to: { path: TEST_CODE, reachable: true },
    },

    // npm packages: a package's shipped code uses its dependencies, not its devDependencies. (An npm
    // package it does not declare does not resolve under pnpm: see not-to-unresolvable.)
    {
      name: 'shipped-code-uses-no-dev-deps',
      severity: 'error',
      comment:
        "A package's shipped code (src/ minus tests) imports no devDependency: users do not install them.",
      from: { path: '^packages/[^/]+/src/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },

    // Everywhere.
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles, type-only imports included (DESIGN.md: arrows one way).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'Every import resolves from its own package (one that did not would slip past the rules ' +
        "above, and an npm package borrowed from a sibling's node_modules does not resolve with pnpm). " +
        "The playground's e2e harness resolves onnxruntime-node from train-node's folder on purpose " +
        '(createRequire), which no static resolver can follow. A bin or script that loads its own ' +
        "package's build output (../dist/) resolves only after a build, so it is not judged here.",
      from: { pathNot: '^apps/playground/e2e/harness\\.ts$' },
      to: { couldNotResolve: true, pathNot: '^\\.\\./dist/' },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // Build output of the workspace's own folders (not npm packages' dist/, which holds their code).
    exclude: { path: '^(packages/[^/]+|apps/[^/]+|bench)/(dist|coverage|\\.turbo)/' },
    tsPreCompilationDeps: true,
    // Shared tools (vitest, tsup, typescript) are root devDependencies: merge the package.json files
    // from a module's package up to the root.
    combinedDependencies: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // The workspace's own condition first: sibling packages resolve to their src.
      conditionNames: ['@vae/source', 'import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};

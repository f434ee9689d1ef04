// @ts-check
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

// import-x/no-cycle skips `import type` (node_modules/eslint-plugin-import-x/lib/rules/no-cycle.js:69-74), and the one
// circle this repo had (host.ts <-> ctl/* <-> host-info.ts) was type-only. `weft/no-cycle` follows every static
// relative import and re-export, type-only ones included (dynamic `import()` is a lazy load, not a cycle), over the
// files' text, cached per lint run.
const edges = new Map();
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
function importsOf(file) {
  let out = edges.get(file);
  if (out) return out;
  out = [];
  edges.set(file, out);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const m of text.matchAll(IMPORT)) if (m[1].endsWith('.ts')) out.push(resolve(dirname(file), m[1]));
  return out;
}
/** A path from `from` back to `start`, or undefined. */
function cycleThrough(start, from, seen = new Set()) {
  for (const next of importsOf(from)) {
    if (next === start) return [from];
    if (seen.has(next)) continue;
    seen.add(next);
    const rest = cycleThrough(start, next, seen);
    if (rest) return [from, ...rest];
  }
  return undefined;
}
const weftPlugin = {
  rules: {
    'no-cycle': {
      meta: { type: 'problem', schema: [], messages: { cycle: 'import cycle (type imports included): {{path}}' } },
      create(context) {
        return {
          Program(node) {
            const file = resolve(context.filename);
            const path = cycleThrough(file, file);
            if (path) {
              const rel = (f) => f.slice(import.meta.dirname.length + 1);
              context.report({ node, messageId: 'cycle', data: { path: [...path, file].map(rel).join(' -> ') } });
            }
          },
        };
      },
    },
  },
};

// Subjects are written only by lattice/subjects.ts (STYLE 6.1); elsewhere a string or template starting with one of
// wasmCloud's subject prefixes is a second writer. Comments are not checked.
const subjectStrings = [
  {
    selector: 'Literal[value=/^(wasmbus\\.|wadm\\.(api|status)\\.)/]',
    message: 'write subjects only in lattice/subjects.ts (a builder there, e.g. ctlSubject, rpcSubject, wadmSubject)',
  },
  {
    selector: 'TemplateElement[value.raw=/^(wasmbus\\.|wadm\\.(api|status)\\.)/]',
    message: 'write subjects only in lattice/subjects.ts (a builder there, e.g. ctlSubject, rpcSubject, wadmSubject)',
  },
];
// capabilities/ must not spell the host's or the lattice's error codes: use the kinds of lattice/errors.ts
// (isTimeout, isBusy, isTooLarge, isLinkNotFound, ...) or the RemoteErrorCode / provider wire codes.
const foreignCodes = [
  {
    selector: 'Literal[value=/^(COMP|HOST|LAT)_[A-Z_]+$/]',
    message: "a capability does not spell the host's or lattice's codes: use lattice's error kinds (isTimeout, …)",
  },
];

// From outside a top-level folder, import it only through an index.ts (its own or a sub-folder's, e.g.
// lattice/wascap/index.ts), lattice/client.ts (lattice's light entry for the CLI) or lattice/pure.ts (its pure
// functions, for guest workers). Applies to every folder and to
// test/ (a module's unit test next to it imports its neighbours). Static imports only: ESLint does not check
// `await import()`.
const throughIndex = [
  {
    regex: '^(\\.\\./)+lattice/(?!(.*/)?index\\.ts$)(?!(client|pure)\\.ts$)',
    message: "import lattice/ through lattice/index.ts, a sub-folder's index.ts, lattice/client.ts or lattice/pure.ts",
  },
  {
    regex: '^(\\.\\./)+(host|capabilities|wit)/(?!(.*/)?index\\.ts$)',
    message: "import another folder through its index.ts (or a sub-folder's index.ts)",
  },
];

const hostPatterns = [
  { group: ['**/capabilities/**', '**/cli/**'], message: 'only host/cli/ wires capabilities (composition root)' },
  ...throughIndex,
];
// What lattice/pure.ts re-exports (it loads in every guest worker, so it and these stay free of imports).
const pureModules = ['pure', 'wit-names', 'wasm-bytes', 'wasm-kind', 'errors', 'settle-within'];
const latticeBarrelInWorkers = {
  regex: '^(\\.\\./)+lattice/index\\.ts$',
  allowTypeImports: true,
  message: 'host/runtime/ runs in guest workers: take values from lattice/pure.ts (the barrel loads nats.js and more)',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'actors/**', 'wit/gen/**', '**/*.js', 'test/fixtures/**', '**/.cache/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX, weft: weftPlugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'import-x/no-cycle': 'error',
      'weft/no-cycle': 'error',
    },
  },
  {
    files: ['host/**/*.ts', 'lattice/**/*.ts', 'capabilities/**/*.ts'],
    ignores: ['**/*.test.ts', 'lattice/subjects.ts'],
    rules: { 'no-restricted-syntax': ['error', ...subjectStrings] },
  },
  {
    files: ['capabilities/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...subjectStrings, ...foreignCodes] },
  },
  {
    files: ['lattice/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/host/**', '**/capabilities/**'], message: 'lattice/ may not import host/ or capabilities/' },
            ...throughIndex,
          ],
        },
      ],
    },
  },
  {
    files: ['capabilities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/host/**'], message: 'capabilities/ may not import host/' }, ...throughIndex] },
      ],
    },
  },
  {
    files: ['host/**/*.ts'],
    ignores: ['host/cli/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: hostPatterns }] },
  },
  {
    // host/runtime/ runs in guest workers: its values from lattice come from the pure entry; the barrel only as
    // types or by a lazy `await import()` where a worker needs NATS (worker-lattice.ts, worker-http.ts)
    files: ['host/runtime/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...hostPatterns, latticeBarrelInWorkers] }] },
  },
  {
    // the modules behind lattice/pure.ts stay pure: they import nothing but each other
    files: pureModules.map((m) => `lattice/${m}.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(?!\\./(${pureModules.join('|')}|rpc/wit-error)\\.ts$)`,
              message: 'lattice/pure.ts loads in every guest worker: its modules import nothing but each other',
            },
          ],
        },
      ],
    },
  },
  {
    // WitError, also behind lattice/pure.ts: the error codes and nothing else
    files: ['lattice/rpc/wit-error.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\.\\./errors\\.ts$)', message: 'lattice/pure.ts loads WitError in every guest worker' },
          ],
        },
      ],
    },
  },
  {
    files: ['host/cli/**/*.ts', 'wit/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: throughIndex }] },
  },
);

// @ts-check
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

// From outside a top-level folder, import it only through an index.ts (its own or a sub-folder's, e.g.
// lattice/wascap/index.ts) or lattice/client.ts, lattice's light entry for the CLI. Applies to every folder and to
// test/ (a module's unit test next to it imports its neighbours). Exception: test/bench/experiment-*.ts, which
// measure the runtime's internal pieces (transpile cache, export lookup, wasi imports) on their own. Static imports
// only: ESLint does not check `await import()`.
const throughIndex = [
  {
    regex: '^(\\.\\./)+lattice/(?!(.*/)?index\\.ts$)(?!client\\.ts$)',
    message: "import lattice/ through lattice/index.ts, a sub-folder's index.ts or lattice/client.ts",
  },
  {
    regex: '^(\\.\\./)+(host|capabilities|wit)/(?!(.*/)?index\\.ts$)',
    message: "import another folder through its index.ts (or a sub-folder's index.ts)",
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'actors/**', 'wit/gen/**', '**/*.js', 'test/fixtures/**', '**/.cache/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'import-x/no-cycle': 'error',
    },
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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/capabilities/**', '**/cli/**'],
              message: 'only host/cli/ wires capabilities (composition root)',
            },
            ...throughIndex,
          ],
        },
      ],
    },
  },
  {
    files: ['host/cli/**/*.ts', 'wit/**/*.ts', 'test/**/*.ts'],
    ignores: ['test/bench/experiment-*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: throughIndex }] },
  },
);

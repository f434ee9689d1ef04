// @ts-check
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const noDeepImport = (folders) =>
  folders.map((f) => ({ group: [`**/${f}/*/**`, `!**/${f}/index.ts`], message: `import ${f}/ through its index.ts` }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'actors/**', 'wit/gen/**', '**/*.js', 'test/fixtures/**', '**/.cache/**'] },
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
        { patterns: [{ group: ['**/host/**', '**/capabilities/**'], message: 'lattice/ may not import host/ or capabilities/' }] },
      ],
    },
  },
  {
    files: ['capabilities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/host/**'], message: 'capabilities/ may not import host/' }] },
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
            { group: ['**/capabilities/**', '**/cli/**'], message: 'only host/cli/ wires capabilities (composition root)' },
          ],
        },
      ],
    },
  },
);

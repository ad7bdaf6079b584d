// ESLint flat config: typescript-eslint's recommended rules (the non-type-checked set, so `npm run lint` needs no
// type information and stays fast) over the TypeScript sources and tests, and ESLint's recommended rules over the
// CommonJS scripts, benches and bin/ launchers. Formatting is Prettier's job (`prettier --check` in `npm run lint`),
// so eslint-config-prettier comes last and turns off every stylistic rule that would fight it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    // Build output, installed packages, runtime state and the files `npm run gen` writes (config/, xml/).
    ignores: ['**/dist/**', '**/node_modules/**', 'var/**', 'config/**', 'xml/**', 'tests/fixtures/**'],
  },
  {
    // An `eslint-disable` comment that no longer silences anything is an error, so none outlives its reason.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      // The usual `_` prefix marks a binding kept on purpose: parameters a callback's signature requires, and a
      // destructured element or property that is skipped or dropped (six such uses today).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS: scripts/, bench/ and the bin/ launchers run as plain node scripts without a build step and load the
    // packages' dist/ with require(). The launchers have no extension, and ESLint does not pick files up by a bare
    // `bin/*`, hence the two patterns.
    files: ['scripts/**/*.js', 'bench/**/*.js', 'bin/utm5_*', 'bin/get_nf_direct'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  prettier,
);

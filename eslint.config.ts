import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createLayeringRule } from './build/lint/layeringRule';

const root = path.dirname(fileURLToPath(import.meta.url));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.ci/tmp/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { cordon: { rules: { layering: createLayeringRule(root) } } },
    rules: {
      'cordon/layering': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
      // Page-supplied strings must never become code.
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      // Page input must never reach the OS: nothing in Cordon opens external URLs or files.
      'no-restricted-properties': [
        'error',
        { object: 'shell', property: 'openExternal', message: 'Cordon never hands URLs to the OS (external protocols must not leave the workspace).' },
        { object: 'shell', property: 'openPath', message: 'Cordon never opens files with the OS.' },
      ],
    },
  },
  {
    // Tools, demo servers and tests talk to a terminal.
    files: ['demo/**', 'test/**', 'build/**', 'main/policy/policyCli.ts'],
    rules: { 'no-console': 'off' },
  },
);

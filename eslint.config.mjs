// ESLint flat config: typescript-eslint's type-aware rules for the TypeScript sources (the
// editor's under editor/tsconfig.json), the recommended rules for the plain-JS scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    // resources/iot-explorer-editor.js is built from editor/ (scripts/build-editor.js).
    ignores: ['dist/**', 'node_modules/**', '.demo/**', 'test/artifacts/**', 'resources/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Node-RED's constructor idiom: `const node = this` for use in callbacks.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['node'] }],
    },
  },
  {
    // A node's editor part (nodes/<type>/editor.ts) runs in the browser: the editor's tsconfig.
    files: ['nodes/*/editor.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: './editor/tsconfig.json' },
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      // Messages caught in tests are arbitrary JSON from the runtime.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['scripts/**/*.js', '.ci/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
);

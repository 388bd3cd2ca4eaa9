// ESLint flat config: typescript-eslint's type-aware rules for the TypeScript sources (the
// editor's under editor/tsconfig.json), the recommended rules for the plain-JS scripts.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The runtime's layers in lib/, bottom first. A folder imports from the folders below it, never
 * from one above: so no import circle can form between folders, and a wrong import fails lint
 * (test/unit/layers.test.ts also fails on any import circle, between files too).
 *   shared   rules the browser editor uses too: no Node.js API
 *   errors   the error type, its codes and texts
 *   api      the API client: contracts, transport, pipeline, paging, one module per domain
 *   auth     tokens: pasted, signed in and renewed, their health
 *   push     the account's push socket
 *   watch    the watch node's workers (reads, push watcher, changes)
 *   home     the account's home: its reader, model, changes and the shared device feed
 *   account  what an account config node holds, reached through one accessor
 *   node     what every node shares: message life cycle, fields, migrations, translations
 *   admin    the editor's routes
 */
export const LIB_LAYERS = [
  'shared',
  'errors',
  'api',
  'auth',
  'push',
  'watch',
  'home',
  'account',
  'node',
  'admin',
];

/** Node.js's own modules, as `fs` and as `node:fs`: lib/shared runs in the browser too. */
const NODE_APIS = [...builtinModules, ...builtinModules.map((name) => `node:${name}`), 'ws'];

/** One `no-restricted-imports` rule per folder of lib/, from {@link LIB_LAYERS}. */
const layerRules = LIB_LAYERS.map((folder, index) => {
  const above = LIB_LAYERS.slice(index + 1);
  const patterns = [
    {
      group: ['**/nodes/**', ...above.flatMap((name) => [`../${name}`, `../${name}/**`])],
      message:
        `lib/${folder}/ sits below ${above.map((name) => `lib/${name}/`).join(', ') || 'nothing'} ` +
        'and nodes/: it may not import them (the layers are in eslint.config.mjs).',
    },
  ];
  const rule = { patterns };
  if (folder === 'shared') {
    rule.paths = NODE_APIS.map((name) => ({
      name,
      message: 'lib/shared/ is bundled into the browser editor: no Node.js API here.',
    }));
  }
  return { files: [`lib/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', rule] } };
});

export default tseslint.config(
  {
    // resources/iot-explorer-editor.js is built from editor/ (scripts/build-editor.js).
    ignores: ['dist/**', 'node_modules/**', '.demo/**', 'test/artifacts/**', 'resources/**'],
  },
  {
    // The Dashboard 2 companion's build output (its scripts/build.mjs).
    ignores: [
      'node-red-dashboard-2-tencent-iot-explorer/{dist,resources,node_modules}/**',
      'node-red-dashboard-2-tencent-iot-explorer/test/artifacts/**',
    ],
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
  ...layerRules,
  {
    // The runtime asserts nothing it cannot prove: no `value!`.
    files: ['lib/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'error' },
  },
  {
    // A node's editor part (nodes/<type>/editor.ts) runs in the browser: the editor's tsconfig.
    files: ['nodes/*/editor.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: './editor/tsconfig.json' },
    },
  },
  {
    files: [
      'test/**/*.ts',
      'bench/**/*.ts',
      'node-red-dashboard-2-tencent-iot-explorer/{test,bench}/**/*.ts',
    ],
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

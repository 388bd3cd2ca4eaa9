// Builds what the package ships, from its sources (run by the root's `npm run build` and when
// the package is packed, so that a palette install needs no build tools):
// - dist/auth.js: the dashboard login for settings.js (lib/auth/dashboard-auth.ts);
// - dist/nodes/: the node's runtime, TypeScript bundled by esbuild into one readable CommonJS
//   file (with the main package's shared data-template rules it imports), beside its editor
//   HTML and locales, as Node-RED expects them;
// - resources/ui-iot-explorer-device.umd.js: the browser's component, by Vite (vite.config.mjs).
import { build as esbuild } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as vite } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'nodes');

function copyTree(from, to, keep) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, keep);
    else if (keep(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
await esbuild({
  absWorkingDir: root,
  entryPoints: ['nodes/ui-iot-explorer-device.ts'],
  outfile: 'dist/nodes/ui-iot-explorer-device.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: ['node20'],
  minify: false,
  legalComments: 'inline',
  logLevel: 'warning',
  banner: {
    js:
      '/* @homeflow/node-red-dashboard-2-tencent-iot-explorer: built from nodes/ and lib/ by ' +
      'scripts/build.mjs. Do not edit: edit the sources. */',
  },
  // Node-RED calls the module's export: the register function, not an ES module namespace.
  footer: { js: 'module.exports = module.exports.default;' },
});
// The dashboard login helper for settings.js: require('<package>/auth').
await esbuild({
  absWorkingDir: root,
  entryPoints: ['lib/auth/dashboard-auth.ts'],
  outfile: 'dist/auth.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: ['node20'],
  minify: false,
  logLevel: 'warning',
});
copyTree(path.join(root, 'nodes'), out, (name) => !name.endsWith('.ts'));
await vite({ root, configFile: path.join(root, 'vite.config.mjs') });

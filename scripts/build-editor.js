'use strict';
// Bundles the editor's TypeScript (editor/index.ts, each node's editor part in
// nodes/<type>/editor.ts and the lib/shared rules they import) into the one script every
// node's .html loads. Node-RED serves a package's resources/ folder at /resources/<package name>/. The bundle stays readable (not minified) with a source map:
// the Flow Library and users read it.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

const BANNER =
  "/* @homeflow/node-red-tencent-iot-explorer: the editor's shared code, built from editor/,\n" +
  ' * nodes/<type>/editor.ts and lib/shared/ by scripts/build-editor.js (npm run build).\n' +
  ' * Do not edit: edit the sources. */';

function buildEditor() {
  return esbuild.build({
    absWorkingDir: root,
    entryPoints: ['editor/index.ts'],
    outfile: 'resources/iot-explorer-editor.js',
    tsconfig: 'editor/tsconfig.json',
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // The browsers Node-RED 4's editor supports.
    target: ['es2020'],
    minify: false,
    sourcemap: 'linked',
    sourcesContent: true,
    charset: 'utf8',
    legalComments: 'inline',
    banner: { js: BANNER },
    logLevel: 'warning',
  });
}

module.exports = { buildEditor };

if (require.main === module) {
  buildEditor().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

'use strict';
// Copies what tsc does not emit (editor HTML, locales, icons) beside the compiled nodes,
// because Node-RED looks for them next to each node's .js file; then bundles the editor's
// shared code into resources/ (scripts/build-editor.js).
const fs = require('node:fs');
const path = require('node:path');
const { buildEditor } = require('./build-editor');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'nodes');

function copyTree(from, to, keep) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copyTree(src, dst, keep);
    } else if (keep(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

copyTree(path.join(root, 'nodes'), out, (name) => !name.endsWith('.ts'));
copyTree(path.join(root, 'icons'), path.join(out, 'icons'), () => true);

buildEditor().catch((err) => {
  console.error(err);
  process.exit(1);
});

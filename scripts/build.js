'use strict';
// Copies what tsc does not emit (editor HTML, locales, icons) beside the compiled nodes,
// because Node-RED looks for them next to each node's .js file, with the error texts of
// lib/errors/locales added to the account catalogue.
// Then bundles the editor's shared code into resources/ (scripts/build-editor.js).
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

// Error texts belong to lib/ (the client and the nodes build errors from them) and are written
// in lib/errors/locales/<lang>.json. Node-RED translates them with the account node's
// catalogue, so they are added to it here, under `errors`.
const errorLocales = path.join(root, 'lib', 'errors', 'locales');
for (const file of fs.readdirSync(errorLocales)) {
  if (!file.endsWith('.json')) continue;
  const lang = path.basename(file, '.json');
  const target = path.join(out, 'locales', lang, 'iot-explorer-account.json');
  const catalogue = JSON.parse(fs.readFileSync(target, 'utf8'));
  if ('errors' in catalogue) {
    throw new Error(
      `nodes/locales/${lang}/iot-explorer-account.json has an "errors" section: ` +
        `error texts live in lib/errors/locales/${lang}.json; move them there.`,
    );
  }
  catalogue.errors = JSON.parse(fs.readFileSync(path.join(errorLocales, file), 'utf8'));
  fs.writeFileSync(target, `${JSON.stringify(catalogue, null, 2)}\n`);
}
buildEditor().catch((err) => {
  console.error(err);
  process.exit(1);
});

'use strict';
// Emits the flat layout Node-RED loads from the per-node folders of nodes/: for each node type,
// dist/nodes/<type>.js (a one-line entry requiring the compiled nodes/<type>/<type>.js), its
// .html beside it and its catalogues in dist/nodes/locales/<lang>/, because Node-RED looks for
// them next to each node's .js file; the icons in dist/nodes/icons/; the error texts of
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

/** Each node's folder, nodes/<type>/: its runtime <type>.ts, its <type>.html, its locales/. */
function emitNode(type) {
  const folder = path.join(root, 'nodes', type);
  for (const file of [`${type}.ts`, `${type}.html`]) {
    if (!fs.existsSync(path.join(folder, file))) {
      throw new Error(`nodes/${type}/ has no ${file}: a node's folder holds its runtime and .html`);
    }
  }
  const compiled = path.join(out, type, `${type}.js`);
  if (!fs.existsSync(compiled)) {
    throw new Error(`${path.relative(root, compiled)} is missing: run tsc first (npm run build)`);
  }
  fs.writeFileSync(
    path.join(out, `${type}.js`),
    `'use strict';\n// Built by scripts/build.js: Node-RED loads this file, its .html and locales/ beside it.\n` +
      `module.exports = require('./${type}/${type}.js');\n`,
  );
  fs.copyFileSync(path.join(folder, `${type}.html`), path.join(out, `${type}.html`));
  // Node-RED reads <type>.json and <type>.html of each language (its texts and its help).
  for (const lang of fs.readdirSync(path.join(folder, 'locales'))) {
    fs.mkdirSync(path.join(out, 'locales', lang), { recursive: true });
    for (const file of fs.readdirSync(path.join(folder, 'locales', lang))) {
      if (file !== `${type}.json` && file !== `${type}.html`) {
        throw new Error(
          `nodes/${type}/locales/${lang}/${file}: Node-RED reads only ${type}.json|.html`,
        );
      }
      fs.copyFileSync(
        path.join(folder, 'locales', lang, file),
        path.join(out, 'locales', lang, file),
      );
    }
  }
}

for (const entry of fs.readdirSync(path.join(root, 'nodes'), { withFileTypes: true })) {
  if (entry.isDirectory()) emitNode(entry.name);
}
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
      `nodes/iot-explorer-account/locales/${lang}/iot-explorer-account.json has an "errors" section: ` +
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

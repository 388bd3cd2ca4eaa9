// `npm start`: the demo. Before `npm run build` rebuilds dist/, the last build's
// dist/demo/preflight.js checks the demo's ports and options, so that a second `npm start`
// says which port is taken (and which variable moves it) instead of rebuilding dist/ under the
// demo that is running. Plain JavaScript: it runs before anything is compiled. Then it builds
// and runs dist/demo/run.js with the arguments given after `npm start --`.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);

/** dist/demo/preflight.js of the last build, or undefined before the first one. */
function lastPreflight() {
  const file = path.join(root, 'dist', 'demo', 'preflight.js');
  if (!fs.existsSync(file)) return undefined;
  try {
    return require(file);
  } catch {
    // A build of another version: its checks are not trusted; the run's own checks remain.
    return undefined;
  }
}

async function main() {
  const preflight = lastPreflight();
  if (preflight && typeof preflight.beforeBuild === 'function') {
    if (await preflight.beforeBuild(args)) return;
  }
  // npm sets npm_execpath to its own script when it runs this one.
  const npm = process.env.npm_execpath;
  const build = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: true });
  if (build.status !== 0) {
    process.exitCode = build.status ?? 1;
    return;
  }
  // The build replaced the files the check above loaded: forget them, then start the demo,
  // which reads its options from process.argv as when started on its own.
  const dist = path.join(root, 'dist') + path.sep;
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(dist)) delete require.cache[file];
  }
  require(path.join(root, 'dist', 'demo', 'run.js'));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

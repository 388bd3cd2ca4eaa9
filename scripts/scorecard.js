'use strict';
// `npm run scorecard`: packs the package as npm would publish it and runs the Flow Library's
// validator (node-red-dev validate) on the tarball's contents. An argument names another
// package folder of the repository to check instead (the Dashboard 2 companion). The catalogue is answered by a
// stub on 127.0.0.1; the npm registry is asked as usual. Exits non-zero when a check fails or
// the validator warns.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', process.argv[2] ?? '.');
const EXPECTED_CHECKS = 12;

/**
 * What the stub catalogue lists: a few well-known modules and their node types, so that the
 * uniqueness and similar-name checks compare against something. Our own types are not in it.
 */
const CATALOGUE = {
  name: 'Node-RED Community catalogue (local stub)',
  updated_at: new Date(0).toISOString(),
  modules: [
    { id: 'node-red-dashboard', version: '3.6.5', types: ['ui_button', 'ui_text', 'ui_switch'] },
    { id: 'node-red-node-email', version: '3.0.0', types: ['e-mail', 'e-mail in'] },
    { id: 'node-red-node-serialport', version: '2.0.3', types: ['serial in', 'serial out'] },
    {
      id: 'node-red-contrib-home-assistant-websocket',
      version: '0.80.0',
      types: ['api-call-service', 'server'],
    },
  ],
};

function startStub() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(CATALOGUE));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-scorecard-'));
  const server = await startStub();
  try {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    )[0];
    const tarball = path.join(work, packed.filename);
    execFileSync('tar', ['-xzf', tarball, '-C', work]);
    const packageDir = path.join(work, 'package');
    const report = path.join(work, 'scorecard.json');
    const validator = require.resolve('node-red-dev/bin/run');
    const { port } = server.address();
    const { code, output } = await run(
      process.execPath,
      [
        '--require',
        path.join(__dirname, 'scorecard-catalogue.js'),
        validator,
        'validate',
        '--path',
        packageDir,
        '--output',
        report,
      ],
      { IOTX_CATALOGUE_URL: `http://127.0.0.1:${port}/catalogue.json` },
    );
    process.stdout.write(output);
    const problems = [];
    if (code !== 0) problems.push(`node-red-dev exited with code ${code}`);
    const warnings = output.split('\n').filter((line) => /warn|error|✗|❌/i.test(line));
    problems.push(...warnings.map((line) => `warning: ${line.trim()}`));
    const scorecard = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : {};
    // `package` names what was checked; every other entry is one check (P01, N01, D01, …).
    const checks = Object.entries(scorecard).filter(([id]) => id !== 'package');
    for (const [id, result] of checks) {
      if (!result || result.test !== true) problems.push(`${id} failed: ${JSON.stringify(result)}`);
    }
    if (checks.length !== EXPECTED_CHECKS) {
      problems.push(`expected ${EXPECTED_CHECKS} checks, the validator reported ${checks.length}`);
    }
    console.log(
      `\nscorecard of ${packed.name}@${packed.version} (${packed.entryCount} files, ${packed.size} bytes packed):`,
    );
    for (const [id, result] of checks) console.log(`  ${result.test ? 'pass' : 'FAIL'}  ${id}`);
    if (problems.length) {
      console.error(`\n${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
      process.exitCode = 1;
    } else {
      console.log(`\nall ${checks.length} checks pass, no warning`);
    }
  } finally {
    server.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

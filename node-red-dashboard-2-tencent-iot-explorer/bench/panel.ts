// `npm run bench:dashboard`: the device panel's figures, printed (no target is asserted here).
// - push → DOM: a device report in the simulator until the new value is in the browser's DOM,
//   over BENCH_CHANGES (default 200) changes one after another: p50, p90, p99, max;
// - first draw: a room of 10 lamps, from navigation until every card shows its values, median of
//   BENCH_DRAWS (default 5) page loads; and the API calls those page loads made;
// - size as shipped: the widget's UMD (raw and gzip), the node's bundle, the packed tarball.
// Everything runs on 127.0.0.1: the simulator in this process, Node-RED with both packages in its
// own, Debian's Chromium headless.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { launchBrowser, CHROMIUM } from '../../test/support/browser';
import { loadFixture, type Fixture } from '../../simulator';
import { COMPANION_ROOT, panelFlow, startPanelRig, until, WIDGET } from '../test/support/dashboard';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const DRAWS = Number(process.env.BENCH_DRAWS ?? 5);
const ROOM = 'r_bench';
const LAMPS = Array.from({ length: 10 }, (_, i) => `bench_lamp_${String(i + 1).padStart(2, '0')}`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/** The default fixture with a room of 10 lamps in the demo family. */
function benchFixture(): Fixture {
  const fixture = structuredClone(loadFixture());
  const family = fixture.families.find((f) => f.FamilyId === 'f_demo_home');
  if (!family) throw new Error('the default fixture has no f_demo_home');
  family.rooms = [...(family.rooms ?? []), { RoomId: ROOM, RoomName: 'Bench room' }];
  for (const name of LAMPS) {
    fixture.devices.push({
      ProductId: 'LIGHT0A1B2',
      DeviceName: name,
      AliasName: name,
      FamilyId: 'f_demo_home',
      RoomId: ROOM,
      properties: { power_switch: 0, brightness: 10 },
    });
  }
  return fixture;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  const started = Date.now();
  const lines: string[] = [];
  const print = (line: string): void => {
    lines.push(line);
    console.log(line);
  };
  print(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? '?'}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  // --- size as shipped
  const umd = fs.readFileSync(path.join(COMPANION_ROOT, 'resources', `${WIDGET}.umd.js`));
  const node = fs.readFileSync(path.join(COMPANION_ROOT, 'dist', 'nodes', `${WIDGET}.js`));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: COMPANION_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as { size: number; unpackedSize: number; entryCount: number }[];

  const rig = await startPanelRig(
    (endpoint) => panelFlow(endpoint, { selection: 'room', familyId: 'f_demo_home', roomId: ROOM }),
    { simulator: { fixture: benchFixture() } },
  );
  const browser = await launchBrowser('en-US');
  try {
    const url = `${rig.red.url}/dashboard/home`;
    const page = browser.page;
    const drawn = () =>
      page.evaluate((count: number) => {
        const cards = [...document.querySelectorAll('.iotx-device')];
        return (
          cards.length === count &&
          cards.every((c) => {
            const value = c.querySelector('.iotx-control[data-property="brightness"] .iotx-value');
            return value !== null && value.textContent?.trim() !== '—';
          })
        );
      }, LAMPS.length);

    // --- first draw of a room of 10 devices (the node has read them once, at deploy)
    await page.goto(url);
    await until('the first page load', drawn, 60000);
    const draws: number[] = [];
    const afterScript: number[] = [];
    let scriptAt = 0;
    page.on('requestfinished', (request) => {
      if (request.url().endsWith(`${WIDGET}.umd.js`)) scriptAt = Date.now();
    });
    const callsBefore = rig.sim.requests.length;
    for (let i = 0; i < DRAWS; i++) {
      scriptAt = 0;
      const t0 = Date.now();
      await page.goto(url);
      await until('10 cards with values', drawn, 60000);
      const done = Date.now();
      draws.push(done - t0);
      if (scriptAt) afterScript.push(done - scriptAt);
    }
    const pageLoadCalls = rig.sim.requests.length - callsBefore;
    draws.sort((a, b) => a - b);
    afterScript.sort((a, b) => a - b);

    // --- push → DOM
    await page.evaluate(() => {
      const target = document.querySelector(
        '.iotx-device[data-device-id="LIGHT0A1B2/bench_lamp_01"] .iotx-control[data-property="brightness"] .iotx-value',
      );
      const seen: Record<string, number> = {};
      (window as unknown as { iotxSeen: Record<string, number> }).iotxSeen = seen;
      if (!target) throw new Error('no brightness value to watch');
      new MutationObserver(() => {
        const text = target.textContent?.trim() ?? '';
        if (!(text in seen)) seen[text] = Date.now();
      }).observe(target, { characterData: true, childList: true, subtree: true });
    });
    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const value = 11 + (i % 89);
      const expected = `${value} %`;
      // A value the page has not shown since its observer started: reset the record first.
      await page.evaluate((text: string) => {
        delete (window as unknown as { iotxSeen: Record<string, number> }).iotxSeen[text];
      }, expected);
      const t0 = Date.now();
      rig.sim.reportProperties('LIGHT0A1B2', 'bench_lamp_01', { brightness: value });
      const at = await until(
        `brightness ${value} in the DOM`,
        () =>
          page.evaluate(
            (text: string) =>
              (window as unknown as { iotxSeen: Record<string, number> }).iotxSeen[text],
            expected,
          ),
        10000,
      );
      latencies.push(at - t0);
    }
    latencies.sort((a, b) => a - b);

    print('');
    print('| figure | value |');
    print('| --- | ---: |');
    print(
      `| push → DOM, ${CHANGES} changes: p50 / p90 / p99 / max | ${percentile(latencies, 50)} / ${percentile(latencies, 90)} / ${percentile(latencies, 99)} / ${latencies[latencies.length - 1]} ms |`,
    );
    print(
      `| first draw, room of ${LAMPS.length} devices, navigation → all cards with values: median (min–max of ${DRAWS}) | ${percentile(draws, 50)} ms (${draws[0]}–${draws[draws.length - 1]}) |`,
    );
    print(
      `| of which after the widget's script arrived: median (min–max) | ${percentile(afterScript, 50)} ms (${afterScript[0]}–${afterScript[afterScript.length - 1]}) |`,
    );
    print(`| API calls made by those ${DRAWS} page loads | ${pageLoadCalls} |`);
    print(
      `| widget UMD (\`resources/${WIDGET}.umd.js\`), raw / gzip | ${kib(umd.length)} / ${kib(zlib.gzipSync(umd).length)} |`,
    );
    print(`| node bundle (\`dist/nodes/${WIDGET}.js\`) | ${kib(node.length)} |`);
    print(
      `| packed tarball (${packed[0].entryCount} files), packed / unpacked | ${kib(packed[0].size)} / ${kib(packed[0].unpackedSize)} |`,
    );
    print('');
    print(`${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    await browser.close();
    await rig.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

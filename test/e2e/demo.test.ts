import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { PROJECT_ROOT } from '../../demo/launch';

interface DebugEvent {
  topic: string;
  data?: { name?: string; msg?: string; format?: string };
}

/**
 * The README's first command, as a newcomer runs it: `npm start` (here its compiled script,
 * on free ports) and the debug sidebar, read over the editor's own websocket.
 */
describe('the demo (npm start)', function () {
  this.timeout(90000);
  let demo: ChildProcess;
  let userDir: string;
  let output = '';
  let nodeRedUrl = '';

  before(async function () {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-demo-'));
    demo = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'demo', 'run.js')], {
      env: { ...process.env, NODE_RED_PORT: '0', SIMULATOR_PORT: '0', DEMO_USER_DIR: userDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nodeRedUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 60000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = /Node-RED:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      demo.stdout?.on('data', onData);
      demo.stderr?.on('data', onData);
      demo.once('exit', (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
    });
  });

  after(async function () {
    if (demo.exitCode === null) {
      const exited = new Promise((resolve) => demo.once('exit', resolve));
      demo.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  it("shows the simulated lamp's answer in the debug sidebar", async function () {
    const socket = new WebSocket(nodeRedUrl.replace('http://', 'ws://') + '/comms');
    try {
      const answer = await new Promise<DebugEvent>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no answer in the debug sidebar:\n${output}`)),
          30000,
        );
        socket.on('open', () => socket.send(JSON.stringify({ subscribe: 'debug' })));
        socket.on('message', (raw: Buffer) => {
          // The editor's comms send arrays of events.
          const events = ([] as DebugEvent[]).concat(
            JSON.parse(raw.toString('utf8')) as DebugEvent | DebugEvent[],
          );
          const blinked = events.find((e) => e.topic === 'debug' && e.data?.name === 'blinked');
          if (blinked) {
            clearTimeout(timer);
            resolve(blinked);
          }
        });
        socket.on('error', reject);
      });
      const shown = JSON.parse(String(answer.data?.msg)) as Record<string, unknown>;
      assert.equal(shown.action, 'AppCallDeviceActionSync');
      assert.equal(shown.status, 'succ');
      assert.equal(shown.deviceName, 'living_lamp');
    } finally {
      socket.close();
    }
  });

  it('unlocks the simulated door with the curl line it prints, and only with its secret', async function () {
    // The printed line, as a newcomer copies it: curl -X POST -H 'X-Unlock-Secret: …' … <url>/unlock
    const line = /curl -X POST (.*) (http:\/\/\S+\/unlock)\n/.exec(output);
    assert.ok(line, `no curl line in the demo's output:\n${output}`);
    const headers = Object.fromEntries(
      [...line[1].matchAll(/-H '([^:]+): ([^']*)'/g)].map((h) => [h[1], h[2]]),
    );
    const body = /-d '([^']*)'/.exec(line[1])?.[1];
    assert.ok(headers['X-Unlock-Secret'], 'the curl line sends the secret');
    const res = await fetch(line[2], { method: 'POST', headers, body });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { unlocked: boolean }).unlocked, true);
    const stranger = await fetch(line[2], { method: 'POST', body });
    assert.equal(stranger.status, 401);
  });
});

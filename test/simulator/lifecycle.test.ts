import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { loadFixture, startSimulator, type Simulator } from '../../simulator';
import { DEMO_TOKEN, SLOW_AIRCON, delay, postJson, rawRequest } from './helpers';

const CLI = path.join(__dirname, '..', '..', 'simulator', 'cli.js');

describe('simulator lifecycle', function () {
  describe('keep-alive', function () {
    let sim: Simulator;
    before(async function () {
      sim = await startSimulator();
    });
    after(async function () {
      await sim.close();
    });

    it('serves many requests over one kept-alive socket', async function () {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; i < 5; i++) {
          const reply = await rawRequest(sim.tokenapiUrl, {
            agent,
            body: JSON.stringify({
              Action: 'AppGetUser',
              RequestId: `k${i}`,
              AccessToken: DEMO_TOKEN,
            }),
          });
          assert.equal(reply.status, 200);
          assert.notEqual(reply.headers.connection, 'close');
        }
        assert.equal(sim.stats.requests, 5);
        assert.equal(sim.stats.socketsOpened, 1);
      } finally {
        agent.destroy();
      }
    });

    it('opens a socket per request without keep-alive', async function () {
      sim.resetRecords();
      const agent = new http.Agent({ keepAlive: false });
      try {
        for (let i = 0; i < 3; i++) await rawRequest(sim.tokenapiUrl, { agent, body: '{}' });
      } finally {
        agent.destroy();
      }
      assert.equal(sim.stats.socketsOpened, 3);
    });
  });

  describe('close()', function () {
    it('ends promptly while a request waits on a slow device', async function () {
      const sim = await startSimulator({ syncActionTimeoutMs: 5000 });
      const pending = rawRequest(sim.tokenapiUrl, {
        body: JSON.stringify({
          Action: 'AppCallDeviceActionSync',
          RequestId: 'slow',
          AccessToken: DEMO_TOKEN,
          ...SLOW_AIRCON,
          ActionId: 'set_schedule',
        }),
      });
      const settled = pending.then(
        () => 'answered',
        () => 'failed',
      );
      await delay(100);
      const started = Date.now();
      await sim.close();
      assert.ok(Date.now() - started < 500, `close took ${Date.now() - started} ms`);
      assert.equal(await settled, 'failed', 'the waiting client sees its connection end');
      assert.equal(sim.actionCalls.length, 0, 'the cancelled device never acted');
    });

    it('ends promptly with a noAnswer request and idle kept-alive sockets open', async function () {
      const sim = await startSimulator();
      const agent = new http.Agent({ keepAlive: true });
      await rawRequest(sim.tokenapiUrl, { agent, body: '{}' });
      sim.setFault({ kind: 'noAnswer' });
      const pending = rawRequest(sim.tokenapiUrl, { body: '{}' }).catch(() => 'failed');
      await delay(50);
      const started = Date.now();
      await sim.close();
      assert.ok(Date.now() - started < 500);
      assert.equal(await pending, 'failed');
      agent.destroy();
    });

    it('cancels pending async actions and scripts, and can be called twice', async function () {
      const fixture = loadFixture();
      fixture.script = [{ device: 'LIGHT0A1B2/living_lamp', afterMs: 100, set: { brightness: 1 } }];
      const sim = await startSimulator({ fixture });
      const out = await postJson(sim.tokenapiUrl, {
        Action: 'AppCallDeviceActionAsync',
        RequestId: 'a',
        AccessToken: DEMO_TOKEN,
        ...SLOW_AIRCON,
        ActionId: 'set_schedule',
      });
      assert.equal(out.Response.Status, 'Sent');
      await Promise.all([sim.close(), sim.close()]);
      await delay(150);
      assert.equal(sim.actionCalls.length, 0);
      assert.equal(sim.model.device('LIGHT0A1B2', 'living_lamp')?.properties.brightness.Value, 80);
    });
  });

  describe('scripts', function () {
    let sim: Simulator | undefined;
    afterEach(async function () {
      await sim?.close();
      sim = undefined;
    });

    it('sets properties, toggles, walks numbers and changes online state on time', async function () {
      const fixture = loadFixture();
      fixture.script = [
        {
          device: 'LIGHT0A1B2/living_lamp',
          afterMs: 30,
          set: { brightness: 42, name: 'scripted' },
        },
        {
          device: 'LIGHT0A1B2/living_lamp',
          afterMs: 20,
          everyMs: 20,
          times: 3,
          toggle: ['power_switch'],
        },
        {
          device: 'THSNS7J8K9/living_sensor',
          afterMs: 10,
          everyMs: 10,
          walk: { temperature: 0.5 },
        },
        { device: 'LOCK0C3D4E/front_door', afterMs: 40, online: false },
      ];
      let clock = 1_000_000;
      sim = await startSimulator({ fixture, now: () => clock });
      clock = 2_000_000;
      const lamp = sim.model.device('LIGHT0A1B2', 'living_lamp')!;
      const sensor = sim.model.device('THSNS7J8K9', 'living_sensor')!;
      assert.equal(lamp.properties.brightness.Value, 80, 'nothing happens before afterMs');
      const seen = new Set<unknown>();
      for (let i = 0; i < 15; i++) {
        await delay(10);
        seen.add(sensor.properties.temperature.Value);
      }
      await delay(60);
      assert.equal(lamp.properties.brightness.Value, 42);
      assert.equal(lamp.properties.brightness.LastUpdate, 2_000_000, 'LastUpdate comes from now()');
      assert.equal(lamp.properties.name.Value, 'scripted');
      assert.equal(lamp.properties.power_switch.Value, 0, 'toggled three times from 1');
      assert.ok(seen.size >= 3, `temperature moved: ${[...seen].join(', ')}`);
      for (const t of seen) assert.ok(typeof t === 'number' && t >= -20 && t <= 60);
      assert.equal(sim.model.device('LOCK0C3D4E', 'front_door')?.online, false);
      const statuses = await postJson(sim.tokenapiUrl, {
        Action: 'AppGetDeviceStatuses',
        RequestId: 's',
        AccessToken: DEMO_TOKEN,
        DeviceIds: ['LOCK0C3D4E/front_door'],
      });
      assert.equal(statuses.Response.DeviceStatuses[0].Online, 0);
    });

    it('toggles online and leaves an offline device’s properties alone', async function () {
      const fixture = loadFixture();
      fixture.script = [
        { device: 'LIGHT0A1B2/bedroom_lamp', afterMs: 10, set: { brightness: 99 } },
        {
          device: 'LIGHT0A1B2/living_lamp',
          afterMs: 10,
          everyMs: 30,
          times: 2,
          toggleOnline: true,
        },
      ];
      sim = await startSimulator({ fixture });
      await delay(25);
      assert.equal(sim.model.device('LIGHT0A1B2', 'bedroom_lamp')?.properties.brightness.Value, 30);
      assert.equal(sim.model.device('LIGHT0A1B2', 'living_lamp')?.online, false);
      await delay(50);
      assert.equal(sim.model.device('LIGHT0A1B2', 'living_lamp')?.online, true);
    });

    it('runs the default sensor walk every 20 s (not before)', async function () {
      sim = await startSimulator();
      await delay(50);
      assert.equal(
        sim.model.device('THSNS7J8K9', 'living_sensor')?.properties.temperature.Value,
        22.5,
      );
    });
  });

  describe('CLI', function () {
    function runCli(args: string[]): {
      lines: string[];
      exit: Promise<number | null>;
      kill: (s: NodeJS.Signals) => void;
      firstLine: Promise<string>;
    } {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: string[] = [];
      let buffer = '';
      let resolveFirst: (line: string) => void = () => undefined;
      const firstLine = new Promise<string>((resolve) => (resolveFirst = resolve));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          lines.push(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
          if (lines.length === 1) resolveFirst(lines[0]);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => lines.push(`stderr: ${chunk.toString('utf8')}`));
      const exit = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      return { lines, exit, firstLine, kill: (s) => child.kill(s) };
    }

    it('prints the listening line, logs requests without secrets, and exits on SIGTERM', async function () {
      const cli = runCli(['--port', '0', '--envelope', 'wrapper', '--fault', 'requestLimit::1']);
      const first = await cli.firstLine;
      const match =
        /^simulator listening on (http:\/\/127\.0\.0\.1:\d+\/api\/exploreropen\/tokenapi)$/.exec(
          first,
        );
      assert.ok(match, first);
      const tokenapi = match[1];
      const limited = await postJson(tokenapi, {
        Action: 'AppGetUser',
        RequestId: 'c0',
        AccessToken: DEMO_TOKEN,
      });
      assert.equal(limited.data.Error.Code, 'RequestLimitExceeded');
      const json = await postJson(tokenapi, {
        Action: 'AppGetUser',
        RequestId: 'c1',
        AccessToken: DEMO_TOKEN,
      });
      assert.equal(json.code, 0);
      const appapi = tokenapi.replace('tokenapi', 'appapi');
      await postJson(appapi, {
        Action: 'AppGetToken',
        RequestId: 'c2',
        AppKey: 'demoAppKey',
        Password: 'demo-password',
        Signature: 'c2lnbmF0dXJl',
      });
      const stats = await postJson(
        tokenapi.replace('/api/exploreropen/tokenapi', '/_sim/reset'),
        {},
      );
      assert.deepEqual(stats, { ok: true });
      await delay(50);
      cli.kill('SIGTERM');
      assert.equal(await cli.exit, 0);
      const log = cli.lines.join('\n');
      assert.match(log, /AppGetUser/);
      assert.match(log, /RequestLimitExceeded/);
      assert.match(log, /AppGetToken/);
      for (const secret of [DEMO_TOKEN, 'demo-password', 'demoAppSecret', 'c2lnbmF0dXJl']) {
        assert.ok(!log.includes(secret), `the log must not show ${secret}`);
      }
    });

    it('prints nothing per request with --quiet, and exits on SIGINT', async function () {
      const cli = runCli(['--port', '0', '--quiet']);
      const tokenapi = (await cli.firstLine).replace('simulator listening on ', '');
      await postJson(tokenapi, { Action: 'AppGetUser', RequestId: 'q', AccessToken: DEMO_TOKEN });
      cli.kill('SIGINT');
      assert.equal(await cli.exit, 0);
      assert.equal(cli.lines.length, 1);
    });

    it('--latency delays every reply', async function () {
      const cli = runCli(['--port', '0', '--quiet', '--latency', '200']);
      const tokenapi = (await cli.firstLine).replace('simulator listening on ', '');
      const started = Date.now();
      await postJson(tokenapi, { Action: 'AppGetUser', RequestId: 'l', AccessToken: DEMO_TOKEN });
      assert.ok(Date.now() - started >= 195);
      cli.kill('SIGTERM');
      assert.equal(await cli.exit, 0);
    });

    it('prints usage with --help and refuses bad options', async function () {
      const help = runCli(['--help']);
      assert.equal(await help.exit, 0);
      assert.match(help.lines.join('\n'), /Usage: node dist\/simulator\/cli\.js/);
      const ttl = runCli(['--token-ttl', '0']);
      assert.equal(await ttl.exit, 2);
      const bad = runCli(['--envelope', 'soap']);
      assert.equal(await bad.exit, 2);
      assert.match(bad.lines.join('\n'), /--envelope must be response or wrapper/);
      const missing = runCli(['--port', '0', '--fixture', '/no/such/file.json']);
      assert.equal(await missing.exit, 1);
      assert.match(missing.lines.join('\n'), /cannot read/);
    });
  });

  it('reports a port in use', async function () {
    const sim = await startSimulator();
    try {
      await assert.rejects(startSimulator({ port: sim.port }), /EADDRINUSE/);
    } finally {
      await sim.close();
    }
  });
});

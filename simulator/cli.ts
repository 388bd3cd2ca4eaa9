#!/usr/bin/env node
// Runs the simulator in its own process: node dist/simulator/cli.js --help

import { parseArgs } from 'node:util';
import { generateHome, parseHomeSpec } from './generate-home';
import { LIST_LIMIT_POLICIES, MISSING_PANEL_CONFIGS, type HomeOptions } from './home-options';
import { parseFaultArg, startSimulator, type FaultSpec, type Fixture } from './index';
import { loadFixture } from './fixture';
import { isPokeCommand, poke, pokeRequest, POKE_COMMANDS } from './poke';

const USAGE = `Usage: node dist/simulator/cli.js [options]

A local stand-in for Tencent Cloud IoT Explorer's app API (tokenapi + appapi).

Options:
  --port N             port to listen on (default 8700; 0 = a free port)
  --host ADDR          address to listen on (default 127.0.0.1)
  --fixture PATH|NAME  fixture JSON, or a shipped fixture's name: default (the default), home
                       (the default plus a second family, more rooms and lamps)
  --home SPEC          a generated home instead of the fixture's: devices=N[,families=N]
                       [,rooms=N][,shared=N][,seed=N][,keep] (keep: beside the fixture's home)
  --list-limit P       a list's Limit above its maximum: reject (default), clamp or all
  --missing-panel-config M
                       AppGetProductsConfig for a product without one: empty (Config "",
                       default), emptyObject (Config "{}") or omit (no entry)
  --share-from-user    add FromUserID to AppListUserShareDevices items
  --envelope MODE      response (documented {"Response":...}, default) or wrapper ({code,msg,data})
  --sync-timeout MS    sync action timeout (default 5000)
  --token-ttl S        lifetime of tokens issued by AppGetToken, seconds (default: fixture, else 40 days)
  --fault SPEC         add a fault, kind[:PID/DN][:count]; repeatable. Kinds: latency, http5xx,
                       requestLimit, nonJson, truncated, reset, noAnswer
  --device-delay MS    every device takes MS for every action (default: the fixture's delays)
  --latency MS         the delay of --fault latency entries (default 500); without any
                       --fault latency, adds MS of latency to every reply
  --record-limit N     keep at most N recorded requests / action calls (default 10000)
  --quiet              do not print a line per request
  --help               show this help

Prints "simulator listening on <tokenapi URL>" once listening. Control endpoints: see
simulator/README.md (GET /_sim/stats, POST /_sim/faults, ...).

       node dist/simulator/cli.js COMMAND [args] [--url URL]

Steers a simulator that is already running (default URL http://127.0.0.1:8700; its tokenapi
URL will do): one request to its /_sim endpoints, whose answer is printed. Commands:
${Object.entries(POKE_COMMANDS)
  .map(([command, text]) => `  ${command.padEnd(13)} ${text}`)
  .join('\n')}
For example: node dist/simulator/cli.js event DOORBL1M2N/front_bell ring button=0`;

function fail(message: string): never {
  process.stderr.write(`simulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function intOption(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`${name} must be a non-negative integer`);
  return Number(value);
}

/** `cli.js COMMAND …`: one request to a running simulator; exits 0 on a 2xx answer. */
async function pokeMain(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { url: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    fail((err as Error).message);
  }
  const [command, ...args] = parsed.positionals;
  let request;
  try {
    request = pokeRequest(command, args);
  } catch (err) {
    fail((err as Error).message);
  }
  const url = parsed.values.url ?? 'http://127.0.0.1:8700';
  try {
    const answer = await poke(url, request);
    process.stdout.write(`${answer.body}\n`);
    process.exitCode = answer.status >= 200 && answer.status < 300 ? 0 : 1;
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    process.stderr.write(
      `simulator: no answer from ${url}: ${(err as Error).message}${cause ? ` (${cause})` : ''}\n`,
    );
    process.exitCode = 1;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (isPokeCommand(argv[0])) return pokeMain(argv);
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        fixture: { type: 'string' },
        envelope: { type: 'string' },
        'sync-timeout': { type: 'string' },
        'token-ttl': { type: 'string' },
        fault: { type: 'string', multiple: true },
        latency: { type: 'string' },
        'device-delay': { type: 'string' },
        'record-limit': { type: 'string' },
        home: { type: 'string' },
        'list-limit': { type: 'string' },
        'missing-panel-config': { type: 'string' },
        'share-from-user': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    fail((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const envelope = v.envelope ?? 'response';
  if (envelope !== 'response' && envelope !== 'wrapper')
    fail('--envelope must be response or wrapper');
  const latency = intOption(v.latency, '--latency');
  const faults: FaultSpec[] = [];
  try {
    for (const text of v.fault ?? []) faults.push(parseFaultArg(text, latency ?? 500));
  } catch (err) {
    fail((err as Error).message);
  }
  if (latency !== undefined && latency > 0 && !faults.some((f) => f.kind === 'latency')) {
    faults.push({ kind: 'latency', latencyMs: latency });
  }
  const tokenTtl = intOption(v['token-ttl'], '--token-ttl');
  if (tokenTtl === 0) fail('--token-ttl must be at least 1');
  const quiet = v.quiet ?? false;
  const home: Partial<HomeOptions> = {};
  if (v['list-limit'] !== undefined) {
    if (!LIST_LIMIT_POLICIES.includes(v['list-limit'] as HomeOptions['listLimit'])) {
      fail(`--list-limit must be one of ${LIST_LIMIT_POLICIES.join(', ')}`);
    }
    home.listLimit = v['list-limit'] as HomeOptions['listLimit'];
  }
  const missing = v['missing-panel-config'];
  if (missing !== undefined) {
    if (!MISSING_PANEL_CONFIGS.includes(missing as HomeOptions['missingPanelConfig'])) {
      fail(`--missing-panel-config must be one of ${MISSING_PANEL_CONFIGS.join(', ')}`);
    }
    home.missingPanelConfig = missing as HomeOptions['missingPanelConfig'];
  }
  if (v['share-from-user']) home.shareFromUserId = true;
  let fixture: string | Fixture | undefined = v.fixture;
  if (v.home !== undefined) {
    let spec;
    try {
      spec = parseHomeSpec(v.home);
    } catch (err) {
      fail((err as Error).message);
    }
    let base: Fixture;
    try {
      base = loadFixture(v.fixture);
    } catch (err) {
      process.stderr.write(`simulator: ${(err as Error).message}\n`);
      process.exit(1);
    }
    try {
      fixture = generateHome({ ...spec, base });
    } catch (err) {
      fail((err as Error).message);
    }
  }

  let simulator;
  try {
    simulator = await startSimulator({
      port: intOption(v.port, '--port', 8700),
      host: v.host ?? '127.0.0.1',
      fixture,
      envelope,
      home,
      deviceDelayMs: intOption(v['device-delay'], '--device-delay'),
      syncActionTimeoutMs: intOption(v['sync-timeout'], '--sync-timeout'),
      tokenTtlSeconds: tokenTtl,
      recordLimit: intOption(v['record-limit'], '--record-limit', 10000),
      log: quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
    });
  } catch (err) {
    process.stderr.write(`simulator: ${(err as Error).message}\n`);
    process.exit(1);
  }
  for (const fault of faults) simulator.setFault(fault);
  process.stdout.write(`simulator listening on ${simulator.tokenapiUrl}\n`);

  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();

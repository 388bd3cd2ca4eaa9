import fs from 'node:fs';
import path from 'node:path';
import { startSimulator, type Simulator } from '../simulator';
import { panelsTab } from './dashboard';
import { DOORBELL, DOORBELL_URL_VARIABLE, doorbellTab, ringUrl, timeDoorbell } from './doorbell';
import {
  DEMO_UNLOCK_SECRET,
  accountCredentials,
  demoFlows,
  examplePath,
  prepareUserDir,
  shippedExamples,
  startNodeRed,
  type NodeRedInstance,
} from './launch';
import {
  DEMO_PORTS,
  USAGE,
  demoOptions,
  infoFile,
  portTakenMessage,
  portsProblem,
  readInfo,
  type DemoOptions,
} from './preflight';
import { prepareDemoFlows, type FlowNode, type PrepareResult } from './user-dir';

/**
 * `npm start`: the simulator, and Node-RED with our nodes and the example flows deployed against
 * it, all on 127.0.0.1 (options: demo/preflight.ts, `npm start -- --help`). The terminal stays
 * quiet: the banner, the doorbell's figures, warnings and errors; the whole logs go to files.
 */

/** The account token the simulator knows, written into the demo's account on first start. */
const DEMO_TOKEN = 'demo-access-token';

/**
 * The examples the demo deploys: every one of the Import menu but those that need an MQTT broker
 * (there is none here), and the companion's chart (its read-only panel example is left out: the
 * demo's own page has the panels). Read from examples/, so a new example is deployed too.
 */
function demoExamples(): string[] {
  const needsBroker = (file: string): boolean =>
    (JSON.parse(fs.readFileSync(examplePath(file), 'utf8')) as FlowNode[]).some((node) =>
      node.type.startsWith('mqtt'),
    );
  return [
    ...shippedExamples().filter((file) => !needsBroker(file)),
    '02 - Temperature of the last day on a chart.json',
  ];
}

/** Ends the demo with a message and no stack trace. */
class DemoStop extends Error {}

function isAddressInUse(err: unknown): boolean {
  const text = err instanceof Error ? `${(err as NodeJS.ErrnoException).code} ${err.message}` : '';
  return /EADDRINUSE/.test(text);
}

async function startSimulatorOrSay(
  options: DemoOptions,
  log: (line: string) => void,
): Promise<Simulator> {
  try {
    return await startSimulator({ port: options.simulatorPort, log });
  } catch (err) {
    if (!isAddressInUse(err)) throw err;
    const { name, variable } = DEMO_PORTS[1];
    throw new DemoStop(portTakenMessage(name, variable, options.simulatorPort));
  }
}

async function startNodeRedOrSay(
  options: DemoOptions,
  simulator: Simulator,
  onOutput: (text: string) => void,
): Promise<NodeRedInstance> {
  try {
    return await startNodeRed(options.userDir, options.nodeRedPort, {
      echo: options.verbose,
      onOutput,
      env: {
        // The unlock example refuses everyone until Node-RED's environment holds its secret.
        UNLOCK_SECRET: DEMO_UNLOCK_SECRET,
        [DOORBELL_URL_VARIABLE]: ringUrl(simulator.url),
      },
    });
  } catch (err) {
    if (!isAddressInUse(err)) throw err;
    const { name, variable } = DEMO_PORTS[0];
    throw new DemoStop(portTakenMessage(name, variable, options.nodeRedPort));
  }
}

/** The demo's tabs and config nodes against `endpoint`, and the demo account's token. */
function demoSeed(endpoint: string): {
  flows: FlowNode[];
  credentials: Record<string, Record<string, unknown>>;
} {
  const examples = demoFlows(endpoint, demoExamples());
  const flows = [...examples, ...(doorbellTab() as FlowNode[]), ...panelsTab(examples)];
  return { flows, credentials: accountCredentials(flows, DEMO_TOKEN) };
}

function whatHappened(prepared: PrepareResult, userDir: string): string {
  if (prepared.seeded) return `seeded with the demo's flows (first start, or --reset)`;
  const updated = prepared.updatedTabs.length;
  return (
    `your flows and credentials kept` +
    (updated > 0 ? `; ${updated} demo tab${updated === 1 ? '' : 's'} brought up to date` : '') +
    ` (${path.join(userDir, 'flows.json')})`
  );
}

function banner(
  options: DemoOptions,
  simulator: Simulator,
  nodeRed: NodeRedInstance,
  prepared: PrepareResult,
): string {
  const ring = ringUrl(simulator.url);
  const logs = path.join(options.userDir, 'logs');
  return `
  Node-RED:   ${nodeRed.url}/   (open it: the debug sidebar shows the devices' answers;
              the "Watch devices" tab shows each change as it arrives)
  Dashboard:  ${nodeRed.url}/dashboard   (a live panel for every simulated device: switch
              the lamp, ring the doorbell and see its event; the front door's unlock is read-only)
  Chart:      ${nodeRed.url}/dashboard/temperature   (the sensor's last day)
  Simulator:  ${simulator.tokenapiUrl}   (token ${DEMO_TOKEN})
  Unlock:     UNLOCK_SECRET is ${DEMO_UNLOCK_SECRET} (the demo's; set your own for a real door)
  Try:        curl -X POST -H 'X-Unlock-Secret: ${DEMO_UNLOCK_SECRET}' -H 'Content-Type: application/json' -d '{"user":"alice"}' ${nodeRed.url}/unlock
  Doorbell:   press the simulated doorbell and the lamp blinks (tab "React to the doorbell at once");
              this terminal prints how long the lamp took:
              curl -X POST ${ring} -d '{"button":0}'
              node dist/simulator/cli.js event ${DOORBELL} ring button=0 --url ${simulator.url}
              or click "press the doorbell" on the "Simulator: press the doorbell" tab,
              or "Ring the simulated doorbell" on the dashboard
  Your work:  ${options.userDir}: ${whatHappened(prepared, options.userDir)}.
              Flows and credentials (encrypted) stay across restarts; npm start -- --reset
              starts again from the demo's flows.
  Real home:  open the account node "Demo home (simulator)", choose the mainland or
              international endpoint and paste your token or sign in (README: "Use it with your own account")
  Logs:       ${logs}${options.verbose ? '' : '   (npm start -- --verbose shows them here)'}
  Language:   NODE_RED_LANG=zh-CN sets the language of Node-RED's log; the editor follows the
              browser's language, or the editor's User settings → View → Language
  Again:      npm start -- --info prints this again (it is in ${infoFile(options.userDir)})
  Stop:       Ctrl+C
`;
}

/** `action`'s result; an error it throws ends the demo with its message alone. */
function orStop<T>(action: () => T): T {
  try {
    return action();
  } catch (err) {
    throw new DemoStop((err as Error).message);
  }
}

async function main(): Promise<void> {
  const options = orStop(() => demoOptions());
  if (options.help) {
    console.log(USAGE);
    return;
  }
  if (options.info) {
    process.stdout.write(readInfo(options.userDir));
    return;
  }
  // Before anything in the user directory is touched: a second demo there would rewrite it.
  const problem = await portsProblem(options);
  if (problem) throw new DemoStop(problem);
  const logs = path.join(options.userDir, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const simulatorLog = fs.createWriteStream(path.join(logs, 'simulator.log'));
  const nodeRedLog = fs.createWriteStream(path.join(logs, 'node-red.log'));

  const simulator = await startSimulatorOrSay(options, (line) => {
    simulatorLog.write(line + '\n');
    if (options.verbose) console.log(`[simulator] ${line}`);
  });
  let nodeRed: NodeRedInstance | undefined;
  try {
    const prepared = orStop(() =>
      prepareDemoFlows({
        userDir: options.userDir,
        seed: demoSeed(simulator.tokenapiUrl),
        endpoint: simulator.tokenapiUrl,
        reset: options.reset,
      }),
    );
    prepareUserDir({
      userDir: options.userDir,
      endpoint: simulator.tokenapiUrl,
      accessToken: DEMO_TOKEN,
      lang: options.lang,
      credentialSecret: prepared.state.credentialSecret,
      keepFlows: true,
    });
    // Quiet: once the flows run, only Node-RED's warnings and errors reach the terminal.
    let started = false;
    let pending = '';
    nodeRed = await startNodeRedOrSay(options, simulator, (text) => {
      nodeRedLog.write(text);
      if (options.verbose) return;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (started && /\[(warn|error)\]/.test(line)) console.log(line);
        if (/Started flows|流程已启动/.test(line)) started = true;
      }
    });
    timeDoorbell(simulator, (ms) =>
      console.log(
        `  Doorbell pressed → lamp blinking after ${ms.toFixed(0)} ms (push, then the call)`,
      ),
    );
    const text = banner(options, simulator, nodeRed, prepared);
    console.log(text);
    fs.writeFileSync(infoFile(options.userDir), text.replace(/^\n/, ''));
  } catch (err) {
    await nodeRed?.stop();
    await simulator.close();
    throw err;
  }

  const running = nodeRed;
  const stop = (): void => {
    void running
      .stop()
      .then(() => simulator.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof DemoStop ? err.message : err);
  process.exit(1);
});

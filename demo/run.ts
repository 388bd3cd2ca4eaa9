import fs from 'node:fs';
import path from 'node:path';
import { startSimulator } from '../simulator';
import { DEMO_UNLOCK_SECRET, PROJECT_ROOT, prepareUserDir, startNodeRed } from './launch';

/**
 * `npm start`: the simulator, and Node-RED with our nodes and the example flows deployed
 * against it, all on 127.0.0.1. Ports: NODE_RED_PORT (1880) and SIMULATOR_PORT (8700), 0 for
 * free ones; the Node-RED user directory: DEMO_USER_DIR (.demo in the checkout).
 */
async function main(): Promise<void> {
  const nodeRedPort = Number(process.env.NODE_RED_PORT ?? 1880);
  const simulatorPort = Number(process.env.SIMULATOR_PORT ?? 8700);
  const simulator = await startSimulator({
    port: simulatorPort,
    log: (line) => console.log(`[simulator] ${line}`),
  });
  const userDir = process.env.DEMO_USER_DIR ?? path.join(PROJECT_ROOT, '.demo');
  prepareUserDir({
    userDir,
    endpoint: simulator.tokenapiUrl,
    accessToken: 'demo-access-token',
    examples: [
      '01 - Blink a lamp every minute.json',
      '02 - Unlock the door from an HTTP endpoint.json',
      '03 - Route errors by code.json',
      '05 - Switch the lamp on at sunset.json',
      '06 - Read the lock at night.json',
      '07 - Watch devices.json',
      '08 - Who is online.json',
      '09 - React to the doorbell at once.json',
      '10 - Good night from a button.json',
      '11 - Holiday mode.json',
      '12 - Temperature of the last day on a chart.json',
    ],
    lang: process.env.NODE_RED_LANG,
  });
  // Demo only: a tab whose button presses the simulated doorbell (a POST to the simulator's
  // /_sim, on loopback), so that example 09 can be tried from the editor alone.
  const doorbellUrl = `${simulator.url}/_sim/devices/DOORBL1M2N/front_bell/events/ring`;
  const flowsFile = path.join(userDir, 'flows.json');
  const flows = JSON.parse(fs.readFileSync(flowsFile, 'utf8')) as Record<string, unknown>[];
  flows.push(...simulatorDoorbellTab(doorbellUrl));
  fs.writeFileSync(flowsFile, JSON.stringify(flows, null, 2));
  // The unlock example refuses everyone until Node-RED's environment holds its secret.
  const nodeRed = await startNodeRed(userDir, nodeRedPort, {
    echo: true,
    env: { UNLOCK_SECRET: DEMO_UNLOCK_SECRET },
  });
  console.log(`
  Simulator:  ${simulator.tokenapiUrl}
  Node-RED:   ${nodeRed.url}/   (open it: the debug sidebar shows the devices' answers;
              the "Watch devices" tab shows each change as it arrives)
  Chart:      ${nodeRed.url}/dashboard/temperature   (the sensor's last day)
  Unlock:     UNLOCK_SECRET is ${DEMO_UNLOCK_SECRET} (the demo's; set your own for a real door)
  Try:        curl -X POST -H 'X-Unlock-Secret: ${DEMO_UNLOCK_SECRET}' -H 'Content-Type: application/json' -d '{"user":"alice"}' ${nodeRed.url}/unlock
  Doorbell:   press the simulated doorbell and the lamp blinks (tab "React to the doorbell at once"):
              curl -X POST ${doorbellUrl} -d '{"button":0}'
              node dist/simulator/cli.js event DOORBL1M2N/front_bell ring button=0 --url ${simulator.url}
              or click "press the doorbell" on the "Simulator: press the doorbell" tab
  Stop:       Ctrl+C
`);
  const stop = (): void => {
    void nodeRed
      .stop()
      .then(() => simulator.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The demo's own tab: an inject that POSTs a ring to the simulator, and the answer. */
function simulatorDoorbellTab(url: string): Record<string, unknown>[] {
  const tab = 'd0000000000d0000';
  return [
    {
      id: tab,
      type: 'tab',
      label: 'Simulator: press the doorbell',
      disabled: false,
      info: 'Demo only: the button makes the simulated doorbell post a `ring` event, as a press would. The tab "React to the doorbell at once" reacts to it over push.',
    },
    {
      id: 'd0000000000d0010',
      type: 'inject',
      z: tab,
      name: 'press the doorbell',
      props: [{ p: 'payload' }],
      repeat: '',
      crontab: '',
      once: false,
      onceDelay: '',
      topic: '',
      payload: '{"button":0}',
      payloadType: 'json',
      x: 160,
      y: 80,
      wires: [['d0000000000d0020']],
    },
    {
      id: 'd0000000000d0020',
      type: 'http request',
      z: tab,
      name: 'POST /_sim … /events/ring',
      method: 'POST',
      ret: 'obj',
      paytoqs: 'ignore',
      url,
      tls: '',
      persist: false,
      proxy: '',
      insecureHTTPParser: false,
      authType: '',
      senderr: false,
      headers: [],
      x: 400,
      y: 80,
      wires: [['d0000000000d0030']],
    },
    {
      id: 'd0000000000d0030',
      type: 'debug',
      z: tab,
      name: 'simulator answered',
      active: true,
      tosidebar: true,
      console: false,
      tostatus: false,
      complete: 'payload',
      targetType: 'msg',
      x: 640,
      y: 80,
      wires: [],
    },
  ];
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

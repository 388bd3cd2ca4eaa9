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
      '10 - Good night from a button.json',
      '11 - Holiday mode.json',
      '12 - Temperature of the last day on a chart.json',
    ],
    lang: process.env.NODE_RED_LANG,
  });
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

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

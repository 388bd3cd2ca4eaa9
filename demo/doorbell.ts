import { performance } from 'node:perf_hooks';
import type { ModelChange, Simulator } from '../simulator';

/**
 * The demo's doorbell: a tab whose button presses the simulated doorbell, and the figure the
 * terminal prints when the example "React to the doorbell at once" makes the lamp blink.
 */

export const DOORBELL = 'DOORBL1M2N/front_bell';
export const LAMP = 'LIGHT0A1B2/living_lamp';
/** The environment variable that tells the doorbell tab where to post its ring. */
export const DOORBELL_URL_VARIABLE = 'DEMO_DOORBELL_URL';

/** The simulator's URL that makes the doorbell post a `ring` event, as a press would. */
export function ringUrl(simulatorUrl: string): string {
  return `${simulatorUrl}/_sim/devices/${DOORBELL}/events/ring`;
}

/**
 * The demo's own tab: an inject that POSTs a ring to the simulator (on loopback; the URL comes
 * from Node-RED's environment, so the tab does not change with the simulator's port), and the
 * simulator's answer.
 */
export function doorbellTab(): Record<string, unknown>[] {
  const tab = 'd0000000000d0000';
  return [
    {
      id: tab,
      type: 'tab',
      label: 'Simulator: press the doorbell',
      disabled: false,
      info: 'Demo only: the button makes the simulated doorbell post a `ring` event, as a press would. The tab "React to the doorbell at once" reacts to it over push, and the terminal running `npm start` prints how long the lamp took to blink.',
    },
    {
      id: 'd0000000000d0010',
      type: 'inject',
      z: tab,
      name: 'press the doorbell',
      props: [{ p: 'payload' }, { p: 'url', v: DOORBELL_URL_VARIABLE, vt: 'env' }],
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
      url: '',
      tls: '',
      persist: false,
      proxy: '',
      insecureHTTPParser: false,
      authType: '',
      senderr: false,
      headers: [],
      x: 420,
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
      x: 690,
      y: 80,
      wires: [],
    },
  ];
}

/**
 * Calls `report` with the milliseconds from each doorbell ring to the lamp's `light_blink`
 * reaching the simulated lamp (within 10 s of the ring): what the example's flow took, push
 * included. Returns the function that stops watching.
 */
export function timeDoorbell(simulator: Simulator, report: (ms: number) => void): () => void {
  let rangAt: number | undefined;
  return simulator.model.changes.on((change: ModelChange) => {
    if (
      change.kind === 'event' &&
      change.device.deviceId === DOORBELL &&
      change.eventId === 'ring'
    ) {
      rangAt = performance.now();
    } else if (
      change.kind === 'action' &&
      change.device.deviceId === LAMP &&
      change.actionId === 'light_blink' &&
      rangAt !== undefined
    ) {
      const ms = performance.now() - rangAt;
      rangAt = undefined;
      if (ms < 10000) report(ms);
    }
  });
}

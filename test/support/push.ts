import type { FlowNode } from './runtime';
import { FAST_WATCH_SETTINGS } from './runtime';

/** Tests only: the push clocks in tens of ms instead of tens of seconds. */
export const FAST_PUSH_TIMINGS = {
  heartbeatMs: 300,
  helloMs: 100,
  livenessMs: 600,
  requestTimeoutMs: 800,
  backoffMinMs: 50,
  backoffMaxMs: 400,
  debounceMs: 20,
  handshakeMs: 1000,
  baselineWaitMs: 500,
};

export const FAST_PUSH_SETTINGS = {
  ...FAST_WATCH_SETTINGS,
  iotExplorerPushTimings: FAST_PUSH_TIMINGS,
};

export const DOORBELL = { productId: 'DOORBL1M2N', deviceName: 'front_bell' };

/** Waits until `predicate` holds, polling; fails naming `what` after a generous timeout. */
export async function until(
  predicate: () => boolean,
  what: string,
  timeoutMs = 8000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * An account and any number of watch nodes (ids `w1`, `w2`, …), each wired to its own helper
 * (`out1`, `out2`, …), and a catch node wired to `err`.
 */
export function watchFlow(
  endpoint: string,
  watches: Record<string, unknown>[],
  account: Record<string, unknown> = {},
): FlowNode[] {
  const flow: FlowNode[] = [
    { id: 'tab', type: 'tab', label: 'push' },
    {
      id: 'acc',
      type: 'iot-explorer-account',
      z: 'tab',
      name: 'push account',
      endpoint,
      timeout: '5000',
      // The push tests count the reads their watches make: no home read for names beside them.
      deviceNames: 'ids',
      ...account,
    },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['err']] },
    { id: 'err', type: 'helper', z: 'tab' },
  ];
  watches.forEach((props, index) => {
    const n = index + 1;
    flow.push(
      {
        id: `w${n}`,
        type: 'iot-explorer-watch',
        z: 'tab',
        account: 'acc',
        mode: 'push',
        wires: [[`out${n}`]],
        ...props,
      },
      { id: `out${n}`, type: 'helper', z: 'tab' },
    );
  });
  return flow;
}

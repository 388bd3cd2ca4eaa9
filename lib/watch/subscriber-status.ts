import type { NodeStatus } from 'node-red';
import type { IotExplorerError } from '../errors/errors';
import { ACCOUNT_NAMESPACE } from '../shared/palette';
import type { PushState } from '../push/push-connection';

/** The runtime's translation (`RED._`): a key and its parameters to the text. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** What the status is painted on: a node, or anything with a node's `status`. */
export interface StatusTarget {
  status(status: NodeStatus): void;
}

/**
 * The texts live in the account's catalogue, so that every subscriber (in this package or in a
 * companion package loaded beside it) shows the same words; Node-RED's own common texts where
 * they say the same thing.
 */
const TEXTS = `${ACCOUNT_NAMESPACE}:subscriberStatus`;
const COMMON = 'node-red:common.status';

/** The end of a poll round, as the polling watcher reports it. */
export interface PollRound {
  failed?: IotExplorerError;
  /** When the next round starts, ms from now. */
  nextMs: number;
}

/**
 * The status of a node that subscribes to an account's device changes, by push or by polling:
 * the watch node today, a home node or a dashboard widget later. One painter, so that all say
 * the same things the same way:
 *
 * - blue ring `starting…`, or grey ring `nothing to watch`;
 * - push: blue ring `connecting`, green dot `live · N of M devices` (yellow ring when the service
 *   accepted none), yellow ring `reconnecting in N s`, red ring with the code of a refused token;
 * - poll: green dot `polling M devices · time`, or red ring `code · retry in N s`;
 * - a failed read: red ring with its code, until the next state.
 *
 * Counts are plural-aware (`_one`/`_other` keys). A status identical to the last one is not sent
 * again: each costs a message to the editor.
 */
export class SubscriberStatus {
  /** The code of the refusal last reported: after one, retries keep the red code showing. */
  private refusedCode: string | undefined;
  private painted = '';

  constructor(
    private readonly node: StatusTarget,
    private readonly translate: Translate,
  ) {}

  /** The first status: the node has something to watch and is starting, or has nothing. */
  started(active: boolean): void {
    this.paint(
      active
        ? { fill: 'blue', shape: 'ring', text: this.text('starting') }
        : { fill: 'grey', shape: 'ring', text: this.text('idle') },
    );
  }

  /** Something failed with this code (a read, the account): a red ring until the next state. */
  failed(code: string): void {
    this.paint({ fill: 'red', shape: 'ring', text: code });
  }

  /**
   * The push connection's state, for a node watching `devices.count` devices of which the service
   * accepted `devices.live`. Returns the refusal when its code was not the last one reported: the
   * caller reports it (to the log and catch nodes), so that a token refused on every retry is
   * reported once.
   */
  pushState(
    state: PushState,
    devices: { live: number; count: number },
  ): IotExplorerError | undefined {
    if (state.phase === 'refused' && state.error) {
      const fresh = this.refusedCode !== state.error.code;
      this.refusedCode = state.error.code;
      this.failed(state.error.code);
      return fresh ? state.error : undefined;
    }
    if (state.phase === 'live') {
      this.refusedCode = undefined;
      const some = devices.live > 0;
      this.paint({
        fill: some ? 'green' : 'yellow',
        shape: some ? 'dot' : 'ring',
        text: this.text('live', devices),
      });
    } else if (state.phase === 'reconnecting') {
      const seconds = Math.max(1, Math.round((state.retryInMs ?? 0) / 1000));
      this.paint({ fill: 'yellow', shape: 'ring', text: this.text('reconnecting', { seconds }) });
    } else if (
      (state.phase === 'connecting' || state.phase === 'subscribing') &&
      this.refusedCode === undefined
    ) {
      // After a refusal each retry connects again: the red code stays until it is accepted,
      // rather than flickering to "connecting" at every attempt.
      this.paint({ fill: 'blue', shape: 'ring', text: this.translate(`${COMMON}.connecting`) });
    }
    return undefined;
  }

  /** A poll round of `count` devices ended (`at`: when, shown on success). */
  polled(round: PollRound, count: number, at: Date = new Date()): void {
    if (round.failed) {
      const seconds = Math.round(round.nextMs / 1000);
      this.paint({
        fill: 'red',
        shape: 'ring',
        text: this.text('retrying', { code: round.failed.code, seconds }),
      });
      return;
    }
    this.paint({
      fill: 'green',
      shape: 'dot',
      text: this.text('polling', { count, time: at.toLocaleTimeString() }),
    });
  }

  /** Clears the status (the node closes). */
  clear(): void {
    this.painted = '';
    this.node.status({});
  }

  private text(key: string, params?: Record<string, string | number>): string {
    return this.translate(`${TEXTS}.${key}`, params);
  }

  private paint(status: NodeStatus): void {
    const key = `${status.fill ?? ''}|${status.shape ?? ''}|${String(status.text ?? '')}`;
    if (key === this.painted) return;
    this.painted = key;
    this.node.status(status);
  }
}

// The call nodes' message life cycle (action, control, state, status, scene, automation,
// history): status while calls are in flight, exactly one `done` per message, every failure as
// `done(err)` with a code and a translated text, calls ended at once when the node closes.
import { setMaxListeners } from 'node:events';
import type { Node, NodeAPI, NodeMessageInFlow } from 'node-red';
import type { IotExplorerAccount } from '../account/account';
import type { CallOptions } from '../api/contracts';
import { IotExplorerError, LocalErrorCode, unexpectedError } from '../errors/errors';
import { CallStatus } from './call-status';
import { localizeError } from './i18n';

/** What every call node puts in `msg.iotexplorer`: the Action, then what it learns. */
export interface CallInfo {
  action: string;
  requestId?: string;
  [key: string]: unknown;
}

export type CallMessage = NodeMessageInFlow & { iotexplorer?: CallInfo };

export interface CallContext<I extends CallInfo> {
  account: IotExplorerAccount;
  /**
   * The options of every client call for this message: its signal (aborted when the node
   * closes) and the node's status as the queue's observer. Pass them to every client call.
   */
  callOptions: CallOptions;
  /** Filled as the call goes; becomes `msg.iotexplorer`, also on errors. */
  info: I;
}

export interface CallNodeOptions<I extends CallInfo> {
  /** The node's account (`getAccount`); a message without one fails with IOTX_NO_ACCOUNT. */
  account: IotExplorerAccount | undefined;
  /** The API Action, for `msg.iotexplorer.action`. */
  action: I['action'];
  /**
   * Does the node's work for one message: resolves its fields, calls the client, and sets the
   * outgoing msg's properties. Throws on any failure. Returns the text for the node's status.
   */
  run(msg: CallMessage, context: CallContext<I>): Promise<string>;
}

/**
 * The message life cycle every call node shares: status while calls are in flight, exactly one
 * `done` per message, every failure as `done(err)` with a code and a translated text, and calls
 * ended promptly when the node closes. The node itself only says what one call does.
 */
export function handleCallMessages<I extends CallInfo>(
  RED: NodeAPI,
  node: Node,
  options: CallNodeOptions<I>,
): void {
  const status = new CallStatus(RED, node, options.account?.tokenHealth);
  // One signal for all of this node's calls: closing the node aborts every call in flight at
  // once, and a message costs no controller of its own. Any number of calls may listen to it.
  const closing = new AbortController();
  setMaxListeners(Infinity, closing.signal);
  const callOptions: CallOptions = { signal: closing.signal, queue: status };

  /**
   * Never lets anything escape: the runtime itself can throw from `send` or `done` (it clones a
   * message for a second wire or a catch node, which fails on one too deep for the stack or with
   * a getter that throws). The message still gets its one `done`, and the failure still reaches
   * the catch nodes, with a copy of the message that can be cloned.
   */
  async function guarded(
    msg: CallMessage,
    send: (msg: NodeMessageInFlow) => void,
    done: (err?: Error) => void,
  ): Promise<void> {
    let ended = false;
    let reported: Error | undefined;
    const end = (err?: Error): void => {
      if (ended) return; // a second done, after the runtime threw from the first, must not count
      ended = true;
      reported = err;
      done(err);
    };
    try {
      await handle(msg, send, end);
    } catch (failure) {
      // The message's own failure, when the runtime threw while reporting it.
      const err = reported ?? localizeError(RED, unexpectedError(failure));
      try {
        if (!ended) {
          end(err);
          return;
        }
      } catch {
        // the runtime could not clone this message either: report a copy it can clone
      }
      try {
        node.error(err, cloneableCopy(RED, msg));
      } catch {
        node.error(err.message); // never an unhandled rejection: at least the log has it
      }
    }
  }

  async function handle(
    msg: CallMessage,
    send: (msg: NodeMessageInFlow) => void,
    done: (err?: Error) => void,
  ): Promise<void> {
    status.begin();
    const info = { action: options.action } as I;
    try {
      if (!options.account) {
        throw new IotExplorerError({ code: LocalErrorCode.NoAccount, key: 'noAccount' });
      }
      const statusText = await options.run(msg, {
        account: options.account,
        callOptions,
        info,
      });
      msg.iotexplorer = info;
      status.succeeded(statusText);
      send(msg);
      done();
    } catch (caught) {
      if (closing.signal.aborted) {
        // The flow is stopping: end the message without reporting into a flow that is going away.
        done();
        return;
      }
      const err = unexpectedError(caught);
      if (err.requestId !== undefined) info.requestId = err.requestId;
      msg.iotexplorer = info;
      status.failed(err.code);
      done(localizeError(RED, err));
    }
  }

  node.on('input', (msg, send, done) => {
    void guarded(msg, send, done);
  });

  node.on('close', (done: () => void) => {
    closing.abort();
    status.close();
    done();
  });
}

/**
 * A message the runtime can clone for a catch node: the message's own properties that clone,
 * without those that cannot (nested too deep, or a getter that throws). Only used after the
 * runtime failed to clone the message itself.
 */
function cloneableCopy(RED: NodeAPI, msg: CallMessage): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  let keys: string[] = [];
  try {
    keys = Object.keys(msg);
  } catch {
    // a proxy that refuses to list its keys: nothing to copy
  }
  for (const key of keys) {
    try {
      const value: unknown = (msg as Record<string, unknown>)[key];
      // req and res (http in) are passed as they are by the runtime, never cloned.
      copy[key] = key === 'req' || key === 'res' ? value : RED.util.cloneMessage({ value }).value;
    } catch {
      // left out: this is the part the runtime could not clone
    }
  }
  return copy;
}

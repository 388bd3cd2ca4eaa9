// The call nodes' message life cycle (action, control, state, status, scene, automation,
// history): status while calls are in flight, exactly one `done` per message, every failure as
// `done(err)` with a code and a translated text, calls ended at once when the node closes.
import type { Node, NodeAPI, NodeMessageInFlow } from 'node-red';
import type { IotExplorerAccount } from '../account/account';
import { observeQueue } from '../api/flow-control';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
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
  /** Aborted when the node closes; pass it to every client call. */
  signal: AbortSignal;
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
  const inFlight = new Set<AbortController>();
  let closing = false;

  /**
   * Never lets anything escape: the runtime itself can throw from `send` or `done` (it clones a
   * message for a second wire or a catch node, which fails on one too deep for the stack). The
   * message still gets its one `done`, and the failure goes to the log.
   */
  async function guarded(
    msg: CallMessage,
    send: (msg: NodeMessageInFlow) => void,
    done: (err?: Error) => void,
  ): Promise<void> {
    let ended = false;
    const end = (err?: Error): void => {
      if (ended) return; // a second done, after the runtime threw from the first, must not count
      ended = true;
      done(err);
    };
    try {
      await handle(msg, send, end);
    } catch (failure) {
      const err = localizeError(
        RED,
        failure instanceof IotExplorerError ? failure : wrapUnexpected(failure),
      );
      try {
        if (!ended) end(err);
      } catch {
        // reported just below, without the message that the runtime could not handle
      }
      node.error(err.message);
    }
  }

  async function handle(
    msg: CallMessage,
    send: (msg: NodeMessageInFlow) => void,
    done: (err?: Error) => void,
  ): Promise<void> {
    const controller = new AbortController();
    observeQueue(controller.signal, status);
    inFlight.add(controller);
    status.begin();
    const info = { action: options.action } as I;
    try {
      if (!options.account) {
        throw new IotExplorerError({ code: LocalErrorCode.NoAccount, key: 'noAccount' });
      }
      const statusText = await options.run(msg, {
        account: options.account,
        signal: controller.signal,
        info,
      });
      msg.iotexplorer = info;
      status.succeeded(statusText);
      send(msg);
      done();
    } catch (caught) {
      if (closing) {
        // The flow is stopping: end the message without reporting into a flow that is going away.
        done();
        return;
      }
      const err = caught instanceof IotExplorerError ? caught : wrapUnexpected(caught);
      if (err.requestId !== undefined) info.requestId = err.requestId;
      msg.iotexplorer = info;
      status.failed(err.code);
      done(localizeError(RED, err));
    } finally {
      inFlight.delete(controller);
    }
  }

  node.on('input', (msg, send, done) => {
    void guarded(msg, send, done);
  });

  node.on('close', (done: () => void) => {
    closing = true;
    for (const controller of inFlight) controller.abort();
    status.close();
    done();
  });
}

/** A failure that is not ours (a context store error, say) still reaches the catch node with a code. */
function wrapUnexpected(caught: unknown): IotExplorerError {
  return new IotExplorerError({
    code: LocalErrorCode.InvalidField,
    key: 'unexpected',
    params: { reason: caught instanceof Error ? caught.message : String(caught) },
  });
}

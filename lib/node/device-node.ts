import { setMaxListeners } from 'node:events';
import type { Node, NodeAPI, NodeMessageInFlow, NodeStatus } from 'node-red';
import type { ApiClient, CallOptions } from '../api/client';
import type { PushConnection } from '../push/push-connection';
import type { TokenHealth, TokenNotice } from '../auth/token-health';
import { CallStatus } from './call-status';
import { IotExplorerError, LocalErrorCode, unexpectedError } from '../errors/errors';
import { DeviceId } from '../shared/device-id';
// Status and warning texts shared by all device nodes live in the account catalogue.
import { ACCOUNT_NAMESPACE as ACCOUNT_STATUS_NS, localizeError } from './i18n';
import { describeValue, isBlankLiteral, resolveStringField, type TypedField } from './typed-fields';

/** The account config node as the device nodes see it. */
export interface AccountNode extends Node {
  readonly client: ApiClient;
  /** The token's notice (expiring, expired, sign-in failing), painted on idle device nodes. */
  readonly tokenHealth?: TokenHealth;
  /** The account's push connection, or why it has none (an unusable push URL). */
  readonly push?: PushConnection | IotExplorerError;
}

/** A token notice as a node status, in the runtime's language. */
export function noticeStatus(RED: NodeAPI, notice: TokenNotice): NodeStatus {
  switch (notice.kind) {
    case 'expiresSoon':
      return {
        fill: 'yellow',
        shape: 'ring',
        text: RED._(`${ACCOUNT_STATUS_NS}:status.tokenExpiresIn`, { days: notice.days }),
      };
    case 'expired':
      return {
        fill: 'red',
        shape: 'ring',
        text: RED._(`${ACCOUNT_STATUS_NS}:status.tokenExpired`),
      };
    case 'signInFailed':
      return {
        fill: 'red',
        shape: 'ring',
        text: RED._(`${ACCOUNT_STATUS_NS}:status.signInFailed`, { code: notice.code }),
      };
  }
}

/** What every device node puts in `msg.iotexplorer`: the Action, then what it learns. */
export interface CallInfo {
  action: string;
  requestId?: string;
  [key: string]: unknown;
}

export type DeviceMessage = NodeMessageInFlow & { iotexplorer?: CallInfo };

export interface CallContext<I extends CallInfo> {
  account: AccountNode;
  /**
   * The options of every client call for this message: its signal (aborted when the node
   * closes) and the node's status as the queue's observer. Pass them to every client call.
   */
  callOptions: CallOptions;
  /** Filled as the call goes; becomes `msg.iotexplorer`, also on errors. */
  info: I;
}

export interface DeviceNodeOptions<I extends CallInfo> {
  account: AccountNode | null;
  /** The API Action, for `msg.iotexplorer.action`. */
  action: I['action'];
  /**
   * Does the node's work for one message: resolves its fields, calls the client, and sets the
   * outgoing msg's properties. Throws on any failure. Returns the text for the node's status.
   */
  run(msg: DeviceMessage, context: CallContext<I>): Promise<string>;
}

/**
 * The message life cycle every device node shares: status while calls are in flight, exactly one
 * `done` per message, every failure as `done(err)` with a code and a translated text, and calls
 * ended promptly when the node closes. The node itself only says what one call does.
 */
export function handleDeviceMessages<I extends CallInfo>(
  RED: NodeAPI,
  node: Node,
  options: DeviceNodeOptions<I>,
): void {
  const health = options.account?.tokenHealth;
  const status = new CallStatus(node, {
    calling: (count, queued) =>
      queued > 0
        ? RED._(`${ACCOUNT_STATUS_NS}:status.callingQueued`, { count, queued })
        : RED._(`${ACCOUNT_STATUS_NS}:status.calling`, { count }),
    notice: () => {
      const notice = health?.current();
      return notice && noticeStatus(RED, notice);
    },
  });
  const unsubscribe = health?.subscribe(() => status.refresh());
  if (health?.current()) status.refresh();
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
    msg: DeviceMessage,
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
    msg: DeviceMessage,
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
    unsubscribe?.();
    status.clear();
    done();
  });
}

/**
 * A message the runtime can clone for a catch node: the message's own properties that clone,
 * without those that cannot (nested too deep, or a getter that throws). Only used after the
 * runtime failed to clone the message itself.
 */
function cloneableCopy(RED: NodeAPI, msg: DeviceMessage): Record<string, unknown> {
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

export interface DeviceFieldSpec {
  /** The API's name, for messages: `ProductId`. */
  label: string;
  /** The msg property used when the editor's field is blank: `productId`. */
  msgProperty: string;
}

/**
 * Resolves a node's device-target fields for one message (editor value, else `msg.<property>`),
 * warning once per node when the editor's value hides one the message carries.
 */
export function createFieldResolver<K extends string>(
  RED: NodeAPI,
  node: Node,
  fields: Record<K, TypedField>,
  specs: Record<K, DeviceFieldSpec>,
): (msg: DeviceMessage, name: K) => Promise<string> {
  const warnOverridden = overrideWarning(RED, node);
  const names = Object.keys(specs) as K[];
  return async (msg, name) => {
    warnOverridden(() =>
      names
        .filter(
          (n) =>
            !isBlankLiteral(fields[n]) &&
            (msg as Record<string, unknown>)[specs[n].msgProperty] !== undefined,
        )
        .map((n) => `msg.${specs[n].msgProperty}`),
    );
    return resolveStringField(RED, node, fields[name], specs[name], msg);
  };
}

/**
 * Warns once per node that the node's own settings hide message properties (`msg.productId`,
 * …): a flow author otherwise wonders why the message is ignored. Call it with the hidden ones,
 * or with a function that finds them (run only until the warning has been given).
 */
export function overrideWarning(
  RED: NodeAPI,
  node: Node,
): (hidden: string[] | (() => string[])) => void {
  let warned = false;
  return (hiddenOrFind) => {
    // Once warned, the check costs nothing more on the message path.
    if (warned) return;
    const hidden = typeof hiddenOrFind === 'function' ? hiddenOrFind() : hiddenOrFind;
    if (hidden.length === 0) return;
    warned = true;
    node.warn(RED._(`${ACCOUNT_STATUS_NS}:warn.overridden`, { properties: hidden.join(', ') }));
  };
}

export type DeviceTargetField = 'productId' | 'deviceName';

export const DEVICE_TARGET_SPECS: Record<DeviceTargetField, DeviceFieldSpec> = {
  productId: { label: 'ProductId', msgProperty: 'productId' },
  deviceName: { label: 'DeviceName', msgProperty: 'deviceName' },
};

/**
 * Reads a list of devices (`msg.deviceIds`, a node's stored list): 'PID/DN' strings or
 * {productId, deviceName} objects. Returns the ids in 'PID/DN' form, without repeats.
 */
export function parseDeviceIds(value: unknown, field = 'msg.deviceIds'): string[] {
  const items = Array.isArray(value) ? (value as unknown[]) : [value];
  const ids = items.map((item, index) => {
    let id: string | undefined;
    if (typeof item === 'string') id = item.trim();
    else if (typeof item === 'object' && item !== null) {
      const { productId, deviceName } = item as Record<string, unknown>;
      if (typeof productId === 'string' && typeof deviceName === 'string')
        id = DeviceId.format({ productId, deviceName });
    }
    if (id === undefined || !DeviceId.isValid(id)) {
      throw new IotExplorerError({
        code: LocalErrorCode.InvalidField,
        key: 'invalidDeviceIds',
        params: {
          field,
          index,
          got: typeof item === 'string' ? JSON.stringify(item) : describeValue(item),
        },
      });
    }
    return id;
  });
  return [...new Set(ids)];
}

/** One row of an editor device list (watch, status), as the editor stores it. */
export interface StoredDevice {
  productId: string;
  deviceName: string;
}

/**
 * A node's own device list (its migrated `devices`) as 'PID/DN' ids. A hand-edited entry that
 * names no device throws IOTX_INVALID_FIELD naming `devices` and the entry.
 */
export function storedDeviceIds(devices: readonly (StoredDevice | string)[]): string[] {
  return parseDeviceIds(devices, 'devices');
}

/** The property ids a comma- or space-separated list names; empty: all (the editor's rule too). */
export { parsePropertyList } from '../shared/property-list';

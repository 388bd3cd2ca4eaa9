import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import type { TypedField } from '../shared/node-settings';
import { ACCOUNT_NAMESPACE } from '../shared/palette';

export interface StringFieldSpec {
  /** The API's name for it, used in messages: `ProductId`. */
  label: string;
  /** Where a message may carry it when the editor leaves it blank: `productId`. */
  msgProperty: string;
  /** False for ids that are never numbers (SceneId): a number is then refused. Default true. */
  acceptNumber?: boolean;
}

/** Evaluates a TypedInput, also against asynchronous context stores. */
export function evaluateTypedField(
  RED: NodeAPI,
  node: Node,
  field: TypedField,
  msg: NodeMessage,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    RED.util.evaluateNodeProperty(
      field.value,
      field.type,
      node,
      msg,
      (err: Error | null, value: unknown) => (err ? reject(err) : resolve(value)),
    );
  });
}

/** How a value looks, for an error that says what was received instead. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function readMessageProperty(msg: NodeMessage, property: string): unknown {
  return Object.prototype.hasOwnProperty.call(msg, property)
    ? (msg as unknown as Record<string, unknown>)[property]
    : undefined;
}

/** True when the editor's field is a literal string left blank: the message then supplies it. */
export function isBlankLiteral(field: TypedField): boolean {
  return (
    (field.type === 'str' || field.type === '' || field.type === undefined) &&
    (field.value ?? '').trim() === ''
  );
}

/**
 * Resolves one of ProductId / DeviceName / ActionId: the editor's value when set, otherwise
 * `msg.<msgProperty>`. A number is taken as its decimal text; anything else that is not a
 * non-empty string is an error naming the field.
 */
async function resolveStringField(
  RED: NodeAPI,
  node: Node,
  field: TypedField,
  spec: StringFieldSpec,
  msg: NodeMessage,
): Promise<string> {
  // A literal text needs no evaluation (the common case, and on every message).
  const value = isBlankLiteral(field)
    ? readMessageProperty(msg, spec.msgProperty)
    : field.type === 'str'
      ? field.value
      : await evaluateTypedField(RED, node, field, msg);
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value) && spec.acceptNumber !== false)
    return String(value);
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw new IotExplorerError({
      code: LocalErrorCode.MissingField,
      key: 'missingField',
      params: { field: spec.label, msgProperty: spec.msgProperty },
    });
  }
  throw new IotExplorerError({
    code: LocalErrorCode.InvalidField,
    key: 'invalidField',
    params: { field: spec.label, got: describeValue(value) },
  });
}

/**
 * Resolves a node's device-target fields for one message (editor value, else `msg.<property>`),
 * warning once per node when the editor's value hides one the message carries.
 */
export function createFieldResolver<K extends string>(
  RED: NodeAPI,
  node: Node,
  fields: Record<K, TypedField>,
  specs: Record<K, StringFieldSpec>,
): (msg: NodeMessage, name: K) => Promise<string> {
  const warnOverridden = overrideWarning(RED, node);
  const names = Object.keys(specs) as K[];
  return async (msg, name) => {
    warnOverridden(() =>
      names
        .filter(
          (n) =>
            !isBlankLiteral(fields[n]) &&
            (msg as unknown as Record<string, unknown>)[specs[n].msgProperty] !== undefined,
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
    node.warn(RED._(`${ACCOUNT_NAMESPACE}:warn.overridden`, { properties: hidden.join(', ') }));
  };
}

/** ProductId and DeviceName: the editor's fields, else `msg.productId` and `msg.deviceName`. */
export const DEVICE_TARGET_SPECS: Record<'productId' | 'deviceName', StringFieldSpec> = {
  productId: { label: 'ProductId', msgProperty: 'productId' },
  deviceName: { label: 'DeviceName', msgProperty: 'deviceName' },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value))
    return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Turns the configured input into the JSON string the API expects in a field such as
 * InputParams or Data. An object is serialised; a string must hold a JSON object;
 * nothing (undefined, null, blank) means the field is left out.
 */
export function toJsonObjectString(
  value: unknown,
  fieldLabel: string,
  code: string = LocalErrorCode.InvalidInputParams,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      throw new IotExplorerError({
        code,
        key: 'inputParamsNotJson',
        params: { field: fieldLabel, reason: (err as Error).message },
      });
    }
    if (!isPlainObject(parsed)) {
      throw new IotExplorerError({
        code,
        key: 'inputParamsNotJson',
        params: { field: fieldLabel, reason: `it holds ${describeValue(parsed)}` },
      });
    }
    return value;
  }
  if (!isPlainObject(value)) {
    throw new IotExplorerError({
      code,
      key: 'invalidInputParams',
      params: { field: fieldLabel, got: describeValue(value) },
    });
  }
  try {
    return JSON.stringify(value);
  } catch (err) {
    throw new IotExplorerError({
      code,
      key: 'inputParamsUnserializable',
      params: { field: fieldLabel, reason: (err as Error).message },
    });
  }
}

// The `validate` functions of the fields a product's data template decides: a call action
// node's InputParams and ActionId, a control node's Data. Node-RED marks a node whose field
// fails its validator with the red triangle in the workspace, and the field red in the dialog;
// a validator of two parameters may say why, and the reason shows in the marker's tooltip.
//
// The rules are the runtime's (lib/shared/data-template.ts, the same `checkActionInput` and
// `checkControlData` the nodes run before a call): against the product's template when the
// editor has read it (`rememberTemplate`, called by every picker that reads one), else by JSON
// syntax alone. A template the editor has not read, or could not read (no token, no network),
// never makes a node invalid: the node is checked again once it is read.

import {
  checkActionInput,
  checkControlData,
  parseDataTemplate,
  shortValue,
  type DataTemplate,
} from '../lib/shared/data-template';
import { storedFilter, storedMode } from './home-choices';
import { problemText, t } from './i18n';

/** Templates the editor has read, by account node id and ProductId. */
const templates = new Map<string, DataTemplate>();

function templateKey(accountId: string, productId: string): string {
  return JSON.stringify([accountId, productId]);
}

/** The template of `productId` as read through the account `accountId`, if the editor has it. */
export function knownTemplate(accountId: string, productId: string): DataTemplate | undefined {
  return accountId && productId ? templates.get(templateKey(accountId, productId)) : undefined;
}

/** The node types whose fields a template decides. */
const CHECKED_TYPES = ['iot-explorer-action', 'iot-explorer-control'];

/**
 * Keeps a template the editor has read, and checks again the nodes it decides: those of the
 * account and product, which may have been saved (or imported) before it was known.
 */
export function rememberTemplate(accountId: string, productId: string, raw: unknown): void {
  const template = parseDataTemplate(raw);
  if (!template || !accountId || !productId) return;
  templates.set(templateKey(accountId, productId), template);
  let changed = false;
  // As saved, the node whose dialog is open too: its dialog is checked below.
  readingSaved = true;
  try {
    RED.nodes.eachNode((node) => {
      if (!CHECKED_TYPES.includes(node.type) || node.account !== accountId) return;
      if (fieldsOf(node).productId() !== productId) return;
      const before = node.valid;
      RED.editor.validateNode(node);
      changed ||= node.valid !== before;
    });
  } finally {
    readingSaved = false;
  }
  if (changed) RED.view.redraw();
  // An open dialog checks its fields again: Node-RED does so on a change of any of them.
  $('#node-input-name').trigger('change');
}

/** The node whose dialog is open (set by `editing`), to read its fields from the dialog. */
let editingId = '';
/** Set while nodes are checked as saved, whatever dialog is open. */
let readingSaved = false;

/** Says that `node`'s dialog is open: its validators read the dialog's fields, not the node's. */
export function editing(node: RedEditorNode): void {
  editingId = node.id;
}

/** A typed field's text when it is a literal (type `str`), else ''. */
function literalOf(value: unknown, type: unknown): string {
  return (type || 'str') === 'str' && typeof value === 'string' ? value.trim() : '';
}

/** A node's fields as its open dialog shows them, or as saved when its dialog is closed. */
interface Fields {
  account: string;
  /** A typed field's type (`str` when absent). */
  type(name: string): string;
  /** A typed field's literal text, or '' when it comes from msg, flow, global or env. */
  literal(name: string): string;
  /**
   * The product whose template decides the node's fields: the literal ProductId, or for a
   * selection of the home the product its filter names ('' when it names none: its devices may
   * be of several products, and each device lacking a property or action is skipped).
   */
  productId(): string;
}

/** The product a selection's filter names, when the node selects by filter; else undefined. */
function filterProduct(mode: unknown, filter: unknown): string | undefined {
  if (storedMode(mode) !== 'filter') return undefined;
  const read = storedFilter(filter);
  return 'filter' in read ? (read.filter.productId ?? '') : '';
}

function fieldsOf(node: RedEditorNode): Fields {
  const $account = $('#node-input-account');
  if (node.id === editingId && $account.length && !readingSaved) {
    // A TypedInput keeps its value in its own input and its type in the hidden `<name>Type`.
    const read = (name: string): string => String($(`#node-input-${name}`).val() ?? '');
    const type = (name: string): string => read(`${name}Type`) || 'str';
    const literal = (name: string): string => literalOf(read(name), type(name));
    return {
      account: read('account'),
      type,
      literal,
      productId: () =>
        filterProduct(read('selection'), {
          productId: $('#node-input-iotx-filter-product').val(),
        }) ?? literal('productId'),
    };
  }
  const type = (name: string): string => {
    const value = node[`${name}Type`];
    return typeof value === 'string' && value ? value : 'str';
  };
  const literal = (name: string): string => literalOf(node[name], type(name));
  return {
    account: typeof node.account === 'string' ? node.account : '',
    type,
    literal,
    productId: () => filterProduct(node.selection, node.selectionFilter) ?? literal('productId'),
  };
}

/** A JSON literal read as an object, or why it is not one. */
function jsonObject(
  field: string,
  text: unknown,
): { value: Record<string, unknown> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(typeof text === 'string' ? text : '');
  } catch (err) {
    return { problem: t('notJson', { field, reason: (err as Error).message }) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: t('notJsonObject', { field, got: shortValue(value) }) };
  }
  return { value: value as Record<string, unknown> };
}

/** The action a call action node names, when the editor has its product's template. */
function namedAction(fields: Fields): { template: DataTemplate; actionId: string } | undefined {
  const template = knownTemplate(fields.account, fields.productId());
  const actionId = fields.literal('actionId');
  return template && actionId ? { template, actionId } : undefined;
}

/**
 * InputParams of a call action node: a JSON literal must be an object, and fit the inputs of the
 * action when the template is known. From msg, flow, global or env: checked when it arrives.
 */
export function inputParams(
  this: RedEditorNode,
  value: unknown,
  _options?: unknown,
): boolean | string {
  const fields = fieldsOf(this);
  if (fields.type('inputParams') !== 'json') return true;
  const read = jsonObject('InputParams', value);
  if ('problem' in read) return read.problem;
  const named = namedAction(fields);
  const action = named?.template.actions.find((a) => a.id === named.actionId);
  const problem = action ? checkActionInput(action, read.value) : undefined;
  return problem ? problemText(problem) : true;
}

/** ActionId of a call action node: an action of the product, when the template is known. */
export function actionId(
  this: RedEditorNode,
  _value: unknown,
  _options?: unknown,
): boolean | string {
  const named = namedAction(fieldsOf(this));
  if (!named || named.template.actions.some((a) => a.id === named.actionId)) return true;
  return t('unknownAction', {
    action: named.actionId,
    known: named.template.actions.map((a) => a.id).join(', '),
  });
}

/**
 * Data of a control node: a JSON literal must be an object naming at least one property, and
 * each must be a writable property of the product with a value that fits, when the template is
 * known.
 */
export function controlData(
  this: RedEditorNode,
  value: unknown,
  _options?: unknown,
): boolean | string {
  const fields = fieldsOf(this);
  if (fields.type('data') !== 'json') return true;
  const label = this._('iot-explorer-control.label.data');
  const read = jsonObject(label, value);
  if ('problem' in read) return read.problem;
  if (Object.keys(read.value).length === 0) return t('noData', { field: label });
  const template = knownTemplate(fields.account, fields.productId());
  const problem = template ? checkControlData(template, read.value) : undefined;
  return problem ? problemText(problem) : true;
}

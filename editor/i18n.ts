// Texts in the editor's language. The editor's own texts live in the account catalogue's
// `editor` section; a problem found by a shared rule is a key of its `errors` section, the same
// text the runtime gives.

import { ACCOUNT_NAMESPACE } from '../lib/shared/palette';
import type { TemplateProblem } from '../lib/shared/data-template';

export type TextParams = Record<string, string | number>;

/** A text of the account catalogue's `editor` section. */
export function t(key: string, params?: TextParams): string {
  return RED._(`${ACCOUNT_NAMESPACE}:editor.${key}`, params);
}

/**
 * A text that counts: `<key>One` for exactly one (“1 device”), else `<key>` (“3 devices”).
 * Chosen here rather than by i18next's plural rules, which differ between Node-RED's lines.
 */
export function tCount(key: string, count: number, params?: TextParams): string {
  return t(count === 1 ? `${key}One` : key, { ...params, count });
}

/**
 * A text of the account catalogue's `errors` section, or undefined when the catalogue has none
 * (Node-RED's `_()` then answers with the key itself).
 */
export function errorText(key: string, params?: TextParams): string | undefined {
  const fullKey = `${ACCOUNT_NAMESPACE}:errors.${key}`;
  const text = RED._(fullKey, params ?? {});
  return text && text !== fullKey && !text.includes(`errors.${key}`) ? text : undefined;
}

/** What is wrong with a value, in the editor's language. */
export function problemText(problem: TemplateProblem | undefined): string {
  return problem ? (errorText(problem.key, problem.params) ?? problem.key) : '';
}

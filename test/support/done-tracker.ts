import type { Node } from 'node-red';

/** How each message a node received ended: the number of `done` calls, and the last error. */
export interface DoneRecord {
  count: number;
  error?: Error & { code?: string };
}

type CompletingNode = Node & {
  _complete(msg: { _msgid?: string }, err?: Error): void;
};

/**
 * Records every `done` of a node, per message id, by wrapping the runtime's own completion hook
 * (the function each input handler's `done` calls). Shows a missing or a second `done`.
 */
export function trackDone(node: Node): Map<string, DoneRecord> {
  const records = new Map<string, DoneRecord>();
  const target = node as CompletingNode;
  const original = target._complete.bind(target);
  target._complete = (msg, err) => {
    const id = msg._msgid ?? '?';
    const record = records.get(id) ?? { count: 0 };
    record.count += 1;
    if (err) record.error = err;
    records.set(id, record);
    original(msg, err);
  };
  return records;
}

/** Resolves once `count` messages have ended, or rejects after `timeoutMs`. */
export async function waitForDone(
  records: Map<string, DoneRecord>,
  count: number,
  timeoutMs = 15000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (records.size < count) {
    if (Date.now() > until)
      throw new Error(`only ${records.size} of ${count} messages ended within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

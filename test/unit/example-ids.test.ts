// The examples of both packages are imported into one workspace, one after another: a node id
// two examples share makes Node-RED's import treat the second one's node as already there (kept,
// the example's own left out). Only config nodes (no tab) may be shared, and only as one node.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { COMPANION_EXAMPLES_DIR, EXAMPLES_DIR, PROJECT_ROOT } from '../../demo/launch';

type FlowNode = Record<string, unknown> & { id: string; type: string };

function examples(): { file: string; nodes: FlowNode[] }[] {
  return [EXAMPLES_DIR, COMPANION_EXAMPLES_DIR].flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({
        file: path.relative(PROJECT_ROOT, path.join(dir, f)),
        nodes: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as FlowNode[],
      })),
  );
}

describe('example node ids', function () {
  it('gives each tab and each node on a tab an id no other example uses', function () {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    const all = examples();
    assert.ok(all.length >= 15, `${all.length} examples read`);
    for (const { file, nodes } of all) {
      for (const node of nodes) {
        if (node.type !== 'tab' && node.z === undefined) continue; // a config node
        const first = owner.get(node.id);
        if (first) clashes.push(`${node.id} (${node.type}) in ${first} and ${file}`);
        else owner.set(node.id, file);
      }
    }
    assert.deepEqual(clashes, []);
  });

  it('shares a config node between examples only as the same node', function () {
    const seen = new Map<string, string>();
    const differ: string[] = [];
    for (const { file, nodes } of examples()) {
      for (const node of nodes) {
        if (node.type === 'tab' || node.z !== undefined) continue;
        const text = JSON.stringify(node);
        const before = seen.get(node.id);
        if (before !== undefined && before !== text) differ.push(`${node.id} differs in ${file}`);
        seen.set(node.id, text);
      }
    }
    assert.deepEqual(differ, []);
  });
});

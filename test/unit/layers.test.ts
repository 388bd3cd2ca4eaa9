// lib/ has no import circle, between files or between folders: type imports count, as do
// `export … from` and `require`. The direction of each folder's imports (which folder may import
// which) is ESLint's rule, written in eslint.config.mjs (LIB_LAYERS); this test holds the graph
// to having no circle at all, so that a wrong import fails CI even where no rule names it.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..', '..');
const LIB = path.join(ROOT, 'lib');

type Graph = Map<string, Set<string>>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The lib/ file an import names, or undefined for a package or a file outside lib/. */
function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (candidate.startsWith(LIB + path.sep) && fs.existsSync(candidate)) {
      if (fs.statSync(candidate).isFile()) return candidate;
    }
  }
  return undefined;
}

/** Every lib/ file → the lib/ files it imports (import, import type, export from, require). */
function importGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(LIB)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = new Set<string>();
    for (const imported of info.importedFiles) {
      const target = resolve(file, imported.fileName);
      if (target && target.endsWith('.ts')) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** The graph of lib/'s folders: an edge where a file of one imports a file of another. */
function folderGraph(files: Graph): Graph {
  const folder = (file: string): string => path.relative(LIB, file).split(path.sep)[0] ?? '';
  const graph: Graph = new Map();
  for (const [from, targets] of files) {
    const edges = graph.get(folder(from)) ?? new Set<string>();
    for (const to of targets) if (folder(to) !== folder(from)) edges.add(folder(to));
    graph.set(folder(from), edges);
  }
  return graph;
}

/** Every circle of a graph, each as the path that closes it (a → b → a). */
function findCycles(graph: Graph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (state.get(node) === undefined) visit(node);
  return cycles;
}

const show = (cycles: string[][]): string =>
  cycles
    .map((cycle) =>
      cycle.map((node) => (path.isAbsolute(node) ? path.relative(ROOT, node) : node)).join(' → '),
    )
    .join('\n');

describe('lib/ imports', function () {
  it('finds a circle when there is one (the check can fail)', function () {
    const graph: Graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    assert.deepEqual(findCycles(graph), [['a', 'b', 'c', 'a']]);
    assert.deepEqual(findCycles(new Map([['a', new Set(['b'])]])), []);
  });

  it('has no import circle between files, type imports included', function () {
    const graph = importGraph();
    assert.ok(graph.size > 40, `read ${graph.size} files`);
    const cycles = findCycles(graph);
    assert.equal(cycles.length, 0, `import circles in lib/:\n${show(cycles)}`);
  });

  it('has no import circle between folders', function () {
    const cycles = findCycles(folderGraph(importGraph()));
    assert.equal(cycles.length, 0, `folders importing each other:\n${show(cycles)}`);
  });
});

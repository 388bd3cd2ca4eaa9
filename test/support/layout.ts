// Whether a flow's layout is readable: no node on another, no status text under a node, no wire
// running under a node. Pure geometry on what the editor drew (test/browser/examples-*).

/** A node as the editor placed it: centre x, y and size w, h, as `RED.nodes` holds them. */
export interface PlacedNode {
  id: string;
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Whether the node can show a status text below itself. */
  hasStatus: boolean;
}

/** A wire, as points sampled along its drawn path. */
export interface DrawnWire {
  source: string;
  target: string;
  points: { x: number; y: number }[];
}

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The room a status text takes below its node: Node-RED draws it 3 px in from the node's left
 * edge and 3 px under it, 9 pt high; 170 px holds about 25 characters ("live · 3 of 3 devices",
 * "IOTX_TIMEOUT · retry in 30 s"). Longer texts run on into free space at the end of a row.
 */
export const STATUS_WIDTH = 170;
export const STATUS_HEIGHT = 16;
/** The least horizontal run of a wire, from its node's right edge to the next one's left edge. */
export const MIN_WIRE_RUN = 20;

function rectOf(node: PlacedNode): Rect {
  return {
    left: node.x - node.w / 2,
    top: node.y - node.h / 2,
    right: node.x + node.w / 2,
    bottom: node.y + node.h / 2,
  };
}

function statusOf(node: PlacedNode): Rect {
  const box = rectOf(node);
  return {
    left: box.left + 3,
    top: box.bottom + 2,
    right: box.left + 3 + STATUS_WIDTH,
    bottom: box.bottom + 2 + STATUS_HEIGHT,
  };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function inside(point: { x: number; y: number }, r: Rect, margin: number): boolean {
  return (
    point.x > r.left + margin &&
    point.x < r.right - margin &&
    point.y > r.top + margin &&
    point.y < r.bottom - margin
  );
}

/** Each problem of a tab's layout, in words; none for a readable layout. */
export function layoutProblems(nodes: PlacedNode[], wires: DrawnWire[]): string[] {
  const problems: string[] = [];
  const name = (n: PlacedNode): string => `"${n.label}"`;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = 0; j < nodes.length; j++) {
      if (i === j) continue;
      const a = nodes[i];
      const b = nodes[j];
      if (i < j && overlaps(rectOf(a), rectOf(b))) problems.push(`${name(a)} overlaps ${name(b)}`);
      if (a.hasStatus && overlaps(statusOf(a), rectOf(b)))
        problems.push(`the status of ${name(a)} runs under ${name(b)}`);
      if (i < j && a.hasStatus && b.hasStatus && overlaps(statusOf(a), statusOf(b)))
        problems.push(`the statuses of ${name(a)} and ${name(b)} overlap`);
    }
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const wire of wires) {
    const from = byId.get(wire.source);
    const to = byId.get(wire.target);
    // A wire runs left to right with room to curve: one that turns back loops under its nodes.
    if (from && to && rectOf(to).left - rectOf(from).right < MIN_WIRE_RUN) {
      problems.push(`the wire ${name(from)} → ${name(to)} has no room: it loops back`);
    }
    for (const node of nodes) {
      if (node.id === wire.source || node.id === wire.target) continue;
      // A wire may touch a node's edge; it may not cross its body.
      if (wire.points.some((p) => inside(p, rectOf(node), 2))) {
        problems.push(
          `the wire ${from ? name(from) : wire.source} → ${to ? name(to) : wire.target} runs under ${name(node)}`,
        );
      }
    }
  }
  return problems;
}

import type { Core, ElementDefinition, NodeSingular } from 'cytoscape';
import type { TopologyEdge, TopologyNode, TopologyResponse } from '../types';
import { EDGE_FONT } from './graph-style';
import type { Position } from './positions';

/** What cytoscape holds per element: only what the styles and the test hook read. */
function nodeData(n: TopologyNode) {
  return { id: n.id, label: n.label, kind: n.kind, health: n.health, outside: n.outsideNamespace };
}

function edgeData(e: TopologyEdge) {
  const lines = e.label.split('\n').length;
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    label: e.label,
    health: e.health,
    mtls: e.mtls,
    // Thicker with traffic, on a log scale so one hot edge does not swamp the rest.
    width: 1.5 + Math.min(3, Math.log10(1 + e.rps)),
    // The label sits above the edge's midpoint, leaving the midpoint to the mTLS lock.
    labelOffset: -((lines * EDGE_FONT * 1.25) / 2 + 9),
  };
}

/** Setting data restyles the element; on a 2,000-element graph every 5 s, skip what did not change. */
function changed(current: Record<string, unknown>, next: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(next)) if (current[k] !== v) return true;
  return false;
}

export interface SyncResult {
  added: number;
  removed: number;
  updated: number;
  /** Leaf nodes that came without a remembered position. */
  unplaced: string[];
  leaves: number;
}

/**
 * Brings the long-lived cytoscape instance to `data` in one batch: removes what left, updates
 * the data of what stayed (positions untouched), adds what is new at its remembered position.
 */
export function syncElements(
  cy: Core,
  data: TopologyResponse,
  remembered: Map<string, Position>,
): SyncResult {
  const wanted = new Set<string>([...data.nodes.map((n) => n.id), ...data.edges.map((e) => e.id)]);
  const result: SyncResult = { added: 0, removed: 0, updated: 0, unplaced: [], leaves: 0 };
  cy.batch(() => {
    const gone = cy.elements().filter((ele) => !wanted.has(ele.id()));
    result.removed = gone.length;
    gone.remove();

    const toAdd: ElementDefinition[] = [];
    for (const n of data.nodes) {
      const ele = cy.getElementById(n.id);
      if (n.kind !== 'app') result.leaves++;
      if (ele.nonempty()) {
        const node = ele as NodeSingular;
        const parentId = node.parent().nonempty() ? node.parent().first().id() : null;
        if (parentId !== n.parent && (n.parent === null || cy.getElementById(n.parent).nonempty()))
          node.move({ parent: n.parent });
        const next = nodeData(n);
        if (changed(node.data(), next)) {
          node.data(next);
          result.updated++;
        }
        continue;
      }
      const position = n.kind === 'app' ? undefined : remembered.get(n.id);
      if (n.kind !== 'app' && !position) result.unplaced.push(n.id);
      toAdd.push({
        group: 'nodes',
        data: { ...nodeData(n), ...(n.parent ? { parent: n.parent } : {}) },
        ...(position ? { position: { ...position } } : {}),
      });
    }
    for (const e of data.edges) {
      const ele = cy.getElementById(e.id);
      if (ele.nonempty()) {
        const next = edgeData(e);
        if (changed(ele.data(), next)) {
          ele.data(next);
          result.updated++;
        }
      } else toAdd.push({ group: 'edges', data: edgeData(e) });
    }
    result.added = toAdd.length;
    if (toAdd.length > 0) cy.add(toAdd);
  });
  return result;
}

/**
 * A few new nodes between layouts go beside a sibling in their app box, else beside a
 * neighbour, else to the right of the graph: nothing that was placed moves.
 */
export function placeNewNodes(cy: Core, ids: string[], remembered: Map<string, Position>): void {
  cy.batch(() => {
    let spill = 0;
    for (const id of ids) {
      const node = cy.getElementById(id) as NodeSingular;
      if (node.empty()) continue;
      const siblings = node.isChild()
        ? node.siblings().filter((s) => remembered.has(s.id()))
        : cy.collection().nodes();
      const neighbours = node
        .neighborhood()
        .nodes()
        .filter((s) => remembered.has(s.id()) && !s.isParent());
      let p: Position;
      if (siblings.nonempty()) {
        const right = siblings.max((s) => s.position('x'));
        p = { x: right.value + 60, y: (right.ele as NodeSingular).position('y') };
      } else if (neighbours.nonempty()) {
        const n = (neighbours.first() as NodeSingular).position();
        p = { x: n.x + 90, y: n.y + 70 };
      } else {
        const bb = cy.nodes().boundingBox({});
        p = {
          x: (Number.isFinite(bb.x2) ? bb.x2 : 0) + 120,
          y: (Number.isFinite(bb.y1) ? bb.y1 : 0) + spill * 80,
        };
        spill++;
      }
      node.position(p);
      remembered.set(id, p);
    }
  });
}

export function rememberPositions(cy: Core, remembered: Map<string, Position>): void {
  cy.nodes().forEach((n) => {
    if (!n.isParent()) remembered.set(n.id(), { ...n.position() });
  });
}

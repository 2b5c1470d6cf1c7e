import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';

/**
 * window.__trellisTopology: what the canvas shows, for browser tests that must not match pixels
 * (positions, labels, colours as cytoscape resolved them, locks drawn). Read-only.
 */
export interface TopologyHookNode {
  id: string;
  kind: string;
  parent: string | null;
  label: string;
  health: string;
  /** Colours as drawn (cytoscape's resolved style), e.g. "rgb(201,25,11)". */
  borderColor: string;
  backgroundColor: string;
  /** Model position (stable across pan and zoom). */
  position: { x: number; y: number };
  /** Where to click: viewport (page) coordinates of the node's centre. */
  client: { x: number; y: number };
  visible: boolean;
}

export interface TopologyHookEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  health: string;
  mtls: string;
  lineColor: string;
  lineStyle: string;
  lock: boolean;
}

export interface TopologyTestHook {
  /** Times the force layout ran on this page (it should run once, not on every refresh). */
  layoutRuns: number;
  lastLayoutMs: number | null;
  /** Data refreshes applied to the graph. */
  updates: number;
  /** Time from the first data to the first drawn graph, in ms. */
  firstRenderMs: number | null;
  zoom(): number;
  nodes(): TopologyHookNode[];
  edges(): TopologyHookEdge[];
}

declare global {
  interface Window {
    __trellisTopology?: TopologyTestHook;
  }
}

export function makeTestHook(cy: Core, locks: () => Set<string>): TopologyTestHook {
  const origin = () => cy.container()?.getBoundingClientRect() ?? { left: 0, top: 0 };
  return {
    layoutRuns: 0,
    lastLayoutMs: null,
    updates: 0,
    firstRenderMs: null,
    zoom: () => cy.zoom(),
    nodes: () => {
      const o = origin();
      return cy.nodes().map((n: NodeSingular) => {
        const r = n.renderedPosition();
        return {
          id: n.id(),
          kind: String(n.data('kind')),
          parent: n.parent().nonempty() ? n.parent().first().id() : null,
          label: String(n.data('label')),
          health: String(n.data('health')),
          borderColor: String(n.style('border-color')),
          backgroundColor: String(n.style('background-color')),
          position: { ...n.position() },
          client: { x: o.left + r.x, y: o.top + r.y },
          visible: n.visible(),
        };
      });
    },
    edges: () => {
      const drawn = locks();
      return cy.edges().map((e: EdgeSingular) => ({
        id: e.id(),
        source: e.source().id(),
        target: e.target().id(),
        label: String(e.data('label')),
        health: String(e.data('health')),
        mtls: String(e.data('mtls')),
        lineColor: String(e.style('line-color')),
        lineStyle: String(e.style('line-style')),
        lock: drawn.has(e.id()),
      }));
    },
  };
}

import type { Core, LayoutOptions } from 'cytoscape';

/** fcose's cheaper mode (spectral only, boxes may overlap) above this many leaf nodes. */
const DRAFT_LAYOUT_NODES = 1_500;
/** Above this many leaf nodes edge labels hide when fitted, so nodes can sit closer. */
const COMPACT_LAYOUT_NODES = 150;
/** Up to this many leaf nodes traffic flows left to right (as Kiali's dagre layout reads). */
const FLOW_LAYOUT_NODES = 100;
/** Horizontal gap between a caller and what it calls, in model units. */
const FLOW_GAP = 90;

interface Placement {
  left: string;
  right: string;
  gap: number;
}

/**
 * "Caller left of callee" constraints for fcose: ranks from a depth-first walk from the nodes
 * nobody calls, keeping only edges that go to a deeper rank, so the constraints never form a
 * cycle (which fcose cannot satisfy).
 */
export function flowConstraints(cy: Core): Placement[] {
  const leaves = cy.nodes().filter((n) => !n.isParent());
  const out = new Map<string, string[]>();
  const called = new Set<string>();
  cy.edges().forEach((e) => {
    const s = e.source().id();
    const t = e.target().id();
    if (s === t) return;
    out.set(s, [...(out.get(s) ?? []), t]);
    called.add(t);
  });
  const rank = new Map<string, number>();
  const onPath = new Set<string>();
  const visit = (id: string, depth: number, budget: { left: number }) => {
    if (budget.left-- <= 0 || onPath.has(id) || (rank.get(id) ?? -1) >= depth) return;
    rank.set(id, depth);
    onPath.add(id);
    for (const next of out.get(id) ?? []) visit(next, depth + 1, budget);
    onPath.delete(id);
  };
  // Bounded: a small graph, but a dense one could make the walk explode.
  const budget = { left: 20_000 };
  leaves.forEach((n) => {
    if (!called.has(n.id())) visit(n.id(), 0, budget);
  });
  const placements: Placement[] = [];
  cy.edges().forEach((e) => {
    const s = rank.get(e.source().id());
    const t = rank.get(e.target().id());
    if (s !== undefined && t !== undefined && s < t)
      placements.push({ left: e.source().id(), right: e.target().id(), gap: FLOW_GAP });
  });
  return placements;
}

export function fcoseOptions(cy: Core): LayoutOptions {
  const leaves = cy.nodes().filter((n) => !n.isParent()).length;
  const compact = leaves > COMPACT_LAYOUT_NODES;
  const options = {
    name: 'fcose',
    quality: leaves > DRAFT_LAYOUT_NODES ? 'draft' : 'default',
    randomize: true,
    animate: false,
    fit: false,
    nodeDimensionsIncludeLabels: true,
    packComponents: true,
    // Room for two-line edge labels between nodes; tighter on big graphs, where labels hide.
    idealEdgeLength: compact ? 90 : 120,
    nodeRepulsion: compact ? 9000 : 6000,
    nodeSeparation: 90,
    nestingFactor: 0.1,
    gravity: 0.25,
    // Keeps an app's versions together even when they talk to different neighbours, so a box
    // does not stretch across the graph (measured on the 500-service stub: largest box 320 → 185).
    gravityCompound: 3,
    tile: true,
    ...(leaves <= FLOW_LAYOUT_NODES ? { relativePlacementConstraint: flowConstraints(cy) } : {}),
  };
  // fcose's options are not in cytoscape's LayoutOptions union.
  return options as unknown as LayoutOptions;
}

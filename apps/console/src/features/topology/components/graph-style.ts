import type { EdgeSingular, StylesheetJson } from 'cytoscape';
import type { Health } from '../health';

/**
 * Every style of the graph in one place (as Kiali keeps its cytoscape styles). Colours follow
 * PatternFly's status palette, which Kiali uses: green healthy, amber degraded, red failure.
 */
export const HEALTH_COLOURS: Record<Health, { line: string; fill: string }> = {
  healthy: { line: '#3e8635', fill: '#ffffff' },
  degraded: { line: '#d98e00', fill: '#fff6e0' },
  failure: { line: '#c9190b', fill: '#fde8e6' },
  idle: { line: '#8a8d90', fill: '#ffffff' },
};

/** Font sizes in model units; below MIN_ZOOMED_FONT_PX on screen a label is not drawn at all. */
export const NODE_FONT = 12;
export const EDGE_FONT = 11;
export const MIN_ZOOMED_FONT_PX = 7;

/** Above this many edges the graph switches to cheaper edges (measured in DESIGN.md). */
export const BIG_GRAPH_EDGES = 600;

const SELECTED = '#2f6fed';

export function graphStyle(big: boolean): StylesheetJson {
  const healthSelectors = (['healthy', 'degraded', 'failure', 'idle'] as const).flatMap((h) => [
    {
      selector: `node[health = "${h}"]`,
      style: { 'border-color': HEALTH_COLOURS[h].line, 'background-color': HEALTH_COLOURS[h].fill },
    },
    {
      selector: `edge[health = "${h}"]`,
      style: {
        'line-color': HEALTH_COLOURS[h].line,
        'target-arrow-color': HEALTH_COLOURS[h].line,
        'mid-target-arrow-color': HEALTH_COLOURS[h].line,
      },
    },
  ]);
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-family': 'DejaVu Sans, Segoe UI, Roboto, Arial, sans-serif',
        'font-size': NODE_FONT,
        'min-zoomed-font-size': MIN_ZOOMED_FONT_PX,
        color: '#1b2430',
        'text-wrap': 'wrap',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
        width: 34,
        height: 34,
        'border-width': 3,
        'background-color': '#ffffff',
      },
    },
    { selector: 'node[kind = "workload"]', style: { shape: 'ellipse' } },
    { selector: 'node[kind = "service"]', style: { shape: 'triangle', width: 36, height: 32 } },
    { selector: 'node[kind = "unknown"]', style: { shape: 'diamond', 'border-style': 'dashed' } },
    ...healthSelectors,
    {
      // App boxes: drawn after the health rules so the box keeps a light fill and only its
      // border tells the app's (worst version's) health.
      selector: 'node[kind = "app"]',
      style: {
        shape: 'round-rectangle',
        'background-color': '#f3f6fa',
        'border-width': 2,
        'border-style': 'solid',
        'text-valign': 'top',
        'text-margin-y': -4,
        'font-weight': 'bold',
        'font-size': NODE_FONT + 1,
        padding: '14px',
        'text-background-opacity': 0,
      },
    },
    { selector: 'node[kind = "app"][health = "idle"]', style: { 'border-color': '#b8c2cc' } },
    { selector: 'node[?outside]', style: { opacity: 0.6, 'border-style': 'dotted' } },
    {
      selector: 'node:selected',
      style: { 'border-color': SELECTED, 'border-width': 5, 'overlay-opacity': 0 },
    },
    {
      selector: 'edge',
      style: {
        width: 'data(width)',
        'curve-style': big ? 'haystack' : 'bezier',
        'haystack-radius': 0,
        'target-arrow-shape': big ? 'none' : 'triangle',
        'mid-target-arrow-shape': big ? 'triangle' : 'none',
        'arrow-scale': 0.9,
        label: 'data(label)',
        'font-family': 'DejaVu Sans, Segoe UI, Roboto, Arial, sans-serif',
        'font-size': EDGE_FONT,
        'min-zoomed-font-size': MIN_ZOOMED_FONT_PX,
        'text-wrap': 'wrap',
        'text-rotation': 'none',
        'text-margin-y': (edge: EdgeSingular) => Number(edge.data('labelOffset')),
        color: '#1b2430',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.9,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
      },
    },
    // Plaintext is dashed: the lock's absence is easy to miss, a broken line is not.
    { selector: 'edge[mtls = "none"], edge[mtls = "partial"]', style: { 'line-style': 'dashed' } },
    { selector: 'edge:selected', style: { 'line-color': SELECTED, 'target-arrow-color': SELECTED } },
  ];
}

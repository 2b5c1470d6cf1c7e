'use client';

import type { Core } from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import type { TopologyResponse } from '../types';
import { BIG_GRAPH_EDGES, graphStyle } from './graph-style';
import { fcoseOptions } from './layout';
import { attachLockOverlay } from './lock-overlay';
import { clearPositions, loadPositions, type Position, savePositions } from './positions';
import { placeNewNodes, rememberPositions, syncElements } from './sync-elements';
import { makeTestHook, type TopologyTestHook } from './test-hook';
import styles from './topology.module.css';

/** More new nodes than this share of the graph (e.g. another namespace) earn a fresh layout. */
const RELAYOUT_SHARE = 0.3;
/** A small graph is not blown up past this zoom when fitted. */
const MAX_FIT_ZOOM = 1.5;

/** cytoscape.use() complains when an extension is registered twice (e.g. after navigating back). */
let fcoseRegistered = false;

interface Live {
  cy: Core;
  hook: TopologyTestHook;
  detach: () => void;
}

/** Each press of + or − zooms by this factor, around the selected node when there is one. */
const ZOOM_STEP = 1.6;

function zoomBy(cy: Core, factor: number): void {
  const selected = cy.nodes(':selected');
  const container = cy.container();
  const renderedPosition = selected.nonempty()
    ? selected.first().renderedPosition()
    : { x: (container?.clientWidth ?? 0) / 2, y: (container?.clientHeight ?? 0) / 2 };
  cy.zoom({ level: cy.zoom() * factor, renderedPosition });
}

function fit(cy: Core): void {
  cy.fit(undefined, 30);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center();
  }
}

/**
 * One long-lived cytoscape instance that React never re-renders (as Kiali's CytoscapeGraph):
 * each refresh is applied in one batch; the force layout runs once, and positions are
 * remembered across refreshes and reloads.
 */
export function TopologyGraph({
  data,
  viewKey,
  selectedId,
  onSelect,
}: {
  data: TopologyResponse;
  /** Namespace and window: when they change the graph is fitted to the new view. */
  viewKey: string;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const positionsRef = useRef<Map<string, Position>>(new Map());
  const onSelectRef = useRef(onSelect);
  const initialBig = useRef(data.edges.length > BIG_GRAPH_EDGES);
  const mountedAt = useRef(0);
  const lastViewKey = useRef<string | null>(null);
  const [live, setLive] = useState<Live | null>(null);

  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);

  const runLayout = (l: Live) => {
    const started = performance.now();
    l.cy.layout(fcoseOptions(l.cy)).run();
    rememberPositions(l.cy, positionsRef.current);
    savePositions(positionsRef.current);
    l.hook.layoutRuns++;
    l.hook.lastLayoutMs = Math.round(performance.now() - started);
    fit(l.cy);
  };

  // Create the instance once; cytoscape and fcose load in the browser only (they need a DOM).
  useEffect(() => {
    let disposed = false;
    let created: Live | null = null;
    mountedAt.current = performance.now();
    positionsRef.current = loadPositions();
    void (async () => {
      const [{ default: cytoscape }, { default: fcose }] = await Promise.all([
        import('cytoscape'),
        import('cytoscape-fcose'),
      ]);
      const container = containerRef.current;
      const overlay = overlayRef.current;
      if (disposed || !container || !overlay) return;
      if (!fcoseRegistered) {
        cytoscape.use(fcose);
        fcoseRegistered = true;
      }
      const big = initialBig.current;
      const cy = cytoscape({
        container,
        style: graphStyle(big),
        minZoom: 0.05,
        maxZoom: 4,
        selectionType: 'single',
        boxSelectionEnabled: false,
        // Level of detail while panning/zooming a big graph (DESIGN.md's measurements).
        textureOnViewport: big,
        hideEdgesOnViewport: big,
        pixelRatio: big ? 1 : 'auto',
      });
      const locks = attachLockOverlay(cy, overlay);
      const hook = makeTestHook(cy, locks.drawn);
      cy.on('tap', 'node', (e) => onSelectRef.current(e.target.id()));
      cy.on('tap', (e) => {
        if (e.target === cy) onSelectRef.current(null);
      });
      cy.on('dragfree', 'node', () => {
        rememberPositions(cy, positionsRef.current);
        savePositions(positionsRef.current);
      });
      const resize = new ResizeObserver(() => cy.resize());
      resize.observe(container);
      window.__trellisTopology = hook;
      created = {
        cy,
        hook,
        detach: () => {
          resize.disconnect();
          locks.detach();
          if (window.__trellisTopology === hook) delete window.__trellisTopology;
          cy.destroy();
        },
      };
      setLive(created);
    })();
    return () => {
      disposed = true;
      created?.detach();
    };
  }, []);

  // Every refresh: one batch, no layout unless much of the graph is new.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runLayout only reads refs.
  useEffect(() => {
    if (!live) return;
    const { cy, hook } = live;
    const result = syncElements(cy, data, positionsRef.current);
    hook.updates++;
    const viewChanged = lastViewKey.current !== viewKey;
    lastViewKey.current = viewKey;
    if (
      result.unplaced.length > 0 &&
      (hook.layoutRuns === 0 || result.unplaced.length > result.leaves * RELAYOUT_SHARE)
    )
      runLayout(live);
    else {
      if (result.unplaced.length > 0) {
        placeNewNodes(cy, result.unplaced, positionsRef.current);
        savePositions(positionsRef.current);
      }
      if (viewChanged) fit(cy);
    }
    if (hook.firstRenderMs === null) {
      requestAnimationFrame(() => {
        hook.firstRenderMs = Math.round(performance.now() - mountedAt.current);
        const el = containerRef.current;
        if (el) el.dataset.ready = 'true';
      });
    }
    const el = containerRef.current;
    if (el) {
      el.dataset.layoutRuns = String(hook.layoutRuns);
      el.dataset.updates = String(hook.updates);
    }
  }, [live, data, viewKey]);

  // Re-applied after each refresh: a removed and re-added node loses its selection.
  // biome-ignore lint/correctness/useExhaustiveDependencies: data is the trigger, not an input.
  useEffect(() => {
    if (!live) return;
    live.cy.batch(() => {
      live.cy.elements(':selected').unselect();
      if (selectedId) live.cy.getElementById(selectedId).select();
    });
  }, [live, selectedId, data]);

  return (
    <div className={styles.graphFrame}>
      <div
        ref={containerRef}
        className={styles.graph}
        data-testid="topology-graph"
        data-ready="false"
        role="img"
        aria-label={`Service graph: ${data.summary.apps} apps, ${data.summary.workloads} workloads, ${data.summary.edges} edges`}
      />
      <canvas ref={overlayRef} className={styles.overlay} />
      <div className={styles.graphTools}>
        <button
          type="button"
          className="button"
          data-testid="graph-zoom-in"
          aria-label="Zoom in"
          disabled={!live}
          onClick={() => live && zoomBy(live.cy, ZOOM_STEP)}
        >
          +
        </button>
        <button
          type="button"
          className="button"
          data-testid="graph-zoom-out"
          aria-label="Zoom out"
          disabled={!live}
          onClick={() => live && zoomBy(live.cy, 1 / ZOOM_STEP)}
        >
          −
        </button>
        <button
          type="button"
          className="button"
          data-testid="graph-fit"
          disabled={!live}
          onClick={() => live && fit(live.cy)}
        >
          Fit
        </button>
        <button
          type="button"
          className="button"
          data-testid="graph-relayout"
          disabled={!live}
          title="Forget the remembered positions and lay the graph out again"
          onClick={() => {
            if (!live) return;
            clearPositions();
            positionsRef.current = new Map();
            runLayout(live);
          }}
        >
          Lay out again
        </button>
      </div>
    </div>
  );
}

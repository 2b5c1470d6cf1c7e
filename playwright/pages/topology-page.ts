import { expect, type Locator, type Page } from '@playwright/test';

/** What window.__trellisTopology answers (apps/console/src/features/topology/components/test-hook.ts). */
export interface HookNode {
  id: string;
  kind: string;
  parent: string | null;
  label: string;
  health: string;
  borderColor: string;
  backgroundColor: string;
  position: { x: number; y: number };
  client: { x: number; y: number };
  visible: boolean;
}

export interface HookEdge {
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

export interface HookStats {
  layoutRuns: number;
  lastLayoutMs: number | null;
  updates: number;
  firstRenderMs: number | null;
  zoom: number;
}

interface HookWindow {
  __trellisTopology?: {
    layoutRuns: number;
    lastLayoutMs: number | null;
    updates: number;
    firstRenderMs: number | null;
    zoom(): number;
    nodes(): HookNode[];
    edges(): HookEdge[];
  };
}

/** The topology page (/topology): its controls by data-testid, the canvas through the test hook. */
export class TopologyPage {
  readonly heading: Locator;
  readonly graph: Locator;
  readonly loading: Locator;
  readonly empty: Locator;
  readonly error: Locator;
  readonly errorCode: Locator;
  readonly staleBanner: Locator;
  readonly namespaceFilter: Locator;
  readonly windowFilter: Locator;
  readonly summary: Locator;
  readonly panel: Locator;
  readonly legend: Locator;
  readonly zoomIn: Locator;
  readonly zoomOut: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Topology' });
    this.graph = page.getByTestId('topology-graph');
    this.loading = page.getByTestId('state-loading');
    this.empty = page.getByTestId('state-empty');
    this.error = page.getByTestId('state-error');
    this.errorCode = page.getByTestId('state-error').getByTestId('error-code');
    this.staleBanner = page.getByTestId('stale-banner');
    this.namespaceFilter = page.getByTestId('namespace-filter');
    this.windowFilter = page.getByTestId('window-filter');
    this.summary = page.getByTestId('topology-summary');
    this.panel = page.getByTestId('node-panel');
    this.legend = page.getByTestId('topology-legend');
    this.zoomIn = page.getByTestId('graph-zoom-in');
    this.zoomOut = page.getByTestId('graph-zoom-out');
  }

  async goto(baseUrl: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}/topology${query}`);
  }

  /** The graph has drawn its first data (layout done or positions restored). */
  async waitForGraph(timeout = 30_000): Promise<void> {
    await expect(this.graph).toHaveAttribute('data-ready', 'true', { timeout });
  }

  nodes(): Promise<HookNode[]> {
    return this.page.evaluate(() => (globalThis as unknown as HookWindow).__trellisTopology?.nodes() ?? []);
  }

  edges(): Promise<HookEdge[]> {
    return this.page.evaluate(() => (globalThis as unknown as HookWindow).__trellisTopology?.edges() ?? []);
  }

  stats(): Promise<HookStats> {
    return this.page.evaluate(() => {
      const h = (globalThis as unknown as HookWindow).__trellisTopology;
      if (!h) throw new Error('window.__trellisTopology is not set');
      return {
        layoutRuns: h.layoutRuns,
        lastLayoutMs: h.lastLayoutMs,
        updates: h.updates,
        firstRenderMs: h.firstRenderMs,
        zoom: h.zoom(),
      };
    });
  }

  async node(id: string): Promise<HookNode> {
    const n = (await this.nodes()).find((x) => x.id === id);
    if (!n) throw new Error(`no node ${id} in the graph`);
    return n;
  }

  async edge(source: string, target: string): Promise<HookEdge> {
    const e = (await this.edges()).find((x) => x.source === source && x.target === target);
    if (!e) throw new Error(`no edge ${source} -> ${target} in the graph`);
    return e;
  }

  /** Model positions of the leaf nodes (boxes follow their children). */
  async positions(): Promise<Record<string, { x: number; y: number }>> {
    const out: Record<string, { x: number; y: number }> = {};
    for (const n of await this.nodes()) if (n.kind !== 'app') out[n.id] = n.position;
    return out;
  }

  /** Clicks the node where it is drawn on the canvas, as a user would. */
  async clickNode(id: string): Promise<void> {
    const n = await this.node(id);
    await this.page.mouse.click(n.client.x, n.client.y);
  }

  panelValue(name: 'rps' | 'errors' | 'p50' | 'p95' | 'p99' | 'outbound'): Locator {
    return this.panel.getByTestId(`panel-${name}`);
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}

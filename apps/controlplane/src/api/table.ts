/**
 * Server-side printing: the meta.k8s.io Table kubectl asks for on `kubectl get`. Columns match
 * Istio's CRD additionalPrinterColumns (so output looks as on a cluster with Istio installed),
 * arrays print as JSON the way JSONPath columns do, and AGE is a human duration like kubectl's.
 */
import type { MeshKind, MeshResource } from '@trellis/shared';

export interface TableColumn {
  name: string;
  type: 'string' | 'date' | 'integer';
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number | null;

interface KindColumns {
  columns: TableColumn[];
  cells(r: MeshResource): Cell[];
}

function specField(r: MeshResource, ...path: string[]): unknown {
  let cur: unknown = r.spec;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** A JSONPath printer column's rendering: strings bare, anything else as JSON, absent as empty. */
function jsonPathCell(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  return JSON.stringify(v);
}

const NAME: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};
const AGE: TableColumn = {
  name: 'Age',
  type: 'date',
  format: '',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
};

function col(name: string, description: string): TableColumn {
  return { name, type: 'string', format: '', description, priority: 0 };
}

const COLUMNS: Record<MeshKind, KindColumns> = {
  VirtualService: {
    columns: [
      col('Gateways', 'The names of gateways and sidecars that should apply these routes'),
      col('Hosts', 'The destination hosts to which traffic is being sent'),
    ],
    cells: (r) => [jsonPathCell(specField(r, 'gateways')), jsonPathCell(specField(r, 'hosts'))],
  },
  DestinationRule: {
    columns: [col('Host', 'The name of a service from the service registry')],
    cells: (r) => [jsonPathCell(specField(r, 'host'))],
  },
  PeerAuthentication: {
    columns: [col('Mode', 'Defines the mTLS mode used for peer authentication.')],
    cells: (r) => [jsonPathCell(specField(r, 'mtls', 'mode'))],
  },
  AuthorizationPolicy: {
    columns: [col('Action', 'The action to take if the request is matched with the rules.')],
    cells: (r) => [jsonPathCell(specField(r, 'action'))],
  },
};

/**
 * k8s.io/apimachinery/pkg/util/duration.HumanDuration: "45s", "3m20s", "12m", "5h30m", "3d4h",
 * "2y10d". Precision drops as the age grows, as kubectl's AGE column does.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function partialObjectMetadata(r: { metadata: object }, version: string) {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: r.metadata };
}

export interface TableOptions {
  version: 'v1' | 'v1beta1';
  includeObject: IncludeObject;
  /** Leave column definitions out (watch events after the first, as the API server does). */
  noHeaders?: boolean;
  resourceVersion?: string;
  continueToken?: string;
  now?: number;
}

/** A Table of mesh objects; `objects` are already at the client's apiVersion. */
export function tableOf(kind: MeshKind, objects: readonly MeshResource[], options: TableOptions) {
  const spec = COLUMNS[kind];
  const now = options.now ?? Date.now();
  return genericTable([NAME, ...spec.columns, AGE], objects, options, (r) => [
    r.metadata.name,
    ...spec.cells(r),
    age(r.metadata.creationTimestamp, now),
  ]);
}

export function genericTable<T extends { metadata: { creationTimestamp?: string } }>(
  columns: TableColumn[],
  objects: readonly T[],
  options: TableOptions,
  cells: (o: T) => Cell[],
) {
  const metadata: Record<string, string> = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken) metadata.continue = options.continueToken;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata,
    columnDefinitions: options.noHeaders ? [] : columns,
    rows: objects.map((o) => {
      const row: { cells: Cell[]; object?: unknown } = { cells: cells(o) };
      if (options.includeObject === 'Object') row.object = o;
      else if (options.includeObject === 'Metadata') row.object = partialObjectMetadata(o, options.version);
      return row;
    }),
  };
}

export { AGE as AGE_COLUMN, age as ageOf, NAME as NAME_COLUMN };

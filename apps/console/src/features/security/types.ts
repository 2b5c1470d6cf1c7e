/** The mTLS page's wire types (GET/PUT /api/security/NS). */

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';
/** Where the effective mode comes from, in Istio's order of precedence. */
export type ModeSource = 'namespace' | 'mesh' | 'default';

export interface PolicyRef {
  name: string;
  namespace: string;
  resourceVersion: string;
  /** The policy's own mode; UNSET inherits from the next level. */
  mode: string;
}

export interface PlaintextClient {
  /** Graph node id of the source ("workload:NS/NAME" or "unknown"). */
  sourceId: string;
  /** "NS/workload", or "unknown" for traffic from outside the mesh. */
  source: string;
  /** true when the source is not a meshed workload (it cannot do mTLS at all). */
  unmeshed: boolean;
  /** Workload in this namespace it sends to. */
  target: string;
  destinationService: string;
  /** Requests (tcp: bytes) per second on the edge. */
  rps: number;
  /** Share sent without mTLS, 0–1; null when the proxies did not say (the client may break). */
  plaintextShare: number | null;
}

export interface SecurityView {
  namespace: string;
  rootNamespace: string;
  effective: { mode: MtlsMode; source: ModeSource };
  /** The namespace-wide policy (no selector), the one the switch writes; null when there is none. */
  namespacePolicy: PolicyRef | null;
  meshPolicy: PolicyRef | null;
  /** Workload-level policies in the namespace: they override the switch for the workloads they select. */
  workloadPolicies: PolicyRef[];
  windowSeconds: number;
  /** null when telemetry answered; else why the preview is unknown. */
  telemetryError: string | null;
  /** Clients that still send plaintext into this namespace's workloads: they break under STRICT. */
  plaintextClients: PlaintextClient[];
  generatedAtMs: number;
}

/** PUT /api/security/NS: set the namespace-wide mode, against the version the page loaded. */
export interface SetModeRequest {
  mode: 'STRICT' | 'PERMISSIVE';
  /** The namespace policy's resourceVersion as loaded; null when there was none (then it is created). */
  resourceVersion: string | null;
  /** The namespace policy's name as loaded; default when there was none. */
  name?: string;
}

export interface SetModeResponse {
  name: string;
  namespace: string;
  mode: string;
  resourceVersion: string;
}

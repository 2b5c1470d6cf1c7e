/**
 * Per-request state the layers share (one object per request; tower would thread this through
 * request extensions). Fields are filled as the call moves inward: route, cluster, endpoint.
 */
import type {
  ClusterRuntime,
  CompiledRoute,
  CompiledVirtualHost,
  Destination,
  EndpointRuntime,
  ForwardAction,
  RuntimeConfig,
} from '../config/compile';
import type { PeerInfo, ResponseFlag } from '../telemetry/record';
import type { RequestTrace } from '../telemetry/tracing';
import type { UpstreamResponse } from '../upstream/outcome';
import type { Exchange } from './exchange';
import { type CompiledHeaderOps, NO_OPS } from './headers';
import type { CompletionObserver } from './respond';

export class Call {
  /** The config this request started with; a swap mid-request does not affect it. */
  readonly config: RuntimeConfig;
  readonly ex: Exchange;
  readonly startMs: number;
  readonly startTime: number;

  vhost: CompiledVirtualHost | null = null;
  route: CompiledRoute | null = null;
  action: ForwardAction | null = null;
  /** Which of the route's matches matched (-1: the route has none). */
  matchIndex = -1;
  destination: Destination | null = null;
  cluster: ClusterRuntime | null = null;
  endpoint: EndpointRuntime | null = null;
  /** The endpoint of the previous try (Istio's previous_hosts retry predicate avoids it). */
  previous: EndpointRuntime | null = null;

  /** Upstream request as rewritten by the layers. */
  path: string;
  authority: string;
  routeOps: CompiledHeaderOps = NO_OPS;
  /** Header added for the peer sidecar (source identity); null: none. */
  sourceHeader: string | null = null;
  /** Built once, reused by retries. */
  upstreamHeaders: string[] | null = null;

  /** Speak HTTP/2 to the upstream (gRPC / HTTP2 cluster, or an HTTP/2 client). */
  upstreamH2 = false;
  attempts = 0;
  flags: ResponseFlag[] | null = null;
  /** The try in flight, so a timeout or a client abort can cancel it. */
  inflight: UpstreamResponse | null = null;
  /** Set when the outcome is no longer wanted (timed out, client gone). */
  cancelled = false;
  /** Source identity (inbound: parsed from the peer's header; outbound: this proxy). */
  source: PeerInfo | null = null;
  mtls = false;
  observer: CompletionObserver | null = null;
  /** Reported to telemetry already (exactly once per request). */
  completed = false;
  /** This request's tracing (null: not traced, trace headers pass through as received). */
  trace: RequestTrace | null = null;
  /** Trace-context headers for the next upstream request, replacing the caller's (null: none). */
  tryHeaders: readonly string[] | null = null;

  constructor(config: RuntimeConfig, ex: Exchange) {
    this.config = config;
    this.ex = ex;
    this.startMs = performance.now();
    this.startTime = Date.now();
    this.path = ex.path;
    this.authority = ex.authority;
  }

  flag(f: ResponseFlag): void {
    if (this.flags === null) this.flags = [f];
    else if (!this.flags.includes(f)) this.flags.push(f);
  }

  /** Response header ops of the route and the chosen destination. */
  get responseOps(): [CompiledHeaderOps, CompiledHeaderOps] {
    return [this.action?.response ?? NO_OPS, this.destination?.response ?? NO_OPS];
  }
}

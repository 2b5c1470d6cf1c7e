import { Counter, Gauge, Registry } from 'prom-client';

/** The config-push metrics (names follow pilot's pilot_xds_* where one exists). */
export class XdsMetrics {
  readonly pushes: Counter;
  readonly dropped: Counter;
  readonly nacks: Counter;
  readonly translateErrors: Counter;
  readonly connected: Gauge;
  readonly rejectedStreams: Counter<'reason'>;
  /** Plain totals for tests and the status API, independent of the Prometheus registry. */
  readonly totals = {
    pushes: 0,
    dropped: 0,
    nacks: 0,
    translateErrors: 0,
    debouncedBuilds: 0,
    /** Streams refused before any config, by reason (node-invalid, XDS_UNAUTHENTICATED, ...). */
    rejectedStreams: {} as Record<string, number>,
  };

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.pushes = new Counter({
      name: 'trellis_xds_pushes_total',
      help: 'ProxyConfig responses sent to proxies.',
      registers,
    });
    this.dropped = new Counter({
      name: 'trellis_xds_push_queue_dropped_total',
      help: 'Configs dropped from a full per-proxy push queue because a newer one superseded them.',
      registers,
    });
    this.nacks = new Counter({
      name: 'trellis_xds_nacks_total',
      help: 'Responses proxies rejected (NACK).',
      registers,
    });
    this.translateErrors = new Counter({
      name: 'trellis_xds_translate_errors_total',
      help: 'translate() failures; the proxy keeps its previous config.',
      registers,
    });
    this.connected = new Gauge({
      name: 'trellis_xds_connected_proxies',
      help: 'Open ConfigDiscovery streams.',
      registers,
    });
    this.rejectedStreams = new Counter({
      name: 'trellis_xds_rejected_streams_total',
      help: 'ConfigDiscovery streams refused before any config was sent (bad node, missing or wrong credential).',
      labelNames: ['reason'],
      registers,
    });
  }

  streamRejected(reason: string): void {
    this.rejectedStreams.inc({ reason });
    this.totals.rejectedStreams[reason] = (this.totals.rejectedStreams[reason] ?? 0) + 1;
  }
}

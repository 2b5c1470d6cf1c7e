/**
 * The one mutable reference to the running config. applyConfig parses, compiles and swaps in one
 * synchronous step: a request reads `current` once when it starts and keeps that table, so
 * requests in flight finish on the config they began with, and a config that fails to parse or
 * compile leaves the old one serving (the xDS client NACKs with the returned error).
 */
import { ClusterStates } from '../cluster/state';
import { scheduleSweeps } from '../layers/outlier';
import { compileConfig, type RuntimeConfig } from './compile';
import { type ConfigError, describeConfigError, parseProxyConfig } from './parse';

export type ApplyResult = { ok: true } | { ok: false; error: string; cause: ConfigError };

export class ConfigStore {
  current: RuntimeConfig | null = null;
  readonly states = new ClusterStates();
  applied = 0;
  /** True once a pushed (or static) config was applied; a bootstrap config does not count. */
  ready = false;
  rejected = 0;
  lastError: string | null = null;
  private live = new Map<string, Set<string>>();
  private readonly listeners: ((c: RuntimeConfig) => void)[] = [];

  constructor(private readonly namespace: string) {}

  /** Called for every config applied (after the swap). */
  onApplied(fn: (c: RuntimeConfig) => void): void {
    this.listeners.push(fn);
  }

  readonly applyConfig = (json: unknown): ApplyResult => {
    const parsed = parseProxyConfig(json);
    if (!parsed.ok) return this.reject(parsed.error);
    const compiled = compileConfig(parsed.config, { states: this.states, namespace: this.namespace });
    if (!compiled.ok) {
      // Compilation may have created state for clusters the rejected config named: drop it.
      this.states.retain(this.live);
      return this.reject(compiled.error);
    }
    this.current = compiled.config;
    this.live = compiled.live;
    this.states.retain(compiled.live);
    const cfg = compiled.config;
    scheduleSweeps([...cfg.clusters.values()], (name) => this.current?.clusters.get(name));
    this.applied++;
    this.ready = true;
    this.lastError = null;
    for (const l of this.listeners) l(cfg);
    return { ok: true };
  };

  /**
   * Before the first push: a config with no outbound routes whose inbound side forwards to the
   * app, so peers reach the app while the control plane is away. Does not make the proxy ready.
   */
  bootstrap(appHost: string, appPort: number): void {
    if (this.current !== null) return;
    const r = compileConfig(
      {
        version: '',
        outbound: { virtualHosts: [], clusters: [] },
        inbound: { appHost, appPort, mtls: { mode: 'PERMISSIVE', portLevel: {} }, authorization: [] },
        telemetry: { accessLog: false, tracing: { samplingPercent: 0 } },
      },
      { states: this.states, namespace: this.namespace },
    );
    if (r.ok) {
      this.current = r.config;
      this.live = r.live;
    }
  }

  private reject(cause: ConfigError): ApplyResult {
    this.rejected++;
    const error = describeConfigError(cause);
    this.lastError = error;
    return { ok: false, error, cause };
  }

  close(): Promise<void> {
    this.current = null;
    return this.states.close();
  }
}

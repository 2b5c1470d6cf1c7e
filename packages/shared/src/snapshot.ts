import type { OtlpProtocol } from './proxy-config';
import type { ServiceRegistry } from './registry';
import type { MeshResource } from './resource';

export interface MeshSettings {
  rootNamespace: string;
  trustDomain: string;
  accessLog: boolean;
  tracing: { samplingPercent: number; otlpEndpoint?: string; otlpProtocol?: OtlpProtocol };
}

/**
 * A consistent view of the mesh: every valid stored resource plus the registry. The input of
 * translate() and analyze(); immutable once built.
 */
export interface MeshSnapshot {
  version: string;
  resources: readonly MeshResource[];
  registry: ServiceRegistry;
  settings: MeshSettings;
}

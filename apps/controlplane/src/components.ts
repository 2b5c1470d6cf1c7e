/**
 * The components `trellis controlplane` starts besides the resource API (see ControlPlaneComponent
 * in ./server). Add yours to this list: the order is start order, shutdown runs in reverse.
 */
import { caService } from './ca/component';
import { proxyAdminComponent } from './proxy-admin';
import type { ControlPlaneComponent } from './server';
import { telemetryComponent } from './telemetry/component';
import { configPushComponent } from './xds/component';

/**
 * The CA: Certificates.Sign on --grpc-port. First start writes DIR/ca/root-key.pem (0600),
 * DIR/ca/root-cert.pem and DIR/join-token (0600); settings from TRELLIS_CA_* (docs/security.md).
 */
export const CERTIFICATES = caService();

/**
 * Config push: the gRPC server on --grpc-port, the embedded registry and GET /api/v1/mesh/proxies.
 * Other components read the connected proxies from it (CONFIG_PUSH.connectedProxies()); other gRPC
 * services join its server through configPushComponent({ grpcServices }).
 */
export const CONFIG_PUSH = configPushComponent({ grpcServices: [(ctx) => CERTIFICATES.provider(ctx)] });

/**
 * Telemetry: scrapes the connected proxies (or queries TRELLIS_PROMETHEUS_URL), stores traces
 * from POST /v1/traces, serves the console's /api/v1/mesh/{graph,services,traces} and Prometheus
 * service discovery (docs/telemetry.md).
 */
export const TELEMETRY = telemetryComponent({ proxies: () => CONFIG_PUSH.connectedProxies() });

/**
 * The sidecars' own state for the console, read from their admin listeners (admin_address):
 * which callers ejected which endpoint, which certificate each sidecar holds (docs/api.md).
 */
export const PROXY_ADMIN = proxyAdminComponent({
  proxies: () => CONFIG_PUSH.push?.proxies() ?? [],
  connected: () => CONFIG_PUSH.connectedProxies(),
});

export const DEFAULT_COMPONENTS: ControlPlaneComponent[] = [CONFIG_PUSH, TELEMETRY, PROXY_ADMIN];

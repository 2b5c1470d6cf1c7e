/**
 * Source identity without mTLS: the outbound side tells the destination sidecar who is calling
 * (x-trellis-source: workload,namespace,version,app); the inbound side reads it for
 * destination-reported telemetry and strips it before the app sees it. The client's own copy of
 * the header is always dropped on the way out (layers/upstream.ts), so an app cannot spoof it.
 * Once mTLS is on, the peer certificate is the source of truth for the principal.
 */

import { rawHeader, SOURCE_HEADER } from '../http/headers';
import type { PeerInfo } from '../telemetry/record';
import type { Layer } from './types';

export const UNKNOWN_PEER: PeerInfo = {
  workload: 'unknown',
  namespace: 'unknown',
  principal: 'unknown',
  version: 'unknown',
  app: 'unknown',
};

export function encodeSource(p: PeerInfo): string {
  return [p.workload, p.namespace, p.version, p.app].map(encodeURIComponent).join(',');
}

export function decodeSource(v: string | undefined): PeerInfo {
  if (!v) return UNKNOWN_PEER;
  const parts = v.split(',');
  if (parts.length !== 4) return UNKNOWN_PEER;
  const [workload, namespace, version, app] = parts.map((p) => {
    try {
      return decodeURIComponent(p.trim()) || 'unknown';
    } catch {
      return 'unknown';
    }
  });
  return { workload: workload!, namespace: namespace!, principal: 'unknown', version: version!, app: app! };
}

/** Outbound: stamp this workload's identity on every upstream request. */
export function sourceIdentityLayer(self: PeerInfo): Layer {
  const value = encodeSource(self);
  return (next) => (call) => {
    call.sourceHeader = value;
    call.source = self;
    return next(call);
  };
}

/**
 * Inbound: who called, from the peer's header (the header itself never reaches the app). Over
 * mTLS the principal and namespace come from the verified certificate (the listener put the
 * principal on the call) and override whatever the header says; workload, version and app stay
 * the header's, as labels for telemetry only, never for policy.
 */
export const peerIdentityLayer: Layer = (next) => (call) => {
  const header = rawHeader(call.ex.rawHeaders, SOURCE_HEADER);
  if (call.source === null) call.source = decodeSource(header);
  else if (call.mtls) call.source = verifiedSource(decodeSource(header), call.source.principal);
  return next(call);
};

/** The header's labels with the certificate's identity: spiffe://TD/ns/NS/sa/SA gives NS. */
export function verifiedSource(labels: PeerInfo, spiffeId: string): PeerInfo {
  const at = spiffeId.indexOf('/ns/');
  const end = at < 0 ? -1 : spiffeId.indexOf('/', at + 4);
  return {
    workload: labels.workload,
    namespace: end < 0 ? 'unknown' : spiffeId.slice(at + 4, end),
    principal: spiffeId,
    version: labels.version,
    app: labels.app,
  };
}

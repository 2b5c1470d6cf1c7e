import type { PeerAuthenticationSpec } from '../resources';
import type { Findings, Path } from './causes';
import { checkWorkloadSelector } from './rules';

/**
 * Istio's ValidatePeerAuthentication. An unknown mode is caught by the schema (enum), so it
 * reaches the client as FieldValueNotSupported with the supported values listed.
 */
export function checkPeerAuthentication(f: Findings, spec: PeerAuthenticationSpec): void {
  const s: Path = ['spec'];
  const emptySelector = Object.keys(spec.selector?.matchLabels ?? {}).length === 0;
  const ports = spec.portLevelMtls;
  if (ports !== undefined) {
    if (emptySelector && Object.keys(ports).length > 0) {
      f.invalid(
        [...s, 'portLevelMtls'],
        'mesh/namespace peer authentication cannot have port level mTLS: set a selector',
      );
    }
    if (Object.keys(ports).length === 0) {
      f.required([...s, 'portLevelMtls'], 'port level mTLS, if defined, must have at least one element');
    }
    for (const port of Object.keys(ports)) {
      const n = Number(port);
      if (!/^\d+$/.test(port) || n < 1 || n > 65535) {
        f.invalid([...s, 'portLevelMtls', port], 'port must be in range 1..65535');
      }
    }
  }
  checkWorkloadSelector(f, [...s, 'selector'], spec.selector);
}

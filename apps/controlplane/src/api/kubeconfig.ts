/**
 * DIR/kubeconfig: lets kubectl and @kubernetes/client-node talk to this control plane with
 * `KUBECONFIG=DIR/kubeconfig kubectl get vs`. No credentials: the embedded API listens on
 * loopback and has no authentication yet.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const KUBECONFIG_FILE = 'kubeconfig';
export const CONTEXT_NAME = 'trellis';

export function kubeconfigFor(server: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    // @kubernetes/client-node 1.x refuses plain http:// unless the cluster says
    // insecure-skip-tls-verify; there is no TLS to verify, and kubectl ignores it for http.
    clusters: [
      {
        name: CONTEXT_NAME,
        cluster: server.startsWith('http:') ? { server, 'insecure-skip-tls-verify': true } : { server },
      },
    ],
    users: [{ name: CONTEXT_NAME, user: {} }],
    contexts: [
      { name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace: 'default' } },
    ],
    'current-context': CONTEXT_NAME,
  });
}

/** Written atomically (temp file, then rename) so a reader never sees half a file. */
export function writeKubeconfig(dataDir: string, server: string): string {
  const path = join(dataDir, KUBECONFIG_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, kubeconfigFor(server), { mode: 0o600 });
  renameSync(tmp, path);
  return path;
}

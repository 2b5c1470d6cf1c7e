import type { Metadata } from 'next';
import { ComingSoon } from '@/components/coming-soon';

export const metadata: Metadata = { title: 'Proxies' };

export default function Page() {
  return (
    <ComingSoon
      title="Proxies"
      summary="Every connected sidecar and the config the control plane pushed to it, like istioctl proxy-status."
      points={[
        'Sync state per proxy: SYNCED, STALE (sent, not ACKed) or NACKED with the error it returned',
        'Config version, last push and certificate expiry',
        'The config dump of one proxy: listeners, routes and clusters',
      ]}
    />
  );
}

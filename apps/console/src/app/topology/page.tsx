import type { Metadata } from 'next';
import { ComingSoon } from '@/components/coming-soon';

export const metadata: Metadata = { title: 'Topology' };

export default function Page() {
  return (
    <ComingSoon
      title="Topology"
      summary="The live service graph of the mesh, built from the proxies' request metrics."
      points={[
        'Workloads grouped by app, one box per version, coloured by health',
        'Edges with requests/s, error %, p99 latency and an mTLS lock',
        'Traffic from outside the mesh and destinations that never answered',
        'Click a service for its golden metrics per version and the config applied to it',
      ]}
    />
  );
}

import type { Metadata } from 'next';
import { ComingSoon } from '@/components/coming-soon';

export const metadata: Metadata = { title: 'Traces' };

export default function Page() {
  return (
    <ComingSoon
      title="Traces"
      summary="Distributed traces the sidecars export over OTLP, stored by the control plane."
      points={[
        'Search by service, operation, minimum duration and errors',
        'A waterfall per trace: server and client spans of every hop, retries and faults marked',
        'Links from a slow edge in the topology to its slowest traces',
      ]}
    />
  );
}

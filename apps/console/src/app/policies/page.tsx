import type { Metadata } from 'next';
import { ComingSoon } from '@/components/coming-soon';

export const metadata: Metadata = { title: 'Policies' };

export default function Page() {
  return (
    <ComingSoon
      title="Policies"
      summary="The mesh's Istio resources: VirtualService, DestinationRule, PeerAuthentication, AuthorizationPolicy."
      points={[
        'A policy studio: YAML with schema checks, a diff, a dry run, apply, history and revert',
        'A canary slider that writes route weights and shows the set versus the observed split',
        'An mTLS switch with a preview of which clients still send plaintext',
        'Analyzer warnings, as istioctl analyze reports them',
      ]}
    />
  );
}

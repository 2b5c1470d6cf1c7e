'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { WriteErrorBanner } from '@/components/write-error';
import { useCanWrite } from '@/features/auth/api/get-me';
import { useCreateShift } from '../api/create-shift';
import { useCanary, useCandidates } from '../api/get-canary';
import type { CanaryCandidate, CanaryView } from '../types';
import { CreateShift } from './create-shift';
import { VsPanel } from './vs-panel';
import './canary.css';

/**
 * /canary?namespace=NS&service=NAME; without a service, the services that have a split to move or
 * a canary to start.
 */
export function CanaryPage() {
  const params = useSearchParams();
  const namespace = params.get('namespace');
  const service = params.get('service');
  return (
    <section className="page">
      <header className="page-header">
        <div>
          <h1>Canary{service ? `: ${service}` : ''}</h1>
          <p className="page-lead">
            Drag the weights of a VirtualService's split routes, or add a version (a DestinationRule subset)
            to a single-destination route to start a canary; for a service no VirtualService routes yet,
            create one splitting between its versions. The observed split is the share of requests each
            version received over the last minute.
          </p>
        </div>
      </header>
      {namespace && service ? <ServiceSplits namespace={namespace} service={service} /> : <Candidates />}
    </section>
  );
}

function ServiceSplits({ namespace, service }: { namespace: string; service: string }) {
  const query = useCanary(namespace, service);
  const canWrite = useCanWrite();
  // Held here, not in the form: after a 409 the refetch swaps the form for the editor of the
  // VirtualService someone else created, and the refusal must stay in view.
  const create = useCreateShift(namespace, service);
  if (query.isPending) return <LoadingState label="Loading the service's routes…" />;
  if (query.isError && !query.data)
    return (
      <ErrorState title="Cannot load the routes" error={query.error} onRetry={() => void query.refetch()} />
    );
  const view = query.data!;
  return (
    <>
      <p className="meta-note" data-testid="canary-service">
        <code>{view.hostname}</code> · namespace {view.namespace}
      </p>
      {view.telemetryError ? (
        <div className="banner banner-warn" role="status" data-testid="telemetry-banner">
          Observed split unavailable: telemetry did not answer ({view.telemetryError}).
        </div>
      ) : null}
      {create.isError ? (
        <WriteErrorBanner
          error={create.error}
          onReload={() => {
            create.reset();
            void query.refetch();
          }}
        />
      ) : null}
      {create.isSuccess ? (
        <div className="banner banner-ok" role="status" data-testid="create-shift-ok">
          Created VirtualService {create.data.virtualService} ({create.data.weights.join(' / ')}) with the{' '}
          {create.data.destinationRule.created ? 'new' : 'existing'} DestinationRule{' '}
          {create.data.destinationRule.namespace}/{create.data.destinationRule.name}. Proxies receive it on
          the next push.
        </div>
      ) : null}
      {view.virtualServices.length === 0 && view.shift && view.shift.versions.length > 0 ? (
        <CreateShift
          service={service}
          offer={view.shift}
          canWrite={canWrite}
          pending={create.isPending}
          onCreate={(weights) =>
            create.mutate({ versions: view.shift?.versions.map((v) => v.version) ?? [], weights })
          }
        />
      ) : view.virtualServices.every((v) => v.routes.length === 0) ? (
        <EmptyState title="No split to move">
          <p>
            No VirtualService in <code>{namespace}</code> splits <code>{service}</code> between destinations,
            and none routes it to a subset whose DestinationRule defines another version to add. Apply a
            DestinationRule with subsets (e.g. v1 and v2) and a VirtualService routing to one of them.
          </p>
          <NoVersionsNote view={view} />
        </EmptyState>
      ) : (
        view.virtualServices
          .filter((v) => v.routes.length > 0)
          .map((v) => (
            <VsPanel key={v.name} namespace={namespace} service={service} vs={v} canWrite={canWrite} />
          ))
      )}
    </>
  );
}

/** Why "Create traffic shifting" is not offered when no VirtualService routes the service. */
function NoVersionsNote({ view }: { view: CanaryView }) {
  if (view.virtualServices.length > 0 || !view.shift) return null;
  return (
    <p data-testid="no-versions">
      {view.shift.versionsError
        ? `The versions of ${view.service} are unknown: the proxy list did not answer (${view.shift.versionsError}).`
        : `No connected proxy serves ${view.service} with a version label, so there is no version to shift traffic between.`}
    </p>
  );
}

function candidateNote(c: CanaryCandidate): string {
  const parts: string[] = [];
  if (c.splitRoutes > 0) parts.push(`${c.splitRoutes} split route${c.splitRoutes === 1 ? '' : 's'}`);
  const start = c.canStart ?? 0;
  if (start > 0) parts.push(`${start} route${start === 1 ? '' : 's'} can start a canary`);
  return parts.join(', ');
}

function canaryHref(namespace: string, service: string): string {
  return `/canary?namespace=${encodeURIComponent(namespace)}&service=${encodeURIComponent(service)}`;
}

function Candidates() {
  const query = useCandidates();
  if (query.isPending) return <LoadingState label="Looking for routes…" />;
  if (query.isError) return <ErrorState title="Cannot list VirtualServices" error={query.error} />;
  const list = query.data.candidates;
  const unrouted = query.data.unrouted ?? [];
  return (
    <>
      {list.length === 0 ? (
        <EmptyState title="No VirtualService splits traffic or can start a canary yet">
          <p>
            Apply a DestinationRule with subsets and a VirtualService routing to one of them (or splitting
            between two), then come back
            {unrouted.length > 0 ? ', or create traffic shifting for a service below' : ''}.
          </p>
        </EmptyState>
      ) : (
        <div className="panel">
          <ul className="candidate-list" data-testid="canary-candidates">
            {list.map((c) => (
              <li key={`${c.namespace}/${c.service}/${c.virtualService}`}>
                <Link href={canaryHref(c.namespace, c.service)}>
                  {c.namespace}/{c.service}
                </Link>{' '}
                <span className="meta-note" data-testid="candidate-note">
                  VirtualService {c.virtualService}, {candidateNote(c)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {unrouted.length > 0 ? (
        <div className="panel candidate-unrouted">
          <h2 className="candidate-heading">Versions without a VirtualService</h2>
          <ul className="candidate-list" data-testid="canary-unrouted">
            {unrouted.map((u) => (
              <li key={`${u.namespace}/${u.service}`}>
                <Link href={canaryHref(u.namespace, u.service)}>
                  {u.namespace}/{u.service}
                </Link>{' '}
                <span className="meta-note" data-testid="unrouted-note">
                  versions {u.versions.join(', ')}: create traffic shifting
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { ErrorState, LoadingState } from '@/components/states';
import { WriteErrorBanner } from '@/components/write-error';
import { useCanWrite } from '@/features/auth/api/get-me';
import { useSecurity, useSetMode } from '../api/get-security';
import type { ModeSource, SecurityView } from '../types';
import { PlaintextTable } from './plaintext-table';
import './security.css';

const SOURCE_TEXT: Record<ModeSource, string> = {
  namespace: 'set by this namespace’s PeerAuthentication',
  mesh: 'inherited from the mesh-wide PeerAuthentication',
  default: 'no PeerAuthentication applies: Istio’s default',
};

/** /security?namespace=NS (default: default). */
export function SecurityPage() {
  const params = useSearchParams();
  const namespace = params.get('namespace') || 'default';
  return (
    <section className="page">
      <header className="page-header">
        <div>
          <h1>mTLS: {namespace}</h1>
          <p className="page-lead">
            The namespace’s PeerAuthentication mode. STRICT refuses plaintext: before switching, see which
            clients still send it.
          </p>
        </div>
        <NamespacePicker namespace={namespace} />
      </header>
      <SecurityBody namespace={namespace} />
    </section>
  );
}

function NamespacePicker({ namespace }: { namespace: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const [value, setValue] = useState(namespace);
  const go = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) router.replace(`${pathname}?namespace=${encodeURIComponent(value.trim())}`);
  };
  return (
    <form className="ns-picker" onSubmit={go}>
      <label>
        Namespace{' '}
        <input
          className="ns-input"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          data-testid="namespace"
        />
      </label>
      <button type="submit" className="button">
        Show
      </button>
    </form>
  );
}

function SecurityBody({ namespace }: { namespace: string }) {
  const query = useSecurity(namespace);
  // Here, not in ModeSwitch: the switch remounts on each new version, the outcome must stay.
  const setMode = useSetMode(namespace);
  if (query.isPending) return <LoadingState label="Loading the namespace’s mTLS policy…" />;
  if (query.isError && !query.data)
    return (
      <ErrorState title="Cannot load mTLS policy" error={query.error} onRetry={() => void query.refetch()} />
    );
  // Keyed by the loaded version: a new version resets a half-made choice.
  return (
    <>
      {setMode.isError ? (
        <WriteErrorBanner error={setMode.error} onReload={() => window.location.reload()} />
      ) : null}
      {setMode.isSuccess ? (
        <div className="banner banner-ok" role="status" data-testid="apply-ok">
          Stored PeerAuthentication {setMode.data.namespace}/{setMode.data.name} with mode {setMode.data.mode}{' '}
          (resourceVersion {setMode.data.resourceVersion}).
        </div>
      ) : null}
      <ModeSwitch
        key={query.data.namespacePolicy?.resourceVersion ?? 'none'}
        view={query.data}
        setMode={setMode}
      />
    </>
  );
}

function ModeSwitch({ view, setMode }: { view: SecurityView; setMode: ReturnType<typeof useSetMode> }) {
  const canWrite = useCanWrite();
  // The version this choice was made against: a change meanwhile comes back as 409.
  const [loaded] = useState(() => view.namespacePolicy);
  const [confirming, setConfirming] = useState(false);
  const strict = view.effective.mode === 'STRICT';
  const target = strict ? 'PERMISSIVE' : 'STRICT';

  const applyMode = (mode: 'STRICT' | 'PERMISSIVE') =>
    setMode.mutate(
      { mode, resourceVersion: loaded?.resourceVersion ?? null, name: loaded?.name ?? 'default' },
      { onSuccess: () => setConfirming(false) },
    );

  return (
    <>
      <div className="panel mtls-status">
        <div>
          <div className="mtls-label">Effective mode</div>
          <span
            className={`badge ${strict ? 'badge-ok' : 'badge-warn'} mtls-mode`}
            data-testid="effective-mode"
          >
            {view.effective.mode}
          </span>
          <span className="meta-note" data-testid="mode-source">
            {SOURCE_TEXT[view.effective.source]}
          </span>
        </div>
        <dl className="mtls-policies">
          <dt>Namespace policy</dt>
          <dd data-testid="namespace-policy">
            {view.namespacePolicy
              ? `${view.namespacePolicy.name}: ${view.namespacePolicy.mode} (resourceVersion ${view.namespacePolicy.resourceVersion})`
              : 'none'}
          </dd>
          <dt>Mesh-wide ({view.rootNamespace})</dt>
          <dd>{view.meshPolicy ? `${view.meshPolicy.name}: ${view.meshPolicy.mode}` : 'none'}</dd>
          {view.workloadPolicies.length > 0 ? (
            <>
              <dt>Workload policies</dt>
              <dd data-testid="workload-policies">
                {view.workloadPolicies.map((p) => `${p.name}: ${p.mode}`).join(', ')} (these override the
                namespace mode for the workloads they select)
              </dd>
            </>
          ) : null}
        </dl>
        {canWrite ? (
          <div className="mtls-switch">
            <button
              type="button"
              role="switch"
              aria-checked={strict}
              className={`switch ${strict ? 'switch-on' : ''}`}
              onClick={() => (target === 'STRICT' ? setConfirming(true) : applyMode('PERMISSIVE'))}
              disabled={setMode.isPending || confirming}
              data-testid="mtls-switch"
            >
              <span className="switch-knob" />
            </button>
            <span>{strict ? 'STRICT (switch off for PERMISSIVE)' : 'Switch to STRICT'}</span>
          </div>
        ) : (
          <p className="readonly-note" data-testid="readonly-note">
            Read-only: your role is viewer.
          </p>
        )}
      </div>

      {confirming ? (
        <div className="panel mtls-preview" data-testid="strict-preview">
          <h2>Switch {view.namespace} to STRICT?</h2>
          {view.telemetryError ? (
            <div className="banner banner-warn" data-testid="telemetry-banner">
              Telemetry did not answer ({view.telemetryError}): nobody can say which clients would break.
            </div>
          ) : view.plaintextClients.length === 0 ? (
            <p data-testid="no-plaintext">
              No client sent plaintext into {view.namespace} over the last {view.windowSeconds} s. Clients
              that were idle in that window are not known.
            </p>
          ) : (
            <>
              <p className="preview-warn">
                These clients sent requests without mTLS over the last {view.windowSeconds} s; under STRICT
                their requests are refused:
              </p>
              <PlaintextTable clients={view.plaintextClients} />
            </>
          )}
          <div className="write-actions">
            <button
              type="button"
              className="button button-danger"
              onClick={() => applyMode('STRICT')}
              disabled={setMode.isPending}
              data-testid="confirm-strict"
            >
              {setMode.isPending ? 'Applying…' : 'Switch to STRICT'}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => setConfirming(false)}
              data-testid="cancel-strict"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="panel">
          <h2 className="panel-title">
            {strict ? 'Plaintext clients (refused while STRICT)' : 'Plaintext clients now'}
          </h2>
          {view.telemetryError ? (
            <p className="meta-note">Unknown: telemetry did not answer.</p>
          ) : view.plaintextClients.length === 0 ? (
            <p className="meta-note" data-testid="no-plaintext">
              None over the last {view.windowSeconds} s.
            </p>
          ) : (
            <PlaintextTable clients={view.plaintextClients} />
          )}
        </div>
      )}
    </>
  );
}

'use client';

import { useEffect, useState } from 'react';
import { WriteErrorBanner } from '@/components/write-error';
import { formatPercent, formatRps } from '@/lib/format';
import { useApplyWeights } from '../api/apply-weights';
import type { CanaryVirtualService, SplitDestination, SplitRoute } from '../types';
import { checkSplit, setWeight } from '../weights';
import { SPLIT_COLOURS, SplitBar } from './split-bar';

type Weights = Record<number, number[]>;

function weightsOf(vs: CanaryVirtualService): Weights {
  return Object.fromEntries(vs.routes.map((r) => [r.index, r.destinations.map((d) => d.weight)]));
}

function same(a: Weights, b: Weights): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** "70% · 7.00 rps"; only the rate when nothing flowed; "—" when telemetry is unknown. */
function observedText(d: SplitDestination | null): string {
  if (d === null || d.observedRps === null) return '—';
  if (d.observedShare === null) return `${formatRps(d.observedRps)} rps`;
  return `${formatPercent(d.observedShare)} · ${formatRps(d.observedRps)} rps`;
}

const nameOf = (d: SplitDestination) => (d.subset ? `${d.host} / ${d.subset}` : d.host);

/**
 * One VirtualService's split routes. Editing starts from the version the page loaded (`base`);
 * background refreshes update the observed numbers but never move a slider the user is holding,
 * and Apply sends the loaded resourceVersion, so a change made meanwhile comes back as a conflict.
 */
export function VsPanel({
  namespace,
  service,
  vs,
  canWrite,
}: {
  namespace: string;
  service: string;
  vs: CanaryVirtualService;
  canWrite: boolean;
}) {
  const [base, setBase] = useState(vs);
  const [weights, setWeights] = useState<Weights>(() => weightsOf(vs));
  const apply = useApplyWeights(namespace, service);
  const dirty = !same(weights, weightsOf(base));

  // Follow the latest version while the user has nothing unsaved.
  useEffect(() => {
    // resourceVersion is the store's one counter, so a larger one is newer (a refetch still in
    // flight after our own write must not roll the page back).
    if (Number(vs.resourceVersion) > Number(base.resourceVersion) && !dirty && !apply.isError) {
      setBase(vs);
      setWeights(weightsOf(vs));
    }
  }, [vs, base.resourceVersion, dirty, apply.isError]);

  const live = vs.resourceVersion === base.resourceVersion ? vs : base;
  const reload = () => {
    apply.reset();
    setBase(vs);
    setWeights(weightsOf(vs));
  };
  const valid = base.routes.every((r) => checkSplit(weights[r.index] ?? []).ok);

  const submit = () =>
    apply.mutate(
      {
        virtualService: base.name,
        resourceVersion: base.resourceVersion,
        routes: base.routes.map((r) => ({ index: r.index, weights: weights[r.index] ?? [] })),
      },
      {
        onSuccess: (res) => {
          const applied: Weights = Object.fromEntries(res.routes.map((r) => [r.index, r.weights]));
          setBase({
            ...base,
            resourceVersion: res.resourceVersion,
            routes: base.routes.map((r) => ({
              ...r,
              destinations: r.destinations.map((d, i) => ({
                ...d,
                weight: applied[r.index]?.[i] ?? d.weight,
              })),
            })),
          });
          setWeights(applied);
        },
      },
    );

  return (
    <section className="panel canary-vs" data-testid="canary-vs" data-name={base.name}>
      <header className="canary-vs-head">
        <h2>VirtualService {base.name}</h2>
        <span className="meta-note" data-testid="canary-rv">
          resourceVersion {base.resourceVersion}
        </span>
        <span className="meta-note">hosts {base.hosts.join(', ') || '—'}</span>
      </header>
      {base.routes.map((route) => (
        <RouteEditor
          key={route.index}
          route={route}
          observed={live.routes.find((r) => r.index === route.index) ?? route}
          weights={weights[route.index] ?? []}
          canWrite={canWrite && !apply.isPending}
          onChange={(next) => {
            if (apply.isSuccess) apply.reset();
            setWeights({ ...weights, [route.index]: next });
          }}
        />
      ))}
      {apply.isError ? <WriteErrorBanner error={apply.error} onReload={reload} /> : null}
      {apply.isSuccess ? (
        <div className="banner banner-ok" role="status" data-testid="apply-ok">
          Applied as resourceVersion {apply.data.resourceVersion}:{' '}
          {apply.data.routes.map((r) => r.weights.join(' / ')).join('; ')}. Proxies receive it on the next
          push.
        </div>
      ) : null}
      {canWrite ? (
        <div className="write-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={!dirty || !valid || apply.isPending}
            onClick={submit}
            data-testid="apply"
          >
            {apply.isPending ? 'Applying…' : 'Apply'}
          </button>
          <button
            type="button"
            className="button"
            disabled={!dirty || apply.isPending}
            onClick={() => setWeights(weightsOf(base))}
            data-testid="reset"
          >
            Reset
          </button>
          <span className="canary-sum">{dirty ? 'Unsaved changes' : 'No changes'}</span>
        </div>
      ) : (
        <p className="readonly-note" data-testid="readonly-note">
          Read-only: your role is viewer.
        </p>
      )}
    </section>
  );
}

function RouteEditor({
  route,
  observed,
  weights,
  canWrite,
  onChange,
}: {
  route: SplitRoute;
  observed: SplitRoute;
  weights: number[];
  canWrite: boolean;
  onChange: (next: number[]) => void;
}) {
  const names = route.destinations.map(nameOf);
  const obs = observed.destinations.length === route.destinations.length ? observed.destinations : null;
  const hasObserved = obs?.some((d) => d.observedShare !== null) ?? false;
  return (
    <div className="canary-route" data-testid="canary-route" data-index={route.index}>
      <h3>
        Route {route.name ? `"${route.name}"` : `#${route.index + 1}`}
        <span className="meta-note">{route.match ? `when ${route.match}` : 'all other traffic'}</span>
      </h3>
      <table className="split-table">
        <thead>
          <tr>
            <th>Destination</th>
            <th>Version</th>
            <th>{canWrite ? 'Set weight' : ''}</th>
            <th className="num">Set</th>
            <th className="num">Observed</th>
          </tr>
        </thead>
        <tbody>
          {route.destinations.map((d, i) => (
            <tr key={names[i]} data-testid="split-destination" data-subset={d.subset ?? ''}>
              <td>
                <span
                  className="split-swatch"
                  style={{ background: SPLIT_COLOURS[i % SPLIT_COLOURS.length] }}
                  aria-hidden="true"
                />
                {names[i]}
              </td>
              <td>
                <span className="version">{d.version ?? '—'}</span>
              </td>
              <td style={{ width: '40%' }}>
                {canWrite ? (
                  <input
                    type="range"
                    min={0}
                    max={100}
                    step={1}
                    className="split-slider"
                    value={weights[i] ?? 0}
                    onChange={(e) => onChange(setWeight(weights, i, Number(e.target.value)))}
                    aria-label={`Weight of ${names[i]}`}
                    data-testid="weight-slider"
                  />
                ) : null}
              </td>
              <td className="num">
                {canWrite ? (
                  <input
                    type="number"
                    min={0}
                    max={100}
                    step={1}
                    className="split-number"
                    value={weights[i] ?? 0}
                    onChange={(e) => onChange(setWeight(weights, i, Number(e.target.value)))}
                    aria-label={`Weight of ${names[i]} in percent`}
                    data-testid="weight-input"
                  />
                ) : (
                  <span data-testid="weight-value">{weights[i] ?? 0}</span>
                )}{' '}
                %
              </td>
              <td className="num" data-testid="observed">
                {observedText(obs?.[i] ?? null)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <SplitBar label="Set" shares={weights.map((w) => w / 100)} names={names} testId="set-bar" />
      <SplitBar
        label="Observed"
        shares={hasObserved && obs ? obs.map((d) => d.observedShare) : null}
        names={names}
        testId="observed-bar"
      />
    </div>
  );
}

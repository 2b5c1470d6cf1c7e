'use client';

import { useEffect, useState } from 'react';
import { WriteErrorBanner } from '@/components/write-error';
import { formatPercent, formatRps } from '@/lib/format';
import { useApplyWeights } from '../api/apply-weights';
import {
  type Added,
  addVersion,
  appliedRoutes,
  changesOf,
  draftedRows,
  isDirty,
  stillAddable,
  type Weights,
  weightsOf,
} from '../draft';
import type { CanaryVirtualService, SplitDestination, SplitRoute } from '../types';
import { checkSplit, setWeight } from '../weights';
import { PercentInput } from './percent-input';
import { SPLIT_COLOURS, SplitBar } from './split-bar';

/** "70% · 7.00 rps"; only the rate when nothing flowed; "—" when telemetry is unknown. */
function observedText(d: SplitDestination | null): string {
  if (d === null || d.observedRps === null) return '—';
  if (d.observedShare === null) return `${formatRps(d.observedRps)} rps`;
  return `${formatPercent(d.observedShare)} · ${formatRps(d.observedRps)} rps`;
}

const nameOf = (d: SplitDestination) => (d.subset ? `${d.host} / ${d.subset}` : d.host);

/**
 * One VirtualService's split routes, and the single-destination routes a version can be added to.
 * Editing starts from the version the page loaded (`base`); background refreshes update the
 * observed numbers but never move a slider the user is holding, and Apply sends the loaded
 * resourceVersion, so a change made meanwhile comes back as a conflict. Added versions are a draft
 * (at 0 %) until Apply.
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
  const [weights, setWeights] = useState<Weights>(() => weightsOf(vs.routes));
  const [added, setAdded] = useState<Added>({});
  const apply = useApplyWeights(namespace, service);
  const dirty = isDirty(base.routes, weights, added);

  // Follow the latest version while the user has nothing unsaved.
  useEffect(() => {
    // resourceVersion is the store's one counter, so a larger one is newer (a refetch still in
    // flight after our own write must not roll the page back).
    if (Number(vs.resourceVersion) > Number(base.resourceVersion) && !dirty && !apply.isError) {
      setBase(vs);
      setWeights(weightsOf(vs.routes));
      setAdded({});
    }
  }, [vs, base.resourceVersion, dirty, apply.isError]);

  const live = vs.resourceVersion === base.resourceVersion ? vs : base;
  const restart = (from: CanaryVirtualService) => {
    setBase(from);
    setWeights(weightsOf(from.routes));
    setAdded({});
  };
  const reload = () => {
    apply.reset();
    restart(vs);
  };
  const changes = changesOf(base.routes, weights, added);
  const valid = changes.every((r) => checkSplit(r.weights).ok);
  const edited = () => {
    if (apply.isSuccess) apply.reset();
  };

  const submit = () =>
    apply.mutate(
      { virtualService: base.name, resourceVersion: base.resourceVersion, routes: changes },
      {
        onSuccess: (res) => {
          const routes = appliedRoutes(base.routes, added, res.routes);
          setBase({ ...base, resourceVersion: res.resourceVersion, routes });
          setWeights(weightsOf(routes));
          setAdded({});
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
          added={added[route.index] ?? []}
          canWrite={canWrite && !apply.isPending}
          onChange={(next) => {
            edited();
            setWeights({ ...weights, [route.index]: next });
          }}
          onAdd={(subset) => {
            edited();
            const next = addVersion(route, weights, added, subset);
            setWeights(next.weights);
            setAdded(next.added);
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
            disabled={!dirty || !valid || changes.length === 0 || apply.isPending}
            onClick={submit}
            data-testid="apply"
          >
            {apply.isPending ? 'Applying…' : 'Apply'}
          </button>
          <button
            type="button"
            className="button"
            disabled={!dirty || apply.isPending}
            onClick={() => restart(base)}
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
  added,
  canWrite,
  onChange,
  onAdd,
}: {
  route: SplitRoute;
  observed: SplitRoute;
  weights: number[];
  added: string[];
  canWrite: boolean;
  onChange: (next: number[]) => void;
  onAdd: (subset: string) => void;
}) {
  const rows = draftedRows(route, added);
  const names = rows.map(nameOf);
  // Observed numbers from the latest refresh when it still has the loaded destinations; drafted rows
  // take their version's rate (no share: the route's shares are over its stored destinations).
  const liveRows =
    observed.destinations.length === route.destinations.length
      ? [
          ...observed.destinations,
          ...added.map(
            (s) =>
              observed.addableDestinations.find((d) => d.subset === s) ??
              route.addableDestinations.find((d) => d.subset === s) ??
              null,
          ),
        ]
      : null;
  const hasObserved = liveRows?.some((d) => d !== null && d.observedShare !== null) ?? false;
  // One destination alone has nothing to slide against: 100 % until a version is added.
  const slidable = canWrite && rows.length >= 2;
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
            <th>{slidable ? 'Set weight' : ''}</th>
            <th className="num">Set</th>
            <th className="num">Observed</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d, i) => {
            const drafted = i >= route.destinations.length;
            return (
              <tr
                key={names[i]}
                data-testid="split-destination"
                data-subset={d.subset ?? ''}
                data-drafted={drafted ? 'true' : undefined}
                className={drafted ? 'split-drafted' : undefined}
              >
                <td>
                  <span
                    className="split-swatch"
                    style={{ background: SPLIT_COLOURS[i % SPLIT_COLOURS.length] }}
                    aria-hidden="true"
                  />
                  {names[i]}
                  {drafted ? (
                    <span className="split-new" title="Added in this draft: written on Apply">
                      new
                    </span>
                  ) : null}
                </td>
                <td>
                  <span className="version">{d.version ?? '—'}</span>
                </td>
                <td style={{ width: '40%' }}>
                  {slidable ? (
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
                  {slidable ? (
                    <PercentInput
                      value={weights[i] ?? 0}
                      onChange={(n) => onChange(setWeight(weights, i, n))}
                      label={`Weight of ${names[i]} in percent`}
                      testId="weight-input"
                    />
                  ) : (
                    <span data-testid="weight-value">{weights[i] ?? 0}</span>
                  )}{' '}
                  %
                </td>
                <td className="num" data-testid="observed">
                  {observedText(liveRows?.[i] ?? null)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {canWrite ? <AddVersion subsets={stillAddable(route, added)} onAdd={onAdd} /> : null}
      <SplitBar label="Set" shares={weights.map((w) => w / 100)} names={names} testId="set-bar" />
      <SplitBar
        label="Observed"
        shares={hasObserved && liveRows ? liveRows.map((d) => d?.observedShare ?? null) : null}
        names={names}
        testId="observed-bar"
      />
    </div>
  );
}

/**
 * "Add version": a subset of the route's host (from its DestinationRule) that the route does not
 * use yet, drafted at 0 % (as Kiali's traffic-shifting wizard adds a workload at no weight).
 */
function AddVersion({ subsets, onAdd }: { subsets: string[]; onAdd: (subset: string) => void }) {
  const [picked, setPicked] = useState('');
  if (subsets.length === 0) return null;
  const choice = subsets.includes(picked) ? picked : (subsets[0] ?? '');
  return (
    <div className="add-version" data-testid="add-version">
      <label>
        Add version{' '}
        <select
          value={choice}
          onChange={(e) => setPicked(e.target.value)}
          data-testid="add-version-select"
          aria-label="Subset to add"
        >
          {subsets.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button" onClick={() => onAdd(choice)} data-testid="add-version-button">
        Add
      </button>
      <span className="meta-note">starts at 0 %; nothing is written until Apply</span>
    </div>
  );
}

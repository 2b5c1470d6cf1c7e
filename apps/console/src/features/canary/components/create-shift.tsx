'use client';

import { useState } from 'react';
import type { TrafficShiftOffer } from '../types';
import { checkSplit, TOTAL } from '../weights';
import { PercentInput } from './percent-input';
import { SplitBar } from './split-bar';

/** Kiali's wizard starts with all traffic on the first version: nothing moves until weights are set. */
function initialWeights(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === 0 ? TOTAL : 0));
}

/**
 * "Create traffic shifting" for a service no VirtualService routes yet: its versions (from the
 * proxies serving it), a weight per version, and Create. Weights are typed independently (no
 * rebalancing, so 90 / 10 / 0 is exactly what one types); Create is enabled once they are whole
 * numbers summing to 100. Viewers see the versions without inputs.
 */
export function CreateShift({
  service,
  offer,
  canWrite,
  pending,
  onCreate,
}: {
  service: string;
  offer: TrafficShiftOffer;
  canWrite: boolean;
  pending: boolean;
  onCreate: (weights: number[]) => void;
}) {
  const versions = offer.versions.map((v) => v.version);
  const [weights, setWeights] = useState(() => initialWeights(versions.length));
  // A refresh may bring a version more or less: start over rather than misalign the weights.
  const current = weights.length === versions.length ? weights : initialWeights(versions.length);
  const check = checkSplit(current);
  const sum = current.reduce((a, b) => a + b, 0);
  const rule = offer.existingRule;
  const uncovered = rule ? versions.filter((v) => !rule.subsets.some((s) => s.version === v)) : [];
  return (
    <section className="panel canary-create" data-testid="create-shift">
      <header className="canary-vs-head">
        <h2>Create traffic shifting</h2>
        <span className="meta-note">no VirtualService routes {service} yet</span>
      </header>
      <p className="meta-note" data-testid="create-shift-plan">
        {rule ? (
          <>
            Uses the subsets of the existing DestinationRule{' '}
            <code>
              {rule.namespace}/{rule.name}
            </code>{' '}
            and creates the VirtualService <code>{service}</code> with one route splitting by these weights.
          </>
        ) : (
          <>
            Creates the DestinationRule <code>{service}</code> (one subset per version, selecting its{' '}
            <code>version</code> label) and the VirtualService <code>{service}</code> with one route splitting
            by these weights.
          </>
        )}{' '}
        Versions are the <code>version</code> labels of the connected proxies serving {service}.
      </p>
      {uncovered.length > 0 ? (
        <div className="banner banner-warn" role="status" data-testid="create-shift-uncovered">
          The DestinationRule {rule?.namespace}/{rule?.name} has no subset for {uncovered.join(', ')}: Create
          will be refused until it has one.
        </div>
      ) : null}
      <table className="split-table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Workloads</th>
            <th className="num">Weight</th>
          </tr>
        </thead>
        <tbody>
          {offer.versions.map((v, i) => (
            <tr key={v.version} data-testid="shift-version" data-version={v.version}>
              <td>
                <span className="version">{v.version}</span>
              </td>
              <td className="meta-note">{v.workloads.join(', ')}</td>
              <td className="num">
                {canWrite ? (
                  <PercentInput
                    value={current[i] ?? 0}
                    disabled={pending}
                    onChange={(n) => {
                      const next = [...current];
                      next[i] = n;
                      setWeights(next);
                    }}
                    label={`Weight of ${v.version} in percent`}
                    testId="shift-weight"
                  />
                ) : (
                  <span data-testid="shift-weight-value">{current[i] ?? 0}</span>
                )}{' '}
                %
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <SplitBar label="Set" shares={current.map((w) => w / TOTAL)} names={versions} testId="shift-bar" />
      {canWrite ? (
        <div className="write-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={!check.ok || pending}
            onClick={() => onCreate(current)}
            data-testid="create-shift-button"
          >
            {pending ? 'Creating…' : 'Create'}
          </button>
          <span className="canary-sum" data-testid="create-shift-sum">
            {check.ok
              ? `Sum ${sum} %`
              : versions.length < 2
                ? 'A split needs two versions'
                : `Sum ${sum} %: needs 100`}
          </span>
        </div>
      ) : (
        <p className="readonly-note" data-testid="readonly-note">
          Read-only: your role is viewer.
        </p>
      )}
    </section>
  );
}

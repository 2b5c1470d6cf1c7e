'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { parseServiceRange } from '../range';
import { ConfigSection } from './config-section';
import { EndpointsSection } from './endpoints-section';
import { MetricsSection } from './metrics-section';
import { RangeSelector } from './range-selector';

/** One service: its golden metrics per version, the proxies serving it, and the config that shapes its traffic. */
export function ServicePage({ namespace, name }: { namespace: string; name: string }) {
  const range = parseServiceRange(useSearchParams().get('range'));
  const hostname = `${name}.${namespace}.svc.cluster.local`;
  return (
    <section className="page" data-testid="service-page">
      <header className="page-header">
        <div>
          <p className="page-lead">
            <Link href={`/?namespace=${encodeURIComponent(namespace)}`}>Overview</Link> / {namespace}
          </p>
          <h1>{name}</h1>
          <p className="page-lead">
            <code>{hostname}</code> · golden metrics over the last {range} ·{' '}
            {/* Sidecars name their spans' service APP.NAMESPACE (docs/telemetry.md). */}
            <Link
              href={`/traces?service=${encodeURIComponent(`${name}.${namespace}`)}`}
              data-testid="service-traces-link"
            >
              its traces
            </Link>
          </p>
        </div>
        <RangeSelector value={range} />
      </header>
      <MetricsSection namespace={namespace} name={name} range={range} />
      <EndpointsSection namespace={namespace} name={name} />
      <ConfigSection namespace={namespace} name={name} />
    </section>
  );
}

'use client';

import { ErrorDetails, ErrorState, LoadingState } from '@/components/states';
import { useServiceConfig } from '../api/get-service-config';
import { utcDateTime } from '../time';
import type { ConfigObject, SourceStatus } from '../types';
import styles from './service.module.css';

function ConfigItem({ item }: { item: ConfigObject }) {
  return (
    <details
      className={styles.configItem}
      open
      data-testid="config-object"
      data-kind={item.kind}
      data-name={`${item.namespace}/${item.name}`}
    >
      <summary>
        <span className="badge badge-muted">{item.kind}</span>
        <span className={styles.configName}>
          {item.namespace}/{item.name}
        </span>
        <span className={styles.configMeta}>
          {item.kind === 'VirtualService' ? 'hosts' : 'host'} {item.matchedHosts.join(', ')}
          {item.generation !== null ? ` · generation ${item.generation}` : ''}
          {item.creationTimestamp ? ` · created ${utcDateTime(item.creationTimestamp)}` : ''}
        </span>
      </summary>
      <pre className={styles.yaml} data-testid="config-yaml">
        {item.yaml}
      </pre>
    </details>
  );
}

function SourceFailed({ source, kind }: { source: SourceStatus; kind: string }) {
  if (source.ok) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="source-banner">
      <strong>{kind} unavailable.</strong> {source.error.message}
      <details>
        <summary>Details</summary>
        <ErrorDetails error={source.error} />
      </details>
    </div>
  );
}

export function ConfigSection({ namespace, name }: { namespace: string; name: string }) {
  const query = useServiceConfig(namespace, name);
  const data = query.data;
  let body: React.ReactNode;
  if (query.isPending) body = <LoadingState label="Loading VirtualServices and DestinationRules…" />;
  else if (query.isError && !data)
    body = (
      <ErrorState title="Cannot load the config" error={query.error} onRetry={() => void query.refetch()} />
    );
  else if (data) {
    const all = [...data.virtualServices, ...data.destinationRules];
    body = (
      <>
        <SourceFailed source={data.sources.virtualServices} kind="VirtualServices" />
        <SourceFailed source={data.sources.destinationRules} kind="DestinationRules" />
        {all.length === 0 ? (
          <div className={styles.emptyInline} data-testid="config-empty">
            No VirtualService or DestinationRule names <code>{data.hostname}</code>: traffic to it takes the
            mesh defaults (no routing rules, no traffic policy).
          </div>
        ) : (
          <div className={styles.configList}>
            {all.map((item) => (
              <ConfigItem key={`${item.kind}/${item.namespace}/${item.name}`} item={item} />
            ))}
          </div>
        )}
      </>
    );
  }
  return (
    <section className={styles.section} aria-labelledby="config-heading" data-testid="config-section">
      <div className={styles.sectionHeader}>
        <h2 id="config-heading">Config applied</h2>
        <span className={styles.sectionNote}>
          VirtualServices and DestinationRules whose hosts name this service
        </span>
      </div>
      {body}
    </section>
  );
}

import type { AttributeValue } from '@trellis/shared/telemetry-api';
import type { WaterfallRow } from '../types';
import { formatSpanMs } from './trace-time';
import styles from './traces.module.css';

const show = (v: AttributeValue) => (Array.isArray(v) ? JSON.stringify(v) : String(v));

function KeyValues({ values, testId }: { values: Record<string, AttributeValue>; testId: string }) {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className={styles.hint}>None.</p>;
  return (
    <table className={styles.kv} data-testid={testId}>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k} data-key={k}>
            <th scope="row">{k}</th>
            <td>{show(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SpanDetails({ row }: { row: WaterfallRow }) {
  return (
    <section
      className={styles.details}
      data-testid="span-details"
      data-span-id={row.spanId}
      aria-label="Span details"
    >
      <h2>
        {row.service}: {row.name}
      </h2>
      <p className={styles.hint}>
        {row.kind} span <code>{row.spanId}</code>
        {row.parentSpanId ? (
          <>
            {' '}
            under <code>{row.parentSpanId}</code>
          </>
        ) : null}{' '}
        · starts at +{formatSpanMs(row.startOffsetMs)} · lasts {formatSpanMs(row.durationMs)} · status{' '}
        <strong data-testid="span-status">{row.status}</strong>
        {row.statusMessage ? `: ${row.statusMessage}` : ''}
        {row.scope ? ` · recorded by ${row.scope}` : ''}
      </p>
      <h3>Attributes</h3>
      <KeyValues values={row.attributes} testId="span-attributes" />
      <h3>Resource</h3>
      <KeyValues values={row.resource} testId="span-resource" />
      {row.events.length > 0 ? (
        <>
          <h3>Events</h3>
          <table className={styles.kv}>
            <tbody>
              {row.events.map((e) => (
                <tr key={`${e.offsetMs}-${e.name}`}>
                  <th scope="row">+{formatSpanMs(e.offsetMs)}</th>
                  <td>
                    {e.name} {Object.keys(e.attributes).length > 0 ? JSON.stringify(e.attributes) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

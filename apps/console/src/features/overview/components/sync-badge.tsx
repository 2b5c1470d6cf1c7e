import type { WorkloadSync } from '../types';

const LABELS: Record<WorkloadSync['state'], { text: string; tone: string; hint: string }> = {
  SYNCED: { text: 'Synced', tone: 'ok', hint: 'Every proxy ACKed the latest config.' },
  STALE: { text: 'Stale', tone: 'warn', hint: 'Config was sent but not yet ACKed.' },
  NACKED: {
    text: 'NACKed',
    tone: 'bad',
    hint: 'A proxy rejected the latest config and keeps its last good one.',
  },
  DISCONNECTED: {
    text: 'Disconnected',
    tone: 'bad',
    hint: 'No proxy of this workload is connected to the control plane.',
  },
  UNKNOWN: {
    text: 'Unknown',
    tone: 'muted',
    hint: 'The control plane reported a state this console does not know.',
  },
};

export function SyncBadge({ sync }: { sync: WorkloadSync | null }) {
  if (sync === null)
    return (
      <span className="badge badge-muted" title="The sync list could not be read">
        —
      </span>
    );
  const label = LABELS[sync.state];
  const count = sync.proxies > 1 ? ` ${sync.synced}/${sync.proxies}` : '';
  const version = sync.configVersion ? ` Config version ${sync.configVersion}.` : '';
  const error = sync.lastError ? ` Last error: ${sync.lastError}` : '';
  return (
    <span
      className={`badge badge-${label.tone}`}
      title={`${label.hint}${version}${error}`}
      data-state={sync.state}
    >
      {label.text}
      {count}
    </span>
  );
}

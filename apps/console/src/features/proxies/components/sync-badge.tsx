import type { ProxySyncState } from '../types';

/** The overview's badges (same words and colours), with hints about one proxy rather than a workload. */
const LABELS: Record<ProxySyncState, { text: string; tone: string; hint: string }> = {
  SYNCED: { text: 'Synced', tone: 'ok', hint: 'The proxy ACKed the latest config it was sent.' },
  STALE: { text: 'Stale', tone: 'warn', hint: 'Config was sent but not yet ACKed.' },
  NACKED: {
    text: 'NACKed',
    tone: 'bad',
    hint: 'The proxy rejected the latest config and keeps serving its last good one.',
  },
  DISCONNECTED: {
    text: 'Disconnected',
    tone: 'bad',
    hint: 'No stream to the control plane; the proxy is listed for 10 minutes after it left.',
  },
  UNKNOWN: {
    text: 'Unknown',
    tone: 'muted',
    hint: 'The control plane reported a state this console does not know.',
  },
};

export const STATE_LABEL = (state: ProxySyncState): string => LABELS[state].text;

export function ProxySyncBadge({ state }: { state: ProxySyncState }) {
  const label = LABELS[state];
  return (
    <span className={`badge badge-${label.tone}`} title={label.hint} data-state={state}>
      {label.text}
    </span>
  );
}

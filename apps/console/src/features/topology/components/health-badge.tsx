import type { Health } from '../health';

const LABELS: Record<Health, { text: string; tone: string; hint: string }> = {
  healthy: { text: 'Healthy', tone: 'ok', hint: 'Error rate below 0.1 %.' },
  degraded: { text: 'Degraded', tone: 'warn', hint: 'Error rate at or above 0.1 %.' },
  failure: { text: 'Failure', tone: 'bad', hint: 'Error rate at or above 20 %.' },
  idle: { text: 'No traffic', tone: 'muted', hint: 'No requests in the window.' },
};

export function HealthBadge({ health, testId }: { health: Health; testId?: string }) {
  const l = LABELS[health];
  return (
    <span className={`badge badge-${l.tone}`} title={l.hint} data-health={health} data-testid={testId}>
      {l.text}
    </span>
  );
}

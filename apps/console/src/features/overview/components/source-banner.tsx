import { ErrorDetails } from '@/components/states';
import type { SourceStatus } from '../types';

/** One source failed while the other answered: say which numbers are missing and why. */
export function SourceBanner({
  source,
  title,
  effect,
}: {
  source: SourceStatus;
  title: string;
  effect: string;
}) {
  if (source.ok) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="source-banner">
      <strong>{title}</strong> {effect} {source.error.message}
      <details>
        <summary>Details</summary>
        <ErrorDetails error={source.error} />
      </details>
    </div>
  );
}

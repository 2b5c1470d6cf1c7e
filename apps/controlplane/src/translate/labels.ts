/** Kubernetes label selection: every selector pair present in labels. An empty selector selects all. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

/** True when a workload selector actually narrows (Istio treats `selector: {}` as namespace-wide). */
export function hasSelector(selector: { matchLabels?: Record<string, string> } | undefined): boolean {
  return selector?.matchLabels !== undefined && Object.keys(selector.matchLabels).length > 0;
}

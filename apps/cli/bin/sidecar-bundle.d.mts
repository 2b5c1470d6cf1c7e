export const SIDECAR_ENTRY: string;
export const SIDECAR_BUNDLE: string;
export type Freshness = { fresh: true; path: string } | { fresh: false; reason: string };
export function bundleFreshness(root: string, bundle?: string): Freshness;
export function ensureBundle(
  root: string,
  options?: { entry?: string; bundle?: string; force?: boolean },
): Promise<{ built: boolean; reason: string; inputs: number; ms: number }>;

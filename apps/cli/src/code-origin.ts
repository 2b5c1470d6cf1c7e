// Set by the sidecar bundle's build (esbuild `define`) to its build time; absent when running sources.
declare const __TRELLIS_BUNDLE_BUILT__: string | undefined;

/** Where this process's code came from, for the start-up log line. */
export function codeOrigin(): string {
  return typeof __TRELLIS_BUNDLE_BUILT__ === 'string'
    ? `sidecar bundle built ${__TRELLIS_BUNDLE_BUILT__}`
    : 'TypeScript sources (tsx)';
}

/** The config-push log sink: scalar fields only, one JSON line per event on stderr by default. */
export type XdsLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type XdsLogFields = Record<string, string | number | boolean | undefined>;
export type XdsLogger = (level: XdsLogLevel, message: string, fields?: XdsLogFields) => void;

export const stderrXdsLogger: XdsLogger = (level, message, fields) => {
  if (level === 'debug' && !process.env.TRELLIS_DEBUG) return;
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, component: 'xds', message, ...fields })}\n`,
  );
};

export const silentXdsLogger: XdsLogger = () => {};

/**
 * The CA's log sink. Fields are scalars on purpose: nothing structured (a key, a certificate
 * object, a request) can be handed to it by accident and end up serialised into a log line.
 */
export type CaLogLevel = 'info' | 'warn' | 'error';
export type CaLogFields = Record<string, string | number | boolean | undefined>;
export type CaLogger = (level: CaLogLevel, message: string, fields?: CaLogFields) => void;

export const stderrLogger: CaLogger = (level, message, fields) => {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, component: 'ca', message, ...fields })}\n`,
  );
};

export const silentLogger: CaLogger = () => {};

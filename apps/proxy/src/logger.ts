/** A levelled logger writing JSON lines to stderr (stdout carries the access log). */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export class Logger {
  constructor(
    public level: Level = 'info',
    private readonly name = 'proxy',
    private readonly write: (line: string) => void = (l) => process.stderr.write(l),
  ) {}

  enabled(l: Level): boolean {
    return order[l] >= order[this.level];
  }

  log(l: Level, msg: string, fields?: Record<string, unknown>): void {
    if (!this.enabled(l)) return;
    this.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: l, logger: this.name, msg, ...fields })}\n`,
    );
  }
  debug(msg: string, f?: Record<string, unknown>): void {
    this.log('debug', msg, f);
  }
  info(msg: string, f?: Record<string, unknown>): void {
    this.log('info', msg, f);
  }
  warn(msg: string, f?: Record<string, unknown>): void {
    this.log('warn', msg, f);
  }
  error(msg: string, f?: Record<string, unknown>): void {
    this.log('error', msg, f);
  }

  static isLevel(s: string): s is Level {
    return s in order;
  }
}

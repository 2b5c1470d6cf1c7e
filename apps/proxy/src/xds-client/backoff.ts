export interface BackoffOptions {
  /** First retry delay (ms). Default 100. */
  initialMs?: number;
  /** Cap (ms). Default 5000. */
  maxMs?: number;
  /** Default 2. */
  multiplier?: number;
  /** Spread each delay by ± this fraction, so proxies restarted together do not reconnect in step. Default 0.2. */
  jitter?: number;
}

/** gRPC's connection-backoff shape: exponential, capped, jittered. */
export class Backoff {
  #attempt = 0;
  readonly #initial: number;
  readonly #max: number;
  readonly #multiplier: number;
  readonly #jitter: number;

  constructor(
    options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.#initial = options.initialMs ?? 100;
    this.#max = options.maxMs ?? 5000;
    this.#multiplier = options.multiplier ?? 2;
    this.#jitter = options.jitter ?? 0.2;
  }

  /** The next delay (ms); each call backs off further until reset(). */
  next(): number {
    const base = Math.min(this.#max, this.#initial * this.#multiplier ** this.#attempt);
    this.#attempt += 1;
    const spread = base * this.#jitter * (2 * this.random() - 1);
    return Math.max(0, Math.round(Math.min(this.#max, base + spread)));
  }

  reset(): void {
    this.#attempt = 0;
  }
}

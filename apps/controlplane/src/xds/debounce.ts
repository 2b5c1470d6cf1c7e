export interface DebounceOptions {
  /** Fire once nothing new arrived for this long (ms). */
  quietMs: number;
  /** Fire at the latest this long after the first unhandled trigger (ms), so steady churn still pushes. */
  maxDelayMs: number;
}

/**
 * Coalesces bursts of change notifications into one call, like pilot's push debounce
 * (PILOT_DEBOUNCE_AFTER / PILOT_DEBOUNCE_MAX).
 */
export class Debouncer {
  #quiet?: NodeJS.Timeout;
  #max?: NodeJS.Timeout;
  #closed = false;

  constructor(
    private readonly fire: () => void,
    private readonly options: DebounceOptions,
  ) {}

  trigger(): void {
    if (this.#closed) return;
    if (this.#quiet) clearTimeout(this.#quiet);
    this.#quiet = setTimeout(() => this.#flush(), this.options.quietMs);
    this.#max ??= setTimeout(() => this.#flush(), this.options.maxDelayMs);
  }

  /** True while a call is scheduled. */
  get pending(): boolean {
    return this.#quiet !== undefined;
  }

  close(): void {
    this.#closed = true;
    this.#clear();
  }

  #clear(): void {
    if (this.#quiet) clearTimeout(this.#quiet);
    if (this.#max) clearTimeout(this.#max);
    this.#quiet = undefined;
    this.#max = undefined;
  }

  #flush(): void {
    this.#clear();
    if (!this.#closed) this.fire();
  }
}

/**
 * What a layer's inner service yields: a response coming from upstream (head received, body
 * still streaming) or a reply the proxy makes itself. Layers look at the outcome to decide
 * (retry, eject, record) and only the listener writes it downstream.
 */

import type { Exchange, Pausable } from '../http/exchange';
import type { ResponseFlag } from '../telemetry/record';

/** Why an upstream try produced no response head; drives retryOn and outlier accounting. */
export type FailureCause =
  | 'connect-failure'
  | 'reset'
  | 'timeout'
  | 'overflow'
  | 'no-healthy'
  | 'refused-stream';

export class LocalReply {
  readonly kind = 'local' as const;
  constructor(
    readonly status: number,
    readonly flag: ResponseFlag | null,
    readonly body: string,
    readonly cause: FailureCause | null = null,
    /** gRPC status for a gRPC fault abort (sent as trailers-only). */
    readonly grpcStatus: number | undefined = undefined,
  ) {}
}

/** Whatever feeds an UpstreamResponse: undici's controller or an HTTP/2 client stream. */
export interface UpstreamSource {
  pause(): void;
  resume(): void;
  /** Stop the transfer (the response is no longer wanted). */
  cancel(): void;
}

/** Released when the response body is finished (or abandoned): circuit-breaker permits, LB counters. */
export interface Releasable {
  release(): void;
}

type Settle = (o: Outcome) => void;

enum State {
  AwaitingHead = 0,
  Buffering = 1,
  Streaming = 2,
  Discarding = 3,
  Done = 4,
}

export class UpstreamResponse implements Pausable {
  readonly kind = 'upstream' as const;
  status = 0;
  headers: Record<string, string | string[] | undefined> = {};
  trailers: Record<string, string | string[]> | null = null;
  /** Body bytes seen from upstream. */
  bytes = 0;
  /** The head arrived with end-of-stream (HTTP/2 trailers-only, or an empty body already ended). */
  ended = false;
  error: Error | null = null;
  source: UpstreamSource | null = null;
  readonly promise: Promise<Outcome>;

  private state = State.AwaitingHead;
  private settle: Settle | null = null;
  private chunks: Buffer[] | null = null;
  private sink: Exchange | null = null;
  private onDone: ((r: UpstreamResponse) => void) | null = null;
  private doneArg: unknown = null;
  private releases: Releasable[] | null = null;

  constructor(private readonly describe: string) {
    this.promise = new Promise<Outcome>((resolve) => {
      this.settle = resolve;
    });
  }

  /** Release `r` when the body finishes or the response is abandoned. */
  hold(r: Releasable): void {
    if (this.state === State.Done) {
      r.release();
      return;
    }
    if (this.releases === null) this.releases = [r];
    else this.releases.push(r);
  }

  // --- fed by the transport ---

  onHead(status: number, headers: Record<string, string | string[] | undefined>): void {
    if (this.state !== State.AwaitingHead) return;
    this.status = status;
    this.headers = headers;
    this.state = State.Buffering;
    const s = this.settle;
    this.settle = null;
    s?.(this);
  }

  onData(chunk: Buffer): void {
    this.bytes += chunk.length;
    switch (this.state) {
      case State.Streaming:
        if (!this.sink!.write(chunk, this)) this.source?.pause();
        return;
      case State.Buffering:
        if (this.chunks === null) this.chunks = [chunk];
        else this.chunks.push(chunk);
        // Nobody consumes yet (a layer is deciding): stop reading rather than buffer without bound.
        if (this.chunks.length > 16) this.source?.pause();
        return;
      default:
        return;
    }
  }

  onEnd(trailers: Record<string, string | string[]> | null): void {
    this.trailers = trailers;
    this.ended = true;
    if (this.state === State.Streaming) {
      this.sink!.end(trailers);
      this.finish();
    } else if (this.state === State.Discarding) this.finish();
  }

  /** Upstream failed. Before the head: settles as a local reply (503 UF). After: the downstream is reset. */
  onError(err: Error, cause: FailureCause): void {
    if (this.state === State.Done) return;
    this.error = err;
    if (this.state === State.AwaitingHead) {
      this.state = State.Done;
      this.runReleases();
      const s = this.settle;
      this.settle = null;
      s?.(upstreamFailure(cause, this.describe, err));
      return;
    }
    if (this.state === State.Streaming) this.sink!.destroy();
    this.finish();
  }

  // --- used by layers and the listener ---

  /** Stream the body into the downstream (buffered chunks first); `done` runs when it ends. */
  attach<T>(sink: Exchange, done: ((r: UpstreamResponse, arg: T) => void) | null, arg: T): void {
    this.sink = sink;
    this.onDone = done as ((r: UpstreamResponse) => void) | null;
    this.doneArg = arg;
    if (this.state === State.Done) {
      // The upstream broke between the head and now: the client must see a reset, not a short body.
      sink.destroy();
      done?.(this, arg);
      return;
    }
    this.state = State.Streaming;
    const chunks = this.chunks;
    this.chunks = null;
    if (chunks !== null) {
      let full = false;
      for (const c of chunks) if (!sink.write(c, this)) full = true;
      if (!full) this.source?.resume();
    }
    if (this.ended) {
      sink.end(this.trailers);
      this.finish();
    }
  }

  /** The response is not wanted (retried, timed out): drop its body so the connection can be reused. */
  discard(): void {
    if (this.state === State.Done || this.state === State.Discarding) return;
    if (this.state === State.AwaitingHead) {
      this.cancel();
      return;
    }
    this.chunks = null;
    this.state = State.Discarding;
    if (this.ended) {
      this.finish();
      return;
    }
    this.source?.resume();
  }

  /** Abandon a try in flight (timeout, client gone): cancel the transfer. */
  cancel(): void {
    if (this.state === State.Done) return;
    this.source?.cancel();
    if (this.state === State.AwaitingHead) {
      this.state = State.Done;
      this.runReleases();
      // Whoever awaits this try must still get an outcome (permits are released by it).
      const s = this.settle;
      this.settle = null;
      s?.(new LocalReply(499, 'DC', 'request cancelled by the proxy\n'));
      return;
    }
    if (this.state === State.Streaming) this.sink?.destroy();
    this.finish();
  }

  resumeFromDrain(): void {
    if (this.state === State.Streaming) this.source?.resume();
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  private finish(): void {
    if (this.state === State.Done) return;
    this.state = State.Done;
    this.runReleases();
    const d = this.onDone;
    this.onDone = null;
    if (d !== null) (d as (r: UpstreamResponse, a: unknown) => void)(this, this.doneArg);
  }

  private runReleases(): void {
    const r = this.releases;
    this.releases = null;
    if (r !== null) for (const x of r) x.release();
  }
}

export type Outcome = UpstreamResponse | LocalReply;

/** Envoy's wording, so operators can search for it; names the cluster it was trying. */
export function upstreamFailure(cause: FailureCause, cluster: string, err: Error | null): LocalReply {
  const reason =
    cause === 'connect-failure' ? 'connection failure' : cause === 'reset' ? 'connection termination' : cause;
  const detail = err ? `, transport failure reason: ${err.message}` : '';
  return new LocalReply(
    503,
    'UF',
    `upstream connect error or disconnect/reset before headers. reset reason: ${reason}${detail} (cluster ${cluster})\n`,
    cause,
  );
}

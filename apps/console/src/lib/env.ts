import 'server-only';
import { z } from 'zod';

/**
 * The console server's configuration, checked once at start-up (instrumentation.ts) so a wrong
 * value stops `next start` with a message instead of failing on the first request.
 */
const envSchema = z
  .object({
    /** Base URL of the control plane's HTTP API, e.g. http://127.0.0.1:8080. Never sent to the browser. */
    TRELLIS_API_URL: z
      .url({
        protocol: /^https?$/,
        error:
          "TRELLIS_API_URL must be an http(s) URL, e.g. http://127.0.0.1:PORT (the control plane's --port)",
      })
      .transform((u) => u.replace(/\/+$/, '')),
    /** Per-request timeout from the console server to the control plane, in milliseconds. */
    TRELLIS_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4_000),
    /**
     * How visitors are identified (docs/console.md, Roles): anonymous (everyone gets
     * TRELLIS_CONSOLE_ANONYMOUS_ROLE, like Kiali's anonymous strategy) or token (sign in at /login with
     * a token listed, as a SHA-256, in TRELLIS_CONSOLE_USERS_FILE).
     */
    TRELLIS_CONSOLE_AUTH: z
      .enum(['anonymous', 'token'], { error: 'TRELLIS_CONSOLE_AUTH must be anonymous or token' })
      .default('anonymous'),
    TRELLIS_CONSOLE_ANONYMOUS_ROLE: z
      .enum(['operator', 'viewer'], { error: 'TRELLIS_CONSOLE_ANONYMOUS_ROLE must be operator or viewer' })
      .default('operator'),
    /** YAML list of {name, role, tokenSha256}; required in token mode. */
    TRELLIS_CONSOLE_USERS_FILE: z.string().min(1).optional(),
    /** HMAC key of session cookies; when unset a random one is made at start (sessions end on restart). */
    TRELLIS_CONSOLE_SESSION_SECRET: z
      .string()
      .min(32, 'TRELLIS_CONSOLE_SESSION_SECRET must be at least 32 characters')
      .optional(),
  })
  .refine((env) => env.TRELLIS_CONSOLE_AUTH !== 'token' || env.TRELLIS_CONSOLE_USERS_FILE !== undefined, {
    path: ['TRELLIS_CONSOLE_USERS_FILE'],
    message:
      'TRELLIS_CONSOLE_AUTH=token needs TRELLIS_CONSOLE_USERS_FILE (a YAML list of {name, role, tokenSha256})',
  });

export type ConsoleEnv = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = 'EnvError';
}

let cached: ConsoleEnv | undefined;

export function getEnv(source: NodeJS.ProcessEnv = process.env): ConsoleEnv {
  if (cached && source === process.env) return cached;
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`)
      .join('\n');
    throw new EnvError(`Invalid console environment:\n${problems}`);
  }
  if (source === process.env) cached = parsed.data;
  return parsed.data;
}

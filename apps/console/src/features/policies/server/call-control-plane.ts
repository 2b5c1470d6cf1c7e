import 'server-only';
import type { z } from 'zod';
import { writeControlPlane } from '@/lib/control-plane';
import type { ConsoleErrorBody } from '@/lib/errors';
import { parseWarningHeader } from '../model/warnings';

export type StudioCallResult<T> =
  | { ok: true; data: T; status: number; warnings: string[] }
  | { ok: false; error: ConsoleErrorBody };

/**
 * One write-shaped call to the control plane for the studio (create, update, their dry runs,
 * revert): writeControlPlane, with the Kubernetes `Warning` headers read into a list (the Check
 * shows them, as kubectl apply prints them). Never throws.
 */
export async function callControlPlane<T>(
  method: 'POST' | 'PUT',
  path: string,
  body: unknown,
  schema: z.ZodType<T>,
  opts: { actor?: string; search?: Record<string, string> } = {},
): Promise<StudioCallResult<T>> {
  const r = await writeControlPlane(method, path, body, schema, opts);
  if (!r.ok) return r;
  return { ok: true, data: r.data, status: r.status, warnings: parseWarningHeader(r.warningHeader) };
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface ProfileSummary {
  file: string;
  top: { functionName: string; location: string; selfPercent: number }[];
}

/** Self time per function from the newest V8 .cpuprofile in dir (written by --cpu-prof). */
export function summariseProfile(dir: string, limit = 15): ProfileSummary | undefined {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  const newest = files[0];
  if (!newest) return undefined;
  const profile = JSON.parse(readFileSync(newest, 'utf8')) as { nodes: CpuProfileNode[] };
  const self = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    total += hits;
    const where = n.callFrame.url
      ? `${n.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/(apps|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`
      : '(native)';
    const key = `${n.callFrame.functionName}\u0000${where}`;
    self.set(key, (self.get(key) ?? 0) + hits);
  }
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, hits]) => {
      const [functionName = '', location = ''] = key.split('\u0000');
      return { functionName, location, selfPercent: (hits / Math.max(1, total)) * 100 };
    });
  return { file: relative(process.cwd(), newest), top };
}

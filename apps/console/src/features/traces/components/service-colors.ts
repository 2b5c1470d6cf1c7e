const PALETTE = ['#4f8cff', '#35b08a', '#f29d38', '#9b6ef3', '#e4609b', '#2bb3c0', '#b58b2a', '#7a8ba6'];

/** One colour per service, in order of first appearance, so a service keeps its colour down the waterfall. */
export function serviceColors(services: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of services) if (!out.has(s)) out.set(s, PALETTE[out.size % PALETTE.length] ?? '#7a8ba6');
  return out;
}

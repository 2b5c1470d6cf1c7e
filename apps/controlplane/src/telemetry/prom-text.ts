/**
 * A parser for the Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
 *
 * Why not a library: parse-prometheus-text-format (the one candidate on npm) has not been
 * released since 2019, returns values as strings grouped per family, and the scraper needs flat
 * samples with an allow-list applied before labels are parsed (most lines of a sidecar's page
 * are nodejs_* and process_* series that the control plane never stores).
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  /** The label block exactly as written ("" when none): a cheap stable identity for a series. */
  labelsText: string;
  value: number;
  /** ms since the epoch, when the exposition carried one. */
  timestampMs?: number;
}

export class PromTextError extends Error {
  override readonly name = 'PromTextError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

function parseValue(s: string): number {
  switch (s) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
    default:
      return Number(s);
  }
}

/** Parses `{a="x",b="y\"z"}` starting at text[start] === '{'; returns the labels and the index after '}'. */
function parseLabels(
  text: string,
  start: number,
  lineNo: number,
): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new PromTextError(lineNo, 'label without "="');
    const name = text.slice(i, eq).trim();
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new PromTextError(lineNo, `bad label name "${name}"`);
    i = eq + 1;
    if (text[i] !== '"') throw new PromTextError(lineNo, `label ${name}: value must be quoted`);
    i++;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new PromTextError(lineNo, `label ${name}: unterminated value`);
      if (c === '"') break;
      if (c === '\\') {
        const n = text[i + 1];
        value += n === 'n' ? '\n' : n === '\\' ? '\\' : n === '"' ? '"' : `\\${n ?? ''}`;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    labels[name] = value;
    i++;
  }
}

/**
 * Parses an exposition into samples. `accept(name)` filters by sample name before the labels
 * are parsed; comments (HELP, TYPE) are skipped.
 */
export function parsePrometheusText(text: string, accept: (name: string) => boolean = () => true): Sample[] {
  const out: Sample[] = [];
  let lineNo = 0;
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl).trim();
    pos = nl + 1;
    lineNo++;
    if (line === '' || line.startsWith('#')) continue;
    let i = 0;
    while (i < line.length && line[i] !== '{' && line[i] !== ' ' && line[i] !== '\t') i++;
    const name = line.slice(0, i);
    if (!accept(name)) continue;
    let labels: Record<string, string> = {};
    let labelsText = '';
    if (line[i] === '{') {
      const parsed = parseLabels(line, i, lineNo);
      labels = parsed.labels;
      labelsText = line.slice(i, parsed.end);
      i = parsed.end;
    }
    const rest = line.slice(i).trim().split(/\s+/);
    if (rest[0] === undefined || rest[0] === '')
      throw new PromTextError(lineNo, `sample ${name} without a value`);
    const value = parseValue(rest[0]);
    if (Number.isNaN(value) && rest[0] !== 'NaN') throw new PromTextError(lineNo, `bad value "${rest[0]}"`);
    const sample: Sample = { name, labels, labelsText, value };
    if (rest[1] !== undefined) sample.timestampMs = Number(rest[1]);
    out.push(sample);
  }
  return out;
}

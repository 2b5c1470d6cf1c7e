import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AnalysisMessage,
  analyze,
  DEFAULT_TRUST_DOMAIN,
  fqdn,
  KINDS,
  kindByName,
  type MeshResource,
  type MeshService,
  type ResourceRef,
  ROOT_NAMESPACE,
  refKey,
  type ServicePort,
  validateResource,
} from '@trellis/shared';
import { parseAllDocuments } from 'yaml';
import type { Command } from '../main';
import { parseFlags, UsageError } from '../usage';

const usage = `Usage: trellis analyze [-f FILE]... [--server URL] [flags]

Checks mesh resources the way istioctl analyze does: every validation error (what the control
plane would refuse) and every mesh-wide finding (hosts and subsets nobody defines, VirtualServices
that conflict on a host, DestinationRules for unknown hosts).

  trellis analyze -f bookinfo/networking/      files and directories (.yaml, .yml, .json; "-" is stdin)
  trellis analyze --server http://127.0.0.1:15080
                                               the resources a running control plane holds, with any
                                               -f files laid over them (as if applied)

Kubernetes Services in the files (kind: Service) count as the service registry, so Bookinfo's own
manifests make hosts resolvable offline.

Flags:
  -f, --filename PATH       a file or directory to analyze (repeatable)
  --server URL              a control plane's HTTP API; the default when no -f is given is
                            http://127.0.0.1:15080
  -n, --namespace NS        namespace for objects that name none (default "default")
  --failure-threshold LVL   exit 1 when a finding is at least this severe: Error (default),
                            Warning or Info
  -o, --output FORMAT       "log" (default) or "json"
  -h, --help                show this help

Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, 2 bad usage.`;

type Level = AnalysisMessage['level'];
const SEVERITY: Record<Level, number> = { Info: 0, Warning: 1, Error: 2 };

/** One finding, with where it came from when it came from a file. */
interface Finding extends AnalysisMessage {
  origin?: string;
}

interface Loaded {
  /** Raw documents of mesh kinds, with their origin. */
  objects: { obj: unknown; origin: string }[];
  services: MeshService[];
}

function filesUnder(path: string): string[] {
  if (path === '-') return ['-'];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const p = join(path, name);
      if (statSync(p).isDirectory()) return filesUnder(p);
      return /\.(ya?ml|json)$/.test(name) ? [p] : [];
    });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A Kubernetes Service manifest as a registry entry (ports named grpc-*, http2-* keep their protocol). */
function serviceOf(obj: Record<string, unknown>, namespace: string): MeshService | undefined {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const spec = isObject(obj.spec) ? obj.spec : {};
  if (typeof meta.name !== 'string') return undefined;
  const ns = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : namespace;
  const ports: ServicePort[] = (Array.isArray(spec.ports) ? spec.ports : []).filter(isObject).map((p) => {
    const name = typeof p.name === 'string' ? p.name : '';
    const protocol = /^(grpc)/.test(name)
      ? 'GRPC'
      : /^http2/.test(name)
        ? 'HTTP2'
        : /^tcp/.test(name)
          ? 'TCP'
          : 'HTTP';
    const port: ServicePort = { port: Number(p.port), protocol };
    if (name) port.name = name;
    return port;
  });
  return { name: meta.name, namespace: ns, hostname: fqdn(meta.name, ns), ports };
}

function load(paths: string[], namespace: string): Loaded {
  const out: Loaded = { objects: [], services: [] };
  for (const file of paths.flatMap(filesUnder)) {
    const text = readFileSync(file === '-' ? 0 : file, 'utf8');
    const origin = file === '-' ? 'stdin' : file;
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${origin}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
      const value: unknown = doc.toJS();
      const items =
        isObject(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
      for (const item of items) {
        if (!isObject(item)) continue;
        if (item.kind === 'Service' && item.apiVersion === 'v1') {
          const svc = serviceOf(item, namespace);
          if (svc) out.services.push(svc);
        } else if (typeof item.kind === 'string' && kindByName(item.kind))
          out.objects.push({ obj: item, origin });
      }
    }
  }
  return out;
}

/** Every stored object of every kind, at its storage version. */
async function fetchLive(server: string): Promise<MeshResource[]> {
  const out: MeshResource[] = [];
  for (const k of KINDS) {
    const url = `${server.replace(/\/+$/, '')}/apis/${k.group}/${k.storageVersion}/${k.plural}`;
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/json' } });
    } catch (err) {
      throw new Error(
        `cannot reach the control plane at ${server}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
    const list = (await res.json()) as { items?: MeshResource[] };
    out.push(...(list.items ?? []));
  }
  return out;
}

function nameOf(obj: unknown): ResourceRef {
  const o = isObject(obj) ? obj : {};
  const m = isObject(o.metadata) ? o.metadata : {};
  return {
    kind: (kindByName(String(o.kind))?.kind ?? 'VirtualService') as ResourceRef['kind'],
    namespace: typeof m.namespace === 'string' ? m.namespace : '',
    name: typeof m.name === 'string' ? m.name : '',
  };
}

function format(f: Finding): string {
  const where = `${f.resource.kind} ${f.resource.namespace}/${f.resource.name}${f.origin ? ` ${f.origin}` : ''}`;
  return `${f.level} [${f.code}] (${where}) ${f.field ? `${f.field}: ` : ''}${f.message}`;
}

export const command: Command = {
  summary: 'find errors and warnings in mesh resources, like istioctl analyze',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      filename: { type: 'string', short: 'f', multiple: true },
      server: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      'failure-threshold': { type: 'string' },
      output: { type: 'string', short: 'o' },
    });
    const namespace = values.namespace ?? 'default';
    const threshold = (values['failure-threshold'] ?? 'Error') as Level;
    if (!(threshold in SEVERITY)) throw new UsageError('--failure-threshold must be Error, Warning or Info');
    const output = values.output ?? 'log';
    if (output !== 'log' && output !== 'json') throw new UsageError('--output must be log or json');
    const files = values.filename ?? [];
    const server = values.server ?? (files.length === 0 ? 'http://127.0.0.1:15080' : undefined);

    let loaded: Loaded;
    try {
      loaded = load(files, namespace);
    } catch (err) {
      console.error(`trellis analyze: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    const findings: Finding[] = [];
    const byRef = new Map<string, MeshResource>();
    if (server) {
      try {
        for (const r of await fetchLive(server))
          byRef.set(refKey({ kind: r.kind, namespace: r.metadata.namespace, name: r.metadata.name }), r);
      } catch (err) {
        console.error(`trellis analyze: ${err instanceof Error ? err.message : String(err)}`);
        return 1;
      }
    }
    const origins = new Map<string, string>();
    for (const { obj, origin } of loaded.objects) {
      // Strict, as kubectl apply validates by default: an unknown field is an error.
      const result = validateResource(obj, { fieldValidation: 'Strict', namespace });
      if (!result.valid) {
        const ref = nameOf(obj);
        if (!ref.namespace) ref.namespace = namespace;
        for (const c of result.causes)
          findings.push({
            code: 'IST0106',
            level: 'Error',
            resource: ref,
            field: c.field,
            message: c.message,
            origin,
          });
        continue;
      }
      const key = refKey({
        kind: result.resource.kind,
        namespace: result.resource.metadata.namespace,
        name: result.resource.metadata.name,
      });
      byRef.set(key, result.resource);
      origins.set(key, origin);
      for (const w of result.warnings)
        findings.push({
          code: 'IST0106',
          level: 'Warning',
          resource: nameOf(result.resource),
          message: w,
          origin,
        });
    }
    const resources = [...byRef.values()];
    for (const m of analyze({
      version: '0',
      resources,
      registry: { services: loaded.services, endpoints: [] },
      settings: {
        rootNamespace: ROOT_NAMESPACE,
        trustDomain: DEFAULT_TRUST_DOMAIN,
        accessLog: true,
        tracing: { samplingPercent: 1 },
      },
    })) {
      const origin = origins.get(refKey(m.resource));
      findings.push(origin ? { ...m, origin } : m);
    }

    if (output === 'json') console.log(JSON.stringify(findings, null, 2));
    else if (findings.length === 0)
      console.log(`✔ No validation issues found (${resources.length} resources analyzed).`);
    else for (const f of findings) console.log(format(f));
    return findings.some((f) => SEVERITY[f.level] >= SEVERITY[threshold]) ? 1 : 0;
  },
};

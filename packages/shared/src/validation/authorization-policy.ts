import type { AuthorizationPolicySpec, PolicyTargetReference } from '../resources';
import { checkCondition, checkPaths, checkServiceAccounts, checkTrustDomains } from './authorization-values';
import type { Findings, Path } from './causes';
import { ipOrCidrProblem } from './names';
import { checkWorkloadSelector } from './rules';

/** Istio's ValidateAuthorizationPolicy (pkg/config/validation), with Kubernetes field paths. */
export function checkAuthorizationPolicy(f: Findings, spec: AuthorizationPolicySpec): void {
  const s: Path = ['spec'];
  const selectors = [
    spec.selector !== undefined,
    spec.targetRef !== undefined,
    (spec.targetRefs?.length ?? 0) > 0,
  ];
  if (selectors.filter(Boolean).length > 1)
    f.invalid(s, 'only one of targetRefs or workloadSelector can be set');
  checkWorkloadSelector(f, [...s, 'selector'], spec.selector);
  if (spec.targetRef) checkTargetRef(f, [...s, 'targetRef'], spec.targetRef);
  spec.targetRefs?.forEach((r, i) => {
    checkTargetRef(f, [...s, 'targetRefs', i], r);
  });

  const action = spec.action ?? 'ALLOW';
  if (action === 'CUSTOM') {
    if (spec.rules === undefined) {
      f.required(
        [...s, 'rules'],
        'CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request',
      );
    } else if (!spec.provider?.name) {
      f.required([...s, 'provider', 'name'], '`provider.name` must not be empty');
    }
    checkCustomRules(f, spec);
  } else if (spec.provider !== undefined) {
    f.invalid([...s, 'provider'], `\`provider\` must not be with non CUSTOM action, found ${action}`);
  }
  if (action === 'DENY' && spec.rules === undefined) {
    f.required(
      [...s, 'rules'],
      'DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request',
    );
  }

  (spec.rules ?? []).forEach((rule, i) => {
    const at = [...s, 'rules', i];
    if (rule.from !== undefined && rule.from.length === 0)
      f.required([...at, 'from'], '`from` must not be empty');
    let fromHttpOnly = false;
    let tcpInFrom = false;
    rule.from?.forEach((from, j) => {
      const fat = [...at, 'from', j, 'source'];
      const src = from.source;
      if (!src) {
        f.required(fat, '`from.source` must not be nil');
        return;
      }
      const set = (k: keyof typeof src) => (src[k]?.length ?? 0) > 0;
      if (
        (set('principals') || set('notPrincipals') || set('namespaces') || set('notNamespaces')) &&
        (set('serviceAccounts') || set('notServiceAccounts'))
      ) {
        f.invalid(fat, 'cannot set serviceAccounts with namespaces or principals');
      }
      if (!Object.keys(src).some((k) => set(k as keyof typeof src)))
        f.required(fat, '`from.source` must not be empty');
      for (const key of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'] as const) {
        src[key]?.forEach((ip, n) => {
          const problem = ip === '' ? `empty value not allowed, found in ${key}` : ipOrCidrProblem(ip);
          if (problem) f.invalid([...fat, key, n], problem);
        });
      }
      for (const key of [
        'principals',
        'notPrincipals',
        'requestPrincipals',
        'notRequestPrincipals',
        'namespaces',
        'notNamespaces',
      ] as const) {
        src[key]?.forEach((v, n) => {
          if (v === '') f.invalid([...fat, key, n], `empty value not allowed, found in ${key}`);
        });
      }
      checkServiceAccounts(f, fat, src);
      checkTrustDomains(f, fat, src);
      const tcp = [
        'principals',
        'notPrincipals',
        'ipBlocks',
        'notIpBlocks',
        'namespaces',
        'notNamespaces',
        'remoteIpBlocks',
        'notRemoteIpBlocks',
        'serviceAccounts',
        'notServiceAccounts',
      ] as const;
      if (tcp.some((k) => src[k] !== undefined)) tcpInFrom = true;
      else fromHttpOnly = true;
    });
    if (rule.to !== undefined && rule.to.length === 0) f.required([...at, 'to'], '`to` must not be empty');
    let toExists = false;
    let tcpInTo = false;
    rule.to?.forEach((to, j) => {
      const tat = [...at, 'to', j, 'operation'];
      const op = to.operation;
      if (!op) {
        f.required(tat, '`to.operation` must not be nil');
        return;
      }
      toExists = true;
      if (!Object.values(op).some((v) => (v?.length ?? 0) > 0))
        f.required(tat, '`to.operation` must not be empty');
      for (const key of ['ports', 'notPorts'] as const) {
        op[key]?.forEach((port, n) => {
          const num = Number(port);
          if (!/^\d+$/.test(port) || num > 65535)
            f.invalid([...tat, key, n], `bad port (${port}): ports are numbers 0..65535`);
        });
      }
      for (const key of ['methods', 'notMethods', 'hosts', 'notHosts', 'paths', 'notPaths'] as const) {
        op[key]?.forEach((v, n) => {
          if (v === '') f.invalid([...tat, key, n], `empty value not allowed, found in ${key}`);
        });
      }
      checkPaths(f, [...tat, 'paths'], op.paths);
      checkPaths(f, [...tat, 'notPaths'], op.notPaths);
      if (op.ports !== undefined || op.notPorts !== undefined) tcpInTo = true;
    });
    rule.when?.forEach((c, j) => {
      checkCondition(f, [...at, 'when', j], c);
    });
    if (action === 'DENY' && ((fromHttpOnly && !toExists && !tcpInFrom) || (toExists && !tcpInTo))) {
      f.warn(
        at,
        'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port',
      );
    }
  });
}

/** CUSTOM (ext-authz) only sees request attributes, not the peer's identity. */
function checkCustomRules(f: Findings, spec: AuthorizationPolicySpec): void {
  (spec.rules ?? []).forEach((rule, i) => {
    rule.from?.forEach((from, j) => {
      const src = from.source ?? {};
      for (const key of [
        'namespaces',
        'notNamespaces',
        'serviceAccounts',
        'notServiceAccounts',
        'trustDomains',
        'notTrustDomains',
        'principals',
        'notPrincipals',
        'requestPrincipals',
        'notRequestPrincipals',
      ] as const) {
        if ((src[key]?.length ?? 0) > 0)
          f.notSupported(
            ['spec', 'rules', i, 'from', j, 'source', key],
            `${key} is currently not supported with CUSTOM action`,
          );
      }
    });
    rule.when?.forEach((c, j) => {
      const key = c.key ?? '';
      const unsupported =
        ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'].includes(
          key,
        ) || key.startsWith('request.auth.');
      if (unsupported)
        f.notSupported(
          ['spec', 'rules', i, 'when', j, 'key'],
          `${key} is currently not supported with CUSTOM action`,
        );
    });
  });
}

/** Only Service, ServiceEntry, Gateway and GatewayClass, in the policy's own namespace. */
function checkTargetRef(f: Findings, at: Path, ref: PolicyTargetReference): void {
  if (!ref.name) f.required([...at, 'name'], 'targetRef name must be set');
  if (ref.namespace)
    f.invalid(
      [...at, 'namespace'],
      'targetRef namespace must not be set; cross namespace referencing is not supported',
    );
  const group = ref.group ?? '';
  const allowed = [
    ['', 'Service'],
    ['networking.istio.io', 'ServiceEntry'],
    ['gateway.networking.k8s.io', 'Gateway'],
    ['gateway.networking.k8s.io', 'GatewayClass'],
  ].some(([g, k]) => (g === group || (g === '' && group === 'core')) && k === ref.kind);
  if (!allowed) {
    f.notSupported(
      at,
      `targetRef must be to a Service, ServiceEntry, Gateway or GatewayClass but was ${group}/${ref.kind ?? ''}`,
    );
  }
}

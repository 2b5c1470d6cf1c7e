'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useCanWrite } from '@/features/auth/api/get-me';
import { ApiError, consoleError } from '@/lib/errors';
import { queryKeys } from '@/lib/query-keys';
import { revertChange } from '../api/history';
import { applyPolicy, checkPolicy, policyQueryOptions } from '../api/policies';
import { diffView } from '../model/diff';
import { toEditableYaml } from '../model/editable';
import { parsePolicyYaml } from '../model/parse-yaml';
import { POLICY_KINDS, type PolicyRef, refString, sameRef } from '../model/ref';
import { templateFor } from '../model/templates';
import type { HistoryItem, PolicyWriteRequest } from '../types';
import { HistoryPanel } from './history-panel';
import { marksFor, type StudioAction, type StudioOutput } from './output';
import { OutputPanel } from './output-panel';
import { PolicyList } from './policy-list';
import { useStudioUrl } from './use-studio-url';
import { YamlEditor } from './yaml-editor';
import './policies.css';

/** The stored object the editor's text is based on: an update sends its resourceVersion. */
interface Base {
  ref: PolicyRef;
  resourceVersion: string;
}

function failure(action: StudioAction, err: unknown, revertOf?: string): StudioOutput {
  if (err instanceof ApiError)
    return {
      type: 'failed',
      action,
      error: err.body,
      httpStatus: err.httpStatus,
      ...(revertOf ? { revertOf } : {}),
    };
  return {
    type: 'failed',
    action,
    error: consoleError('CONSOLE_UNREACHABLE', { detail: err instanceof Error ? err.message : String(err) }),
    httpStatus: 0,
  };
}

export function PoliciesPage() {
  const url = useStudioUrl();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const [text, setText] = useState('');
  const [base, setBase] = useState<Base | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [output, setOutput] = useState<StudioOutput>({ type: 'idle' });
  const [newKind, setNewKind] = useState<string>(url.kind ?? 'VirtualService');
  const busy = output.type === 'busy';

  const load = async (ref: PolicyRef) => {
    setLoaded(refString(ref));
    setOutput({ type: 'busy', action: 'open' });
    try {
      const detail = await queryClient.fetchQuery({ ...policyQueryOptions(ref), staleTime: 0 });
      setText(detail.yaml);
      setBase({ ref: detail.ref, resourceVersion: detail.resourceVersion });
      setOutput({ type: 'idle' });
    } catch (err) {
      setOutput(failure('open', err));
    }
  };

  // ?open= drives what is in the editor (a link or a reload opens the same object).
  const openKey = url.open ? refString(url.open) : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: load only when the URL names another object
  useEffect(() => {
    if (url.open && openKey !== loaded) void load(url.open);
  }, [openKey]);

  const parsed = useMemo(() => (text.trim() === '' ? null : parsePolicyYaml(text)), [text]);
  const marks = useMemo(() => marksFor(output, text), [output, text]);

  const request = (): PolicyWriteRequest | null => {
    if (!parsed?.ok) return null;
    return {
      yaml: text,
      resourceVersion: base && sameRef(base.ref, parsed.ref) ? base.resourceVersion : null,
    };
  };

  const needParsed = (action: StudioAction): boolean => {
    if (parsed?.ok) return true;
    setOutput({
      type: 'problems',
      action,
      problems: parsed
        ? parsed.problems
        : [{ line: null, message: 'The editor is empty: open a policy or start a new one.' }],
    });
    return false;
  };

  const onCheck = async () => {
    const req = request();
    if (!needParsed('check') || !req) return;
    setOutput({ type: 'busy', action: 'check' });
    try {
      setOutput({ type: 'checked', result: await checkPolicy(req) });
    } catch (err) {
      setOutput(failure('check', err));
    }
  };

  const onApply = async () => {
    const req = request();
    if (!needParsed('apply') || !req) return;
    setOutput({ type: 'busy', action: 'apply' });
    try {
      const result = await applyPolicy(req);
      setText(result.yaml);
      if (result.resourceVersion) setBase({ ref: result.ref, resourceVersion: result.resourceVersion });
      setLoaded(refString(result.ref));
      url.set({ open: result.ref });
      setOutput({ type: 'applied', result });
    } catch (err) {
      setOutput(failure('apply', err));
    }
    await queryClient.invalidateQueries({ queryKey: queryKeys.policies() });
  };

  const onDiff = async () => {
    if (!needParsed('diff') || !parsed?.ok) return;
    const ref = parsed.ref;
    setOutput({ type: 'busy', action: 'diff' });
    const next = toEditableYaml(parsed.object);
    try {
      const stored = await queryClient.fetchQuery({ ...policyQueryOptions(ref), staleTime: 0 });
      setOutput({
        type: 'diff',
        title: `Your text against the stored ${ref.kind} ${ref.namespace}/${ref.name} (resourceVersion ${stored.resourceVersion})`,
        view: diffView(stored.yaml, next),
      });
    } catch (err) {
      if (err instanceof ApiError && err.httpStatus === 404)
        setOutput({
          type: 'diff',
          title: `${ref.kind} ${ref.namespace}/${ref.name} is not stored yet: Apply creates it`,
          view: diffView('', next),
        });
      else setOutput(failure('diff', err));
    }
  };

  const onRevert = async (resourceVersion: string, force: boolean) => {
    setOutput({ type: 'busy', action: 'revert' });
    try {
      const result = await revertChange(resourceVersion, force);
      if (!base || sameRef(base.ref, result.ref)) {
        if (result.yaml !== null) {
          setText(result.yaml);
          if (result.resourceVersion) setBase({ ref: result.ref, resourceVersion: result.resourceVersion });
          setLoaded(refString(result.ref));
          url.set({ open: result.ref });
        } else setBase(null);
      }
      setOutput({ type: 'reverted', result });
    } catch (err) {
      setOutput(failure('revert', err, resourceVersion));
    }
    await queryClient.invalidateQueries({ queryKey: queryKeys.policies() });
  };

  const onShowChange = (item: HistoryItem) =>
    setOutput({
      type: 'diff',
      title: `Change ${item.resourceVersion} by ${item.actor} (${item.verb}): before → after`,
      view: diffView(item.beforeYaml ?? '', item.afterYaml ?? ''),
    });

  const onNew = () => {
    const kind = POLICY_KINDS.find((k) => k === newKind) ?? 'VirtualService';
    setText(templateFor(kind, url.namespace ?? 'default'));
    setBase(null);
    setLoaded(null);
    url.set({ open: null });
    setOutput({ type: 'idle' });
  };

  const editing = parsed?.ok ? parsed.ref : null;
  const historyFilter = base
    ? { kind: base.ref.kind, namespace: base.ref.namespace, name: base.ref.name }
    : { kind: url.kind, namespace: url.namespace, name: null };

  return (
    <section className="page ps-page">
      <header className="page-header">
        <div>
          <h1>Policy studio</h1>
          <p className="page-lead">
            Edit the mesh's Istio resources as YAML: check them with the control plane's validation and
            analysis, compare with what is stored, apply, and revert any recorded change.
          </p>
        </div>
      </header>

      <div className="toolbar ps-toolbar">
        <div className="ps-filters">
          <label>
            Kind
            <select
              value={url.kind ?? ''}
              onChange={(e) => url.set({ kind: e.target.value || null })}
              data-testid="kind-filter"
            >
              <option value="">All kinds</option>
              {POLICY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <label>
            Namespace
            <input
              className="ps-input"
              value={url.namespace ?? ''}
              placeholder="all"
              onChange={(e) => url.set({ namespace: e.target.value.trim() || null })}
              data-testid="namespace-filter"
            />
          </label>
        </div>
        <div className="ps-filters">
          <select
            value={newKind}
            onChange={(e) => setNewKind(e.target.value)}
            data-testid="new-kind"
            aria-label="Kind of the new policy"
          >
            {POLICY_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          <button type="button" className="button" onClick={onNew} data-testid="new-policy">
            New
          </button>
        </div>
      </div>

      <div className="ps-grid">
        <aside className="panel ps-side" aria-label="Policies">
          <h2 className="ps-section-title">Policies</h2>
          <PolicyList
            kind={url.kind}
            namespace={url.namespace}
            openRef={base?.ref ?? null}
            onOpen={(ref) => {
              url.set({ open: ref });
              void load(ref);
            }}
          />
        </aside>

        <div className="ps-main">
          <div className="panel ps-editor-panel">
            <div className="ps-editor-head">
              <span className="ps-editing" data-testid="editing">
                {editing ? (
                  <>
                    {editing.kind}{' '}
                    <strong>
                      {editing.namespace}/{editing.name}
                    </strong>
                    {base && sameRef(base.ref, editing) ? (
                      <span className="badge badge-muted" data-testid="base-version">
                        based on resourceVersion {base.resourceVersion}
                      </span>
                    ) : (
                      <span className="badge badge-muted">new object</span>
                    )}
                  </>
                ) : (
                  <span className="ps-muted">Open a policy from the list, or start a new one.</span>
                )}
              </span>
              <span className="ps-actions">
                <button
                  type="button"
                  className="button"
                  onClick={onCheck}
                  disabled={busy}
                  data-testid="check"
                >
                  Check
                </button>
                <button type="button" className="button" onClick={onDiff} disabled={busy} data-testid="diff">
                  Diff
                </button>
                <button
                  type="button"
                  className="button ps-primary"
                  onClick={onApply}
                  disabled={busy || !canWrite}
                  title={canWrite ? 'Write it to the control plane' : 'Operators only'}
                  data-testid="apply"
                >
                  Apply
                </button>
              </span>
            </div>
            <YamlEditor value={text} onChange={setText} marks={marks} />
          </div>
          <div className="panel ps-output" data-testid="output" aria-live="polite">
            <OutputPanel
              output={output}
              text={text}
              onReload={() => {
                const ref = parsed?.ok ? parsed.ref : base?.ref;
                if (ref) void load(ref);
              }}
              onForceRevert={(rv) => void onRevert(rv, true)}
            />
          </div>
          <HistoryPanel
            filter={historyFilter}
            canWrite={canWrite}
            busy={busy}
            onShow={onShowChange}
            onRevert={(item) => void onRevert(item.resourceVersion, false)}
          />
        </div>
      </div>
    </section>
  );
}

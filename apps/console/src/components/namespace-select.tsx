'use client';

/** The "Namespace" filter of a list or graph page: "" (all namespaces) or one of `namespaces`. */
export function NamespaceSelect({
  value,
  namespaces,
  onChange,
}: {
  value: string | null;
  namespaces: readonly string[];
  onChange: (namespace: string | null) => void;
}) {
  return (
    <label>
      Namespace{' '}
      <select
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value || null)}
        data-testid="namespace-filter"
      >
        <option value="">All namespaces</option>
        {namespaces.map((ns) => (
          <option key={ns} value={ns}>
            {ns}
          </option>
        ))}
      </select>
    </label>
  );
}

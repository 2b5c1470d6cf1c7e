'use client';

/** A whole-percent weight field (0–100), as the canary editor and the create panel both take one. */
export function PercentInput({
  value,
  onChange,
  label,
  testId,
  disabled = false,
}: {
  value: number;
  onChange: (next: number) => void;
  label: string;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <input
      type="number"
      min={0}
      max={100}
      step={1}
      className="split-number"
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value === '' ? 0 : Number(e.target.value))}
      aria-label={label}
      data-testid={testId}
    />
  );
}

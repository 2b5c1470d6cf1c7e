import type { FieldCause } from '../validation-types';

/** A position in an object: property names and array indexes, outermost first. */
export type Path = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats a path the way Kubernetes writes field paths in a Status: `spec.http[0].route[1].weight`;
 * map keys that are not identifiers go in brackets, as in `metadata.labels[app.kubernetes.io/name]`.
 */
export function fieldPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (out === '') out = part;
    else if (IDENTIFIER.test(part)) out += `.${part}`;
    else out += `[${part}]`;
  }
  return out;
}

/** Gathers every problem of one object, so a client sees all of them in one answer. */
export class Findings {
  readonly causes: FieldCause[] = [];
  readonly warnings: string[] = [];

  invalid(path: Path, message: string): void {
    this.causes.push({ reason: 'FieldValueInvalid', field: fieldPath(path), message });
  }

  required(path: Path, message: string): void {
    this.causes.push({ reason: 'FieldValueRequired', field: fieldPath(path), message });
  }

  duplicate(path: Path, message: string): void {
    this.causes.push({ reason: 'FieldValueDuplicate', field: fieldPath(path), message });
  }

  notSupported(path: Path, message: string): void {
    this.causes.push({ reason: 'FieldValueNotSupported', field: fieldPath(path), message });
  }

  /** A warning names its field first, as kubectl prints API warnings on one line. */
  warn(path: Path, message: string): void {
    const field = fieldPath(path);
    this.warnings.push(field === '' ? message : `${field}: ${message}`);
  }
}

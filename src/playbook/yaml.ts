/** Shapes of playbook values; files are read by the one YAML loader, src/yaml/read.ts. */
import { parseError } from '../core/errors.js';

export { isMapping } from '../core/mapping.js';

/** A string, or a list of strings, as a list; anything else is a parse error. */
export function stringList(value: unknown, file: string, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.map(String);
  }
  throw parseError(file, `${what} must be a string or a list of strings`);
}

/** A condition (`when`, `changed_when`, `failed_when`): a bool, string, or list of them. */
export function conditionList(value: unknown, file: string, what: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return [value ? 'True' : 'False'];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'boolean')) {
    return value.map((v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : v));
  }
  throw parseError(file, `${what} must be a condition string or a list of them`);
}

/** A plain mapping as YAML and JSON give it: an object that is not an array (null excluded). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

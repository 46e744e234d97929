/** Turns a zod error from a module's argument schema into one line naming the module. */
import type { ZodError, ZodIssue } from 'zod';

function describe(issue: ZodIssue): string {
  const where = issue.path.length > 0 ? `'${issue.path.join('.')}'` : '';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `'${k}'`).join(', ');
    return `unsupported argument${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return `missing required argument ${where}`;
  if (issue.code === 'invalid_type') return `${where || 'arguments'}: expected ${issue.expected}, got ${issue.received}`;
  if (issue.code === 'invalid_enum_value') return `${where}: must be one of ${issue.options.join(', ')}, got ${JSON.stringify(issue.received)}`;
  if (issue.code === 'invalid_union') {
    // Report the branch that got furthest rather than zod's "Invalid input".
    const inner = issue.unionErrors.flatMap((e) => e.issues).find((i) => i.code !== 'invalid_type');
    if (inner) return describe(inner);
    return `${where || 'arguments'}: wrong type`;
  }
  return where ? `${where}: ${issue.message}` : issue.message;
}

export function formatArgsError(moduleName: string, error: ZodError): string {
  const parts = [...new Set(error.issues.map(describe))];
  return `${moduleName}: ${parts.join('; ')}`;
}

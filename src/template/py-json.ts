/**
 * Python's json.dumps, as Ansible's to_json / to_nice_json call it: `, ` and `: ` separators by
 * default, non-ASCII escaped as \uXXXX (ensure_ascii), optional indent and sort_keys. Written by
 * hand because JSON.stringify has neither Python's separators nor ensure_ascii, and templates that
 * produce JSON must give the same bytes as under Ansible.
 */
export interface PyJsonOptions {
  indent?: number;
  sortKeys?: boolean;
  /** [item separator, key separator]; Python's default is [', ', ': '], with indent [',', ': ']. */
  separators?: [string, string];
  ensureAscii?: boolean;
  /** Called with the characters produced so far, before each value is added (a size limit may throw). */
  budget?: (chars: number) => void;
}

function pyString(s: string, ensureAscii: boolean): string {
  const json = JSON.stringify(s);
  return ensureAscii ? json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}

export function pyJsonDumps(value: unknown, o: PyJsonOptions = {}): string {
  const ensureAscii = o.ensureAscii ?? true;
  const [itemSep, keySep] = o.separators ?? (o.indent === undefined ? [', ', ': '] : [',', ': ']);
  let chars = 0;
  const dump = (v: unknown, depth: number): string => {
    chars += typeof v === 'string' ? v.length + 2 : 4;
    o.budget?.(chars);
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return pyNumber(v);
    if (typeof v === 'string') return pyString(v, ensureAscii);
    const open = o.indent === undefined ? '' : `\n${' '.repeat(o.indent * (depth + 1))}`;
    const close = o.indent === undefined ? '' : `\n${' '.repeat(o.indent * depth)}`;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${open}${v.map((x) => dump(x, depth + 1)).join(itemSep + open)}${close}]`;
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (o.sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (entries.length === 0) return '{}';
      chars += entries.reduce((n, [k]) => n + k.length + 4, 0);
      o.budget?.(chars);
      return `{${open}${entries.map(([k, x]) => `${pyString(k, ensureAscii)}${keySep}${dump(x, depth + 1)}`).join(itemSep + open)}${close}}`;
    }
    return pyString(String(v), ensureAscii);
  };
  return dump(value, 0);
}

/**
 * Host keys as Ansible's YAML inventory reads them: `name`, `name:port`, `[v6addr]:port` and
 * ranges `web[01:10].example.com`, `r[a:c]`, `h[1:9:2]` (ansible/inventory/helpers, expand_hostname_range).
 * Hand-written: it is a few lines of Ansible-specific syntax with no library equivalent.
 */

export interface HostKey {
  names: string[];
  port?: number;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Parses one host key of a `hosts:` mapping. Throws Error(message) on a bad range; the caller adds the file. */
export function parseHostKey(key: string): HostKey {
  let host = key.trim();
  let port: number | undefined;
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(host);
  if (bracketed && bracketed[1]!.includes(':')) {
    host = bracketed[1]!;
    if (bracketed[2]) port = Number(bracketed[2]);
    return { names: [host], port };
  }
  const colons = outsideBrackets(host).split(':').length - 1;
  if (colons === 1) {
    const m = /^(.+):(\d+)$/.exec(host);
    if (!m) throw new Error(`bad host '${key}': expected name or name:port`);
    host = m[1]!;
    port = Number(m[2]);
    if (port < 1 || port > 65535) throw new Error(`bad port in host '${key}'`);
  }
  return { names: hasRange(host) ? expandRange(host) : [host], port };
}

function outsideBrackets(s: string): string {
  return s.replace(/\[[^\]]*\]/g, '');
}

function hasRange(s: string): boolean {
  return /\[[^\]]*:[^\]]*\]/.test(s);
}

/** Expands the first `[begin:end(:step)]` range, then recurses for the rest. */
function expandRange(pattern: string): string[] {
  const m = /^(.*?)\[([^\]]*)\](.*)$/.exec(pattern);
  if (!m) return [pattern];
  const [, head, range, tail] = m as unknown as [string, string, string, string];
  const bounds = range.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new Error(`host range '[${range}]' must be begin:end or begin:end:step`);
  const beg = bounds[0] || '0';
  const end = bounds[1] ?? '';
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (!end) throw new Error(`host range '[${range}]' must specify an end value`);
  if (!Number.isInteger(step) || step < 1) throw new Error(`host range '[${range}]' has a bad step`);
  let values: string[];
  if (LETTERS.includes(beg) && LETTERS.includes(end) && beg.length === 1 && end.length === 1) {
    const b = LETTERS.indexOf(beg);
    const e = LETTERS.indexOf(end);
    if (b > e) throw new Error(`host range '[${range}]' must have begin <= end`);
    values = [];
    for (let i = b; i <= e; i += step) values.push(LETTERS[i]!);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) throw new Error(`host range '[${range}]' must be numeric or single letters`);
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    if (width && width !== end.length) throw new Error(`host range '[${range}]' must have begin and end of equal length`);
    values = [];
    for (let i = Number(beg); i <= Number(end); i += step) values.push(width ? String(i).padStart(width, '0') : String(i));
  }
  return values.flatMap((v) => {
    const name = `${head}${v}${tail}`;
    return hasRange(name) ? expandRange(name) : [name];
  });
}

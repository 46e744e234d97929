import type { Facts } from '../core/facts.js';
import type { FactSource } from './fact.js';

/** os-release(5): KEY=value lines, values optionally in double or single quotes. */
export function parseOsReleaseFields(output: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = match[2] ?? '';
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\$`])/g, '$1');
    }
    fields[match[1]!] = value;
  }
  return fields;
}

export function parseOsRelease(output: string): Facts['os'] {
  const fields = parseOsReleaseFields(output);
  return {
    id: fields.ID ?? '',
    versionId: fields.VERSION_ID ?? '',
    codename: fields.VERSION_CODENAME ?? '',
    prettyName: fields.PRETTY_NAME ?? '',
  };
}

export const osReleaseFact: FactSource<Facts['os']> = {
  name: 'os-release',
  command: 'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release',
  parse: parseOsRelease,
};

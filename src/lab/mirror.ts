import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProvError } from '../core/errors.js';

/**
 * The Debian mirror this machine already uses, read at run time from its own apt sources
 * (deb822 `.sources` files or one-line `.list` entries), so no mirror host is written in code.
 */
export function findDebianMirror(dir = '/etc/apt/sources.list.d', legacy = '/etc/apt/sources.list'): string {
  const candidates: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(dir).map((f) => join(dir, f));
  } catch {
    // no directory: fall back to the legacy file only
  }
  for (const file of [...files, legacy]) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (file.endsWith('.sources')) candidates.push(...mirrorsFromDeb822(text));
    else if (file.endsWith('.list')) candidates.push(...mirrorsFromOneLine(text));
  }
  const debian = candidates.find((uri) => /\/debian\/?$/.test(uri));
  if (!debian) {
    throw new ProvError('internal', `lab: no Debian mirror found in ${dir} (need a "URIs: …/debian" entry)`);
  }
  return debian;
}

/** URIs of enabled deb822 stanzas that carry Debian's suites (not -security). */
export function mirrorsFromDeb822(text: string): string[] {
  const out: string[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string) => stanza.match(new RegExp(`^${name}:\\s*(.+)$`, 'mi'))?.[1]?.trim();
    if (field('Enabled') === 'no') continue;
    if (!(field('Types') ?? '').split(/\s+/).includes('deb')) continue;
    for (const uri of (field('URIs') ?? '').split(/\s+/)) if (uri) out.push(uri);
  }
  return out;
}

export function mirrorsFromOneLine(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)/);
    if (m?.[1]) out.push(m[1]);
  }
  return out;
}

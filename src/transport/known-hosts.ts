/**
 * OpenSSH known_hosts: parsing, host matching and the verdict for a presented host key.
 *
 * Hand-written on purpose: no maintained npm library verifies a host key against known_hosts
 * files including hashed (`|1|salt|hmac`) entries, `[host]:port` names, negated patterns and
 * `@revoked` markers (ssh2 only hands us the raw key blob). The format is small and stable
 * (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"); everything here except load/record is pure.
 * `@cert-authority` lines are read but never match: prov does not verify host certificates.
 */
import { createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface KnownHostEntry {
  file: string;
  /** 1-based line number in `file`. */
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  /** The host field as written: a comma list of patterns, or one hashed `|1|salt|hash`. */
  hosts: string;
  keyType: string;
  /** Base64 of the public key blob. */
  key: string;
}

export type HostKeyVerdict =
  | { kind: 'ok'; entry: KnownHostEntry }
  | { kind: 'revoked'; entry: KnownHostEntry }
  | { kind: 'mismatch'; entry: KnownHostEntry }
  | { kind: 'unknown' };

/** Parses one known_hosts file; comments, blank and malformed lines are skipped. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift();
      if (name === '@revoked') marker = 'revoked';
      else if (name === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key || !/^[A-Za-z0-9+/]+=*$/.test(key)) return;
    if (keyTypeOfBlob(Buffer.from(key, 'base64')) !== keyType) return; // not a key of that type
    entries.push({ file, line: index + 1, marker, hosts, keyType, key });
  });
  return entries;
}

/** The name OpenSSH looks up and records: `addr` for port 22, `[addr]:port` otherwise. */
export function hostLookupName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

function hashedMatches(field: string, name: string): boolean {
  const parts = field.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1' || !parts[2] || !parts[3]) return false;
  const salt = Buffer.from(parts[2], 'base64');
  const digest = createHmac('sha1', salt).update(name).digest('base64');
  return digest === parts[3];
}

function wildcardMatches(pattern: string, name: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(name);
}

/** Whether an entry's host field names `name` (as built by hostLookupName). */
export function entryMatchesHost(entry: Pick<KnownHostEntry, 'hosts'>, name: string): boolean {
  if (entry.hosts.startsWith('|')) return hashedMatches(entry.hosts, name);
  const lower = name.toLowerCase();
  let matched = false;
  for (const raw of entry.hosts.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (pattern === '' || !wildcardMatches(pattern, lower)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** Decides what to do with the key a server presented for `name`. */
export function checkHostKey(entries: KnownHostEntry[], name: string, keyType: string, key: string): HostKeyVerdict {
  const forHost = entries.filter((e) => entryMatchesHost(e, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key === key);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === null);
  const exact = plain.find((e) => e.keyType === keyType && e.key === key);
  if (exact) return { kind: 'ok', entry: exact };
  const differing = plain.find((e) => e.keyType === keyType) ?? plain[0];
  if (differing) return { kind: 'mismatch', entry: differing };
  return { kind: 'unknown' };
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return '';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** The line recorded for a newly trusted key. */
export function knownHostLine(name: string, keyType: string, key: string): string {
  return `${name} ${keyType} ${key}`;
}

/** Host-key algorithms that produce each known_hosts key type, in OpenSSH's preference order. */
const algorithmsOfKeyType: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};
const defaultHostKeyAlgorithms = Object.values(algorithmsOfKeyType).flat();

/**
 * Host-key algorithms to offer, the types already known for `name` first (as OpenSSH does), so
 * that a server with several host keys presents the one we can check. Undefined: library default.
 */
export function preferredHostKeyAlgorithms(entries: KnownHostEntry[], name: string): string[] | undefined {
  const known = entries.filter((e) => e.marker === null && entryMatchesHost(e, name)).flatMap((e) => algorithmsOfKeyType[e.keyType] ?? []);
  if (known.length === 0) return undefined;
  return [...new Set([...known, ...defaultHostKeyAlgorithms])];
}

/** Reads and parses the given files; a missing file contributes nothing. */
export async function loadKnownHosts(files: string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    all.push(...parseKnownHosts(text, file));
  }
  return all;
}

/** Per file, the record in progress: connections to one address record one after another. */
const recording = new Map<string, Promise<void>>();

/**
 * Appends one line to a known_hosts file, creating it (and its directory, mode 700) if needed,
 * unless the file already trusts that key for that name (several inventory hosts on one address
 * all see the key as new at once: it is written once). Records to one file are serialized.
 */
export function recordHostKey(file: string, line: string): Promise<void> {
  const previous = recording.get(file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => appendUnlessKnown(file, line));
  recording.set(file, next);
  const forget = () => {
    if (recording.get(file) === next) recording.delete(file);
  };
  next.then(forget, forget);
  return next;
}

async function appendUnlessKnown(file: string, line: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let current = '';
  try {
    current = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const [wanted] = parseKnownHosts(line, file);
  if (wanted) {
    const known = parseKnownHosts(current, file).some(
      (e) => e.marker === null && e.keyType === wanted.keyType && e.key === wanted.key && entryMatchesHost(e, wanted.hosts),
    );
    if (known) return;
  }
  const prefix = current !== '' && !current.endsWith('\n') ? '\n' : '';
  await appendFile(file, `${prefix}${line}\n`, { mode: 0o600 });
}

import test from 'ava';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkHostKey,
  entryMatchesHost,
  hostLookupName,
  keyTypeOfBlob,
  loadKnownHosts,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
  recordHostKey,
} from '../../../src/transport/known-hosts.js';

const file = new URL('fixtures/known_hosts', import.meta.url).pathname;
const entries = parseKnownHosts(readFileSync(file, 'utf8'), file);
const A = 'AAAAC3NzaC1lZDI1NTE5AAAAIH4a0jh7Es0w1uE7ugWuzPkYQozER6+eCFtTA4lt+Tli';
const B = 'AAAAC3NzaC1lZDI1NTE5AAAAIPAnmibm9XdP59CencM02OUq442VOT4kJsr3FBIKZPDk';
const revoked = 'AAAAC3NzaC1lZDI1NTE5AAAAIJgAVpaGqPIAwQY9rOiHyiaBnkSZiVCL/CW/W0NRZ7nh';

test('parses entries with line numbers and markers, skipping comments, blanks and junk', (t) => {
  t.deepEqual(
    entries.map((e) => [e.line, e.marker, e.keyType]),
    [
      [3, null, 'ssh-ed25519'],
      [4, null, 'ssh-ed25519'],
      [6, null, 'ssh-ed25519'],
      [7, 'revoked', 'ssh-ed25519'],
      [8, 'cert-authority', 'ssh-ed25519'],
      [9, null, 'ssh-ed25519'],
      [10, null, 'ssh-ed25519'],
      [11, null, 'ssh-ed25519'],
      [12, null, 'ssh-ed25519'],
      [14, null, 'ssh-rsa'],
      [15, null, 'ssh-rsa'],
    ],
  );
  t.is(entries[0]?.hosts, 'plain.example,10.0.0.5');
  t.is(entries[1]?.key, A);
});

test('lookup names use [addr]:port except for port 22', (t) => {
  t.is(hostLookupName('10.0.0.5', 22), '10.0.0.5');
  t.is(hostLookupName('10.0.0.6', 2222), '[10.0.0.6]:2222');
});

test('plain names, comma lists, ports, wildcards and negation', (t) => {
  const match = (hosts: string, name: string) => entryMatchesHost({ hosts }, name);
  t.true(match('plain.example,10.0.0.5', '10.0.0.5'));
  t.true(match('plain.example,10.0.0.5', 'PLAIN.example'));
  t.false(match('plain.example,10.0.0.5', '10.0.0.50'));
  t.true(match('[10.0.0.6]:2222', '[10.0.0.6]:2222'));
  t.false(match('[10.0.0.6]:2222', '10.0.0.6'));
  t.false(match('10.0.0.6', '[10.0.0.6]:2222'));
  t.true(match('*.wild.example,!bad.wild.example', 'a.wild.example'));
  t.false(match('*.wild.example,!bad.wild.example', 'bad.wild.example'));
  t.false(match('*.wild.example', 'wild.example'));
  t.true(match('10.0.0.?', '10.0.0.7'));
  t.false(match('10.0.0.?', '10.0.0.77'));
});

test('hashed entries (ssh-keygen -H) match exactly the names that were hashed', (t) => {
  const hashed = entries.filter((e) => e.hosts.startsWith('|1|'));
  t.is(hashed.length, 4);
  t.true(entryMatchesHost(hashed[0]!, 'gw.example'));
  t.true(entryMatchesHost(hashed[1]!, '192.0.2.10'));
  t.true(entryMatchesHost(hashed[2]!, '[192.0.2.11]:2222'));
  t.true(entryMatchesHost(hashed[3]!, '[hashed-b]:2200'));
  t.false(entryMatchesHost(hashed[0]!, 'gw.example.org'));
  t.false(entryMatchesHost(hashed[2]!, '192.0.2.11'));
  t.false(entryMatchesHost({ hosts: '|1|notbase64|' }, 'gw.example'));
});

test('verdicts: ok, mismatch with file and line, unknown, revoked', (t) => {
  t.like(checkHostKey(entries, '10.0.0.5', 'ssh-ed25519', A), { kind: 'ok', entry: { line: 3 } });
  t.like(checkHostKey(entries, 'gw.example', 'ssh-ed25519', A), { kind: 'ok', entry: { line: 9 } });
  t.like(checkHostKey(entries, '[hashed-b]:2200', 'ssh-ed25519', B), { kind: 'ok', entry: { line: 12 } });
  t.like(checkHostKey(entries, '[10.0.0.6]:2222', 'ssh-ed25519', B), { kind: 'mismatch', entry: { file, line: 4 } });
  t.like(checkHostKey(entries, 'gw.example', 'ssh-ed25519', B), { kind: 'mismatch', entry: { line: 9 } });
  // Known only with an RSA key, presenting ed25519: still a known host with another key.
  t.like(checkHostKey(entries, 'mixed.example', 'ssh-ed25519', A), { kind: 'mismatch', entry: { line: 15 } });
  t.deepEqual(checkHostKey(entries, '10.0.0.6', 'ssh-ed25519', A), { kind: 'unknown' });
  // @cert-authority lines are never trusted as plain keys.
  t.deepEqual(checkHostKey(entries, 'x.ca.example', 'ssh-ed25519', A), { kind: 'unknown' });
  t.like(checkHostKey(entries, 'anything', 'ssh-ed25519', revoked), { kind: 'revoked', entry: { line: 7 } });
});

test('keyTypeOfBlob reads the type inside the key blob', (t) => {
  t.is(keyTypeOfBlob(Buffer.from(A, 'base64')), 'ssh-ed25519');
  t.is(keyTypeOfBlob(Buffer.alloc(2)), '');
});

test('known key types are offered first as host-key algorithms', (t) => {
  t.is(preferredHostKeyAlgorithms(entries, 'unknown.example'), undefined);
  const rsa = preferredHostKeyAlgorithms(entries, 'rsa.example');
  t.deepEqual(rsa?.slice(0, 3), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  t.true(rsa?.includes('ssh-ed25519'));
  t.is(preferredHostKeyAlgorithms(entries, '10.0.0.5')?.[0], 'ssh-ed25519');
});

test('load skips missing files; record appends a line and keeps earlier content', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'prov-kh-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const target = join(dir, 'sub', 'known_hosts');
  t.deepEqual(await loadKnownHosts([join(dir, 'missing')]), []);
  await recordHostKey(target, `[10.0.0.9]:2222 ssh-ed25519 ${A}`);
  await writeFile(target, `${await readFile(target, 'utf8')}no-newline ssh-ed25519 ${B}`);
  await recordHostKey(target, `10.0.0.10 ssh-ed25519 ${B}`);
  const loaded = await loadKnownHosts([target, join(dir, 'missing')]);
  t.deepEqual(
    loaded.map((e) => [e.hosts, e.line]),
    [
      ['[10.0.0.9]:2222', 1],
      ['no-newline', 2],
      ['10.0.0.10', 3],
    ],
  );
});

test('a key recorded for one name by many connections at once is written once', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'prov-kh-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const target = join(dir, 'known_hosts');
  // Twenty inventory hosts on one address all see its key as new and record it concurrently.
  await Promise.all(Array.from({ length: 20 }, () => recordHostKey(target, `[127.0.0.1]:2222 ssh-ed25519 ${A}`)));
  // Later runs (and other names, or another key for the name) still append.
  await recordHostKey(target, `[127.0.0.1]:2222 ssh-ed25519 ${A}`);
  await recordHostKey(target, `[127.0.0.1]:2223 ssh-ed25519 ${A}`);
  await recordHostKey(target, `[127.0.0.1]:2222 ssh-ed25519 ${B}`);
  t.is(
    await readFile(target, 'utf8'),
    [`[127.0.0.1]:2222 ssh-ed25519 ${A}`, `[127.0.0.1]:2223 ssh-ed25519 ${A}`, `[127.0.0.1]:2222 ssh-ed25519 ${B}`, ''].join('\n'),
  );
});

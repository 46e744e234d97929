import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostVerifier, fingerprint } from '../../../src/transport/host-key-verifier.js';
import { parseKnownHosts } from '../../../src/transport/known-hosts.js';

const dir = mkdtempSync(join(tmpdir(), 'prov-hkv-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

function newKey(name: string): { line: string; blob: Buffer } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', file]);
  const [type, key] = readFileSync(`${file}.pub`, 'utf8').trim().split(' ');
  return { line: `${type} ${key}`, blob: Buffer.from(key!, 'base64') };
}

const known = newKey('known');
const other = newKey('other');
const entries = parseKnownHosts(`[10.0.0.1]:2222 ${known.line}\n`, '/etc/ssh/kh');

function verifier(trustNewHostKeys = false, recordFile = join(dir, 'record')) {
  return createHostVerifier({ host: 'r1', name: '[10.0.0.1]:2222', entries, trustNewHostKeys, recordFile });
}

test('fingerprints match ssh-keygen -l', (t) => {
  const listed = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'known.pub')], { encoding: 'utf8' });
  t.is(listed.split(' ')[1], fingerprint(known.blob));
});

test('the known key passes synchronously', (t) => {
  const v = verifier();
  t.true(v.verify(known.blob, () => t.fail()));
  t.is(v.refusal(), undefined);
});

test('another key for a known host is refused, naming file and line', (t) => {
  const v = verifier();
  t.false(v.verify(other.blob, () => t.fail()));
  t.is(
    v.refusal(),
    'r1: host key for [10.0.0.1]:2222 does not match /etc/ssh/kh:1 (possible man-in-the-middle); remove the old entry if the key changed on purpose',
  );
});

test('an unknown host is refused unless new keys are trusted, then recorded', async (t) => {
  const unknown = createHostVerifier({ host: 'r2', name: '10.0.0.2', entries, trustNewHostKeys: false, recordFile: '/x/known_hosts' });
  t.false(unknown.verify(other.blob, () => t.fail()));
  t.is(
    unknown.refusal(),
    `r2: host key for 10.0.0.2 is not known (ssh-ed25519 ${fingerprint(other.blob)}); add it to /x/known_hosts or rerun with --trust-new-host-keys`,
  );

  const recordFile = join(dir, 'trusted', 'known_hosts');
  const trusting = createHostVerifier({ host: 'r2', name: '10.0.0.2', entries, trustNewHostKeys: true, recordFile });
  const decided = new Promise<boolean>((resolve) => t.is(trusting.verify(other.blob, resolve), undefined));
  t.true(await decided);
  t.is(readFileSync(recordFile, 'utf8'), `10.0.0.2 ${other.line}\n`);
});

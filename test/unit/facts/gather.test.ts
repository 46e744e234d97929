import test from 'ava';
import { execFile } from 'node:child_process';
import { arch as nodeArch, hostname, release } from 'node:os';
import { factScript, gatherFacts, splitSections } from '../../../src/facts/gather.js';
import { parseAnsibleFacts } from '../../../src/facts/ansible/collect.js';
import type { ExecResult } from '../../../src/core/transport.js';
import { fixture } from './fixture.js';

function markerOf(script: string): string {
  const match = /__prov_fact_[0-9a-f]+__/.exec(script);
  if (!match) throw new Error('no marker in the fact script');
  return match[0];
}

/** An exec that answers with captured output, and counts its calls. */
function replay(stdout: string) {
  const calls: string[] = [];
  const exec = async (command: string): Promise<ExecResult> => {
    calls.push(command);
    return { stdout: stdout.replaceAll('__MARKER__', markerOf(command)), stderr: '', code: 0 };
  };
  return { exec, calls };
}

const neutral = {
  hostname: '',
  os: { id: '', versionId: '', codename: '', prettyName: '' },
  kernel: '',
  kernelVersion: '',
  arch: '',
  interfaces: [],
  routes: [],
  defaultInterface: null,
  initSystem: 'other',
  networkManager: 'unknown',
  dhcpClient: null,
  ansible: parseAnsibleFacts(''),
  ec2: null,
};

test('one exec gathers every fact from the captured Debian 12 output', async (t) => {
  const { exec, calls } = replay(fixture('gather-debian12-controller.txt'));
  const facts = await gatherFacts(exec);
  t.is(calls.length, 1);
  t.like(facts, {
    hostname: 'vm',
    os: { id: 'debian', versionId: '12', codename: 'bookworm' },
    kernel: '6.18.44-fc-v782',
    kernelVersion: '6.18.44',
    arch: 'x86_64',
    defaultInterface: 'eth0',
    initSystem: 'other',
    networkManager: 'unknown',
    dhcpClient: null,
  });
  t.deepEqual(
    facts.interfaces.map((i) => i.name),
    ['lo', 'ifb0', 'ifb1', 'eth0'],
  );
  t.is(facts.routes.length, 2);
});

test('a machine without the tools (empty or foreign output) gets neutral facts, not an error', async (t) => {
  t.deepEqual(await gatherFacts(replay('').exec), neutral);
  t.deepEqual(await gatherFacts(replay('sh: 1: ip: not found\nsegfault\n').exec), neutral);
  const onlyKernel = await gatherFacts(replay('\n__MARKER__ kernel\n5.10.0-28-cloud-amd64\n\n__MARKER__ routes\n{broken json').exec);
  t.deepEqual(onlyKernel, { ...neutral, kernel: '5.10.0-28-cloud-amd64', kernelVersion: '5.10.0' });
});

test('sections split on marker lines even after output without a final newline', (t) => {
  const marker = '__prov_fact_00__';
  const sections = splitSections(`\n${marker} a\nno newline\n${marker} b\n\n${marker} c\nlast\n`, marker);
  t.deepEqual(
    [...sections],
    [
      ['a', 'no newline'],
      ['b', ''],
      ['c', 'last\n'],
    ],
  );
  // A marker-like line from another run (different marker) stays part of the section.
  t.deepEqual([...splitSections(`\n${marker} a\n__prov_fact_11__ b\n`, marker)], [['a', '__prov_fact_11__ b\n']]);
});

test("the script reads no role's sysctls, packages or FRR version (modules declare those reads)", async (t) => {
  const { exec, calls } = replay('');
  await gatherFacts(exec);
  const script = calls[0]!;
  t.false(script.includes('/proc/sys/net/ipv4/ip_forward'));
  t.false(/dpkg-query[^\n]* frr\b/.test(script));
  t.false(script.includes('vtysh'));
});

test('the generated script runs under sh and reads this machine', async (t) => {
  const run = (command: string) =>
    new Promise<ExecResult>((resolve) =>
      execFile('sh', ['-c', command], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
        resolve({ stdout, stderr, code: err ? Number((err as { code?: number }).code ?? 1) : 0 }),
      ),
    );
  const facts = await gatherFacts(run);
  t.is(facts.hostname, hostname());
  t.is(facts.kernel, release());
  t.is(facts.arch, { x64: 'x86_64', arm64: 'aarch64' }[nodeArch()] ?? nodeArch());
  t.true(facts.interfaces.some((i) => i.name === 'lo' && i.addresses.some((a) => a.address === '127.0.0.1')));
});

test('factScript closes stdin and silences stderr per section', (t) => {
  const script = factScript('__prov_fact_ab__', [{ name: 'x', command: 'echo hi', parse: (s) => s }]);
  t.is(script, `printf '\\n%s %s\\n' __prov_fact_ab__ x\n{\necho hi\n} </dev/null 2>/dev/null`);
});

/**
 * Property test of every place that builds a command line or script from a value: each hostile
 * string (quotes, $(), backticks, ;, newlines, ${IFS}, globs, leading dashes, unicode) is fed to
 * the parameter, the generated script runs under real bash in a temp dir with the consuming
 * program replaced by a recorder, and the value must arrive verbatim with no side effect.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { networkManagerCommand } from '../../../src/facts/network-manager.js';
import { faultCommands } from '../../../src/chaos/faults.js';
import { commandModule, shellModule } from '../../../src/modules/command.js';
import { serviceModule } from '../../../src/modules/service.js';
import { sysctlModule } from '../../../src/modules/sysctl.js';
import { waitForModule, waitScript, type WaitForArgs } from '../../../src/modules/wait-for.js';
import { packageModule } from '../../../src/modules/package.js';
import { buildFileScript } from '../../../src/state/file-script.js';
import { buildReadScript } from '../../../src/state/read-script.js';
import { renderValue } from '../../../src/template/render.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { splitShellWords } from '../../../src/core/shell-words.js';
import { remoteCommand } from '../../../src/transport/remote-command.js';
import { shellJoin, shellQuote } from '../../../src/core/transport.js';
import { verifyCommands } from '../../../src/verify/commands.js';
import { connectionsScript, parseTarget } from '../../../src/verify/connections.js';
import { HOSTILE, PWNED, runEach, type BashRun } from '../../helpers/hostile.js';
import { moduleContext } from '../../helpers/module-macro.js';

const show = (v: string) => JSON.stringify(v);

function noSideEffect(t: ExecutionContext, r: BashRun, v: string): void {
  t.false(r.files.includes(PWNED), `${show(v)} ran something: ${PWNED} appeared`);
}

test('shellQuote and shellJoin: sh and bash see each value as one literal word', async (t) => {
  for (const shell of ['sh', 'bash'] as const) {
    for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: `printf '%s\\0' ${shellQuote(v)} ${shellJoin([v, '-x', v])}` }), { shell })) {
      noSideEffect(t, run, v);
      t.is(run.stdout, `${v}\0${v}\0-x\0${v}\0`, `${shell}: ${show(v)}`);
    }
  }
  t.throws(() => shellQuote('a\0b'), { message: /NUL byte/ });
});

test("the quote filter gives a word the shell reads back verbatim (Ansible's {{ x | quote }})", async (t) => {
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: renderValue('printf %s {{ v | quote }}', { v }) as string }))) {
    noSideEffect(t, run, v);
    t.is(run.stdout, v, show(v));
  }
});

type AnyModule = typeof commandModule | typeof serviceModule | typeof sysctlModule;

async function planCommands(module: AnyModule, args: unknown, machine = new FakeMachine()): Promise<string[]> {
  const parsed = module.schema.parse(args);
  const ctx = moduleContext({ module: module.name, args, expect: { changed: true } }, machine, false);
  const plan = await module.plan(parsed as never, ctx);
  return plan.actions.flatMap((a) => (a.kind === 'exec' ? [a.command] : []));
}

/** The plan's exec commands for every hostile value, as one script per value. */
async function planned(module: AnyModule, args: (v: string) => unknown, machine?: () => FakeMachine): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const v of HOSTILE) out.set(v, (await planCommands(module, args(v), machine?.())).join('\n'));
  return out;
}

test('command: argv words and a quoted value in cmd arrive verbatim; shell with | quote too', async (t) => {
  const argv = await planned(commandModule, (v) => ({ argv: ['printf', '%s\\0', v, v] }));
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: argv.get(v)! }))) {
    noSideEffect(t, run, v);
    t.is(run.stdout, `${v}\0${v}\0`, `argv ${show(v)}`);
  }
  for (const module of [commandModule, shellModule]) {
    const lines = await planned(module as AnyModule, (v) => ({ cmd: renderValue('printf %s {{ v | quote }}', { v }) }));
    for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: lines.get(v)! }))) {
      noSideEffect(t, run, v);
      t.is(run.stdout, v, `${module.name} cmd ${show(v)}`);
    }
  }
});

test('chdir and become_user arrive verbatim', async (t) => {
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: remoteCommand('pwd', { cwd: v }), setup: (dir) => mkdir(join(dir, v)) }))) {
    noSideEffect(t, run, v);
    t.is(run.stdout, `${join(run.dir, v)}\n`, `chdir ${show(v)}`);
  }
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: remoteCommand('id', { becomeUser: v }) }), { stubs: { sudo: 0 } })) {
    t.deepEqual(run.calls, [['sudo', '-n', '-H', '-u', v, '--', 'sh', '-c', 'id']], `become_user ${show(v)}`);
  }
});

test('command: a value pasted unquoted into cmd is split into words, never run by a shell', async (t) => {
  const args = (v: string) => ({ cmd: `printf %s. ${v}` });
  const accepted = HOSTILE.filter((v) => {
    const parsed = commandModule.schema.safeParse(args(v));
    if (!parsed.success) t.regex(parsed.error.issues[0]!.message, /closing quotation|escaped character/, show(v));
    return parsed.success;
  });
  t.true(accepted.length > HOSTILE.length / 2);
  const lines = new Map<string, string>();
  for (const v of accepted) lines.set(v, (await planCommands(commandModule, args(v))).join('\n'));
  for (const { v, run } of await runEach(accepted, (v) => ({ script: lines.get(v)! }))) {
    noSideEffect(t, run, v);
    t.is(
      run.stdout,
      splitShellWords(v)
        .map((w) => `${w}.`)
        .join(''),
      `words of ${show(v)}`,
    );
  }
});

test('wait_for: a host that is not a host name or IP address is refused; path and search_regex arrive verbatim', async (t) => {
  for (const v of HOSTILE) {
    const refused = waitForModule.schema.safeParse({ host: v, port: 22 });
    t.false(refused.success, `host ${show(v)} accepted`);
    if (!refused.success) t.regex(refused.error.issues[0]!.message, /not a host name or IP address/);
  }
  // Even if a value got past the schema, it reaches bash's /dev/tcp only as an argument.
  const base: WaitForArgs = waitForModule.schema.parse({ port: 22, timeout: 0, connect_timeout: 1 });
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: waitScript({ ...base, host: v }) }), { stubs: { timeout: 1 } })) {
    noSideEffect(t, run, v);
    t.deepEqual(run.calls, [['timeout', '1', 'bash', '-c', 'exec 3<>"/dev/tcp/$1/$2"', 'wait_for', v, '22']], `probe ${show(v)}`);
    t.is(run.code, 1);
  }
  const waitPath = (v: string) => waitScript(waitForModule.schema.parse({ path: v, timeout: 0 }));
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: waitPath(v), setup: (dir) => writeFile(join(dir, v), 'x') }))) {
    noSideEffect(t, run, v);
    t.is(run.code, 0, `path ${show(v)} not seen`);
  }
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: waitPath(v), setup: (dir) => writeFile(join(dir, 'decoy'), 'x') }))) {
    t.is(run.code, 1, `path ${show(v)} matched something else`);
  }
  const search = (v: string) => waitScript(waitForModule.schema.parse({ path: 'f', search_regex: v, timeout: 0 }));
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: search(v) }), { stubs: { grep: 0 } })) {
    noSideEffect(t, run, v);
    t.deepEqual(run.calls, [['grep', '-Eq', '--', v, 'f']], `search_regex ${show(v)}`);
  }
});

test('verify: a hostile traffic target is refused, and the probe passes the address as an argument', async (t) => {
  for (const v of HOSTILE) t.is(parseTarget(`${v}:9`), undefined, show(v));
  t.is(parseTarget("x';touch${IFS}/tmp/pwned;echo${IFS}'x:9"), undefined, "the issue's verify_peer_target");
  const probe = (v: string) => [
    'timeout',
    '3',
    'bash',
    '-c',
    'exec 3<>"/dev/tcp/$1/$2" && echo prov-verify >&3 && head -c 1 <&3 >/dev/null',
    'prov-verify',
    v,
    '9',
  ];
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: connectionsScript({ address: v, port: 9 }, 2) }), { stubs: { timeout: 0 } })) {
    noSideEffect(t, run, v);
    t.is(run.stdout, 'ok\nok\n');
    t.deepEqual(run.calls, [probe(v), probe(v)], show(v));
  }
  const supernet = (v: string) => verifyCommands('host', { vpcSupernet: v }).find((c) => c.key === 'supernetRoute')!.command;
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: supernet(v) }), { stubs: { ip: 0 } })) {
    noSideEffect(t, run, v);
    t.deepEqual(run.calls, [['ip', '-4', '-j', 'route', 'show', 'exact', v]]);
  }
  t.deepEqual(parseTarget('192.0.2.1:9000'), { address: '192.0.2.1', port: 9000 });
  t.deepEqual(parseTarget('[2001:db8::1]:80'), { address: '2001:db8::1', port: 80 });
  t.deepEqual(parseTarget('echo.example:7'), { address: 'echo.example', port: 7 });
});

test('file actions: path, content, owner, group and validate arrive verbatim', async (t) => {
  const write = (v: string) =>
    buildFileScript(
      [
        { kind: 'write', path: v, content: v, mode: '0640', owner: v, group: v, validate: `check ${shellQuote(v)} %s`, backup: true },
        { kind: 'mkdir', path: `${v}.d` },
      ],
      new Date(2024, 0, 31, 12, 0, 0),
    );
  const runs = await runEach(
    HOSTILE,
    (v) => ({
      script: write(v).script,
      stdin: write(v).stdin,
      setup: (dir) => writeFile(join(dir, v), 'old'),
      inspect: async (dir) => ({
        content: await readFile(join(dir, v), 'utf8'),
        backup: await readFile(join(dir, `${v}.2024-01-31@12:00:00~`), 'utf8'),
        isDir: (await stat(join(dir, `${v}.d`))).isDirectory(),
        mode: ((await stat(join(dir, v))).mode & 0o777).toString(8),
      }),
    }),
    { stubs: { chown: 0, chgrp: 0, check: 0 } },
  );
  for (const { v, run } of runs) {
    noSideEffect(t, run, v);
    t.is(run.code, 0, `${show(v)}: ${run.stderr}`);
    t.deepEqual(run.inspected, { content: v, backup: 'old', isDir: true, mode: '640' }, show(v));
    const byProgram = (p: string) => run.calls.filter((c) => c[0] === p).map((c) => c.slice(1));
    t.deepEqual(
      byProgram('chown')
        .filter((c) => c[0] === '--')
        .map((c) => c.slice(0, -1)),
      [['--', v]],
      `owner ${show(v)}`,
    );
    t.deepEqual(
      byProgram('chgrp').map((c) => c.slice(0, -1)),
      [['--', v]],
      `group ${show(v)}`,
    );
    // As in Ansible, every %s of validate is the candidate file, even one inside a quoted word.
    const [[arg, candidate] = []] = byProgram('check');
    t.is(arg, v.split('%s').join(candidate), `validate ${show(v)}`);
    t.regex(candidate ?? '', /^\.\/\.prov\./);
  }
  for (const { v, run } of await runEach(HOSTILE, (v) => ({
    script: buildFileScript([{ kind: 'remove', path: v }]).script,
    setup: (dir) => writeFile(join(dir, v), 'x'),
  }))) {
    noSideEffect(t, run, v);
    t.false(run.files.includes(v), `remove ${show(v)}`);
  }
});

test('read script: file, stat and query answers for a hostile path are its own', async (t) => {
  for (const perFile of [false, true]) {
    const reads = new Map(
      HOSTILE.map((v) => [
        v,
        buildReadScript(
          [
            { kind: 'file', path: v },
            { kind: 'stat', path: v },
            { kind: 'query', command: `printf %s ${shellQuote(v)}` },
          ],
          { perFile },
        ),
      ]),
    );
    for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: reads.get(v)!.script, setup: (dir) => writeFile(join(dir, v), v) }), { shell: 'sh' })) {
      noSideEffect(t, run, v);
      const [file, st, query] = reads.get(v)!.parse(run);
      t.deepEqual(file, { kind: 'file', content: Buffer.from(v) }, show(v));
      t.is(st?.kind === 'stat' ? st.stat?.type : undefined, 'file', show(v));
      t.is(query?.kind === 'query' ? query.result.stdout : undefined, v, show(v));
    }
  }
});

test('service: the unit name reaches systemctl as one word after --', async (t) => {
  const args = (v: string) => ({ name: v, state: 'started', enabled: true });
  const queries = (v: string) => serviceModule.reads!(serviceModule.schema.parse(args(v))).flatMap((q) => (q.kind === 'query' ? [q.command] : []));
  const actions = await planned(serviceModule, args, () => new FakeMachine({ responders: [{ match: /systemctl/, respond: 'unknown' }] }));
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: [...queries(v), actions.get(v)!].join('\n') }), { stubs: { systemctl: 0 } })) {
    noSideEffect(t, run, v);
    t.deepEqual(
      run.calls.map((c) => c.join(' ')).sort(),
      ['is-active', 'is-enabled', 'enable', 'start'].map((verb) => `systemctl ${verb} -- ${v}`).sort(),
      show(v),
    );
  }
});

test('names that must be plain are refused: sysctl name, package name', (t) => {
  for (const v of HOSTILE) {
    t.false(sysctlModule.schema.safeParse({ name: v, value: '1' }).success, `sysctl ${show(v)}`);
    t.false(packageModule.schema.safeParse({ name: v }).success, `package ${show(v)}`);
  }
});

test('sysctl value and chaos interface arrive verbatim', async (t) => {
  const set = await planned(
    sysctlModule,
    (v) => ({ name: 'net.ipv4.ip_forward', value: `x${v}x` }),
    () => new FakeMachine({ dirs: ['/etc'], responders: [{ match: /sysctl/, respond: '0' }] }),
  );
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: set.get(v)! }), { stubs: { sysctl: 0 } })) {
    noSideEffect(t, run, v);
    // Ansible's value normalisation joins runs of whitespace; everything else is kept.
    t.deepEqual(run.calls, [['sysctl', '-w', `net.ipv4.ip_forward=${`x${v}x`.split(/\s+/).join(' ')}`]], show(v));
  }
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: faultCommands('link', v).inject }), { stubs: { ip: 0 } })) {
    noSideEffect(t, run, v);
    t.deepEqual(run.calls, [['ip', 'link', 'set', 'dev', v, 'down']], show(v));
  }
});

test('the network-manager probe reads files under a hostile root directory', async (t) => {
  const setup = (v: string) => async (dir: string) => {
    await mkdir(join(dir, v, 'etc/network'), { recursive: true });
    await writeFile(join(dir, v, 'etc/network/interfaces'), 'iface eth0 inet dhcp\n');
  };
  for (const { v, run } of await runEach(HOSTILE, (v) => ({ script: networkManagerCommand(v), setup: setup(v) }), { shell: 'sh' })) {
    noSideEffect(t, run, v);
    t.true(run.stdout.split('\n').includes('ifupdown-dhcp'), `${show(v)}: ${run.stdout}`);
  }
});

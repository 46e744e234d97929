import test from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection } from '../../src/inventory/types.js';
import { createRemoteDriver } from '../../src/state/driver.js';
import { createSshTransport } from '../../src/transport/ssh.js';
import type { Transport } from '../../src/core/transport.js';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { loopbackInventory, startSshdTarget, stopSshdTarget, type Sshd } from '../helpers/sshd.js';

/**
 * Files move as bytes over real SSH (issue 10, item 6): a binary file copied from the controller
 * arrives byte for byte and a rerun changes nothing; lineinfile on a Latin-1 file keeps the other
 * lines' bytes; --check --diff of a changed binary file says "Binary files ... differ". Everything
 * is written under a temp dir.
 */
let sshd: Sshd;
let work: string;

test.before(async () => {
  ({ sshd, work } = await startSshdTarget('prov-it-bytes-'));
});
test.after.always(() => stopSshdTarget({ sshd, work }));

/** Latin-1 bytes: "# café\n" "old=1\n" "# naïve\n" */
const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nold=1\n# na'), Buffer.from([0xef]), Buffer.from('ve\n')]);

const PLAYBOOK = `
- hosts: all
  tasks:
    - name: a binary file
      copy: { src: file.bin, dest: "{{ work }}/file.bin" }
    - name: a line in a Latin-1 file
      lineinfile: { path: "{{ work }}/latin1.conf", regexp: "^old=", line: "new=2" }
`;

test.serial('copy of a binary file is byte-identical with changed=0 on rerun; lineinfile keeps Latin-1 bytes; --check --diff says binary', async (t) => {
  const bytes = randomBytes(4096);
  await writeFile(join(work, 'latin1.conf'), latin1);
  const p = await makeProject({
    'inventory.yml': loopbackInventory(sshd, { vars: { work } }),
    'site.yml': PLAYBOOK,
  });
  t.teardown(p.remove);
  await mkdir(p.path('files'));
  await writeFile(p.path('files/file.bin'), bytes);

  const first = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')]);
  t.is(first.code, 0, first.stdout + first.stderr);
  t.regex(first.stdout, /box\s+: ok=2 changed=2 unreachable=0 failed=0/);
  const written = await readFile(join(work, 'file.bin'));
  t.is(written.length, 4096);
  t.true(written.equals(bytes), 'the binary file arrived byte for byte');
  const expectedLatin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nnew=2\n# na'), Buffer.from([0xef]), Buffer.from('ve\n')]);
  t.deepEqual(await readFile(join(work, 'latin1.conf')), expectedLatin1, 'the other lines of the Latin-1 file kept their bytes');

  const second = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '--json']);
  t.is(second.code, 0, second.stderr);
  const doc = JSON.parse(second.stdout) as { stats: Record<string, { changed: number }> };
  t.is(doc.stats.box!.changed, 0, 'a rerun changes nothing');

  const changed = Buffer.from(bytes);
  changed[2048] = changed[2048]! ^ 0xff;
  await writeFile(p.path('files/file.bin'), changed);
  const check = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '--check', '--diff']);
  t.is(check.code, 0, check.stderr);
  t.regex(check.stdout, new RegExp(`Binary files before: ${work}/file\\.bin and after: ${work}/file\\.bin differ`));
  t.notRegex(check.stdout, /\ufffd/);
  t.regex(check.stdout, /box\s+: ok=2 changed=1 /);
  t.true((await readFile(join(work, 'file.bin'))).equals(bytes), 'check mode changed nothing');
});

for (const execMode of ['shell', 'channel'] as const) {
  test.serial(`[${execMode}] binary writes and batched reads over SSH carry exact bytes in one round trip`, async (t) => {
    const conn: Connection = {
      kind: 'ssh',
      address: '127.0.0.1',
      port: sshd.port,
      user: 'root',
      privateKeyFile: sshd.keyFile,
      knownHostsFile: sshd.knownHostsFile,
      become: false,
      becomeUser: 'root',
    };
    const ssh = createSshTransport('box', conn, { execMode, knownHostsFiles: [sshd.knownHostsFile] });
    t.teardown(() => ssh.close());
    let execs = 0;
    const counting: Transport = {
      host: ssh.host,
      connect: () => ssh.connect(),
      close: () => ssh.close(),
      exec: (command, options) => {
        execs++;
        return ssh.exec(command, options);
      },
    };
    const driver = createRemoteDriver(counting);
    const dir = join(work, `rw-${execMode}`);
    await mkdir(dir);
    const files = { bin: randomBytes(4096), latin1, nul: Buffer.from([0, 0, 0x0a, 0xff]) };
    await driver.execute(Object.entries(files).map(([name, content]) => ({ kind: 'write' as const, path: join(dir, name), content })));
    for (const [name, content] of Object.entries(files)) t.deepEqual(await readFile(join(dir, name)), content, `${name} written exactly`);

    const before = execs;
    await driver.prefetch(Object.keys(files).map((name) => ({ kind: 'file' as const, path: join(dir, name) })));
    t.is(execs - before, 1, 'one round trip for every read');
    for (const [name, content] of Object.entries(files)) t.deepEqual(await driver.state.readFile(join(dir, name)), content, `${name} read back exactly`);
    t.is(execs - before, 1);

    const err = await t.throwsAsync(ssh.exec(`touch ${dir}/a\0b`));
    t.is(err?.message, 'box: a command or path contains a NUL byte; refused');
    t.deepEqual((await readdir(dir)).sort(), ['bin', 'latin1', 'nul'], 'nothing was created, under either name');
  });
}

import test from 'ava';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { startSshdTarget, stopSshdTarget, type Sshd } from '../helpers/sshd.js';

/**
 * Hostile input that reaches the target (issue 15, section 4), over the real loopback sshd:
 * shell metacharacters and newlines in variables arrive literally in a command's arguments, in
 * a file name, a file's content and a lineinfile line (no `$(...)` runs: the marker file stays
 * absent); a NUL byte, which no argument can carry, is refused naming the task; a missing or
 * malformed key and an ansible_user that does not exist make the host unreachable (exit 3) with
 * one line naming the file or the user.
 */
let sshd: Sshd;
let work: string;

test.before(async () => {
  ({ sshd, work } = await startSshdTarget('prov-it-hostile-ssh-'));
});
test.after.always(() => stopSshdTarget({ sshd, work }));

const NASTY = `a b;c|d&e $(touch ${'PWNED'}) \`touch PWNED2\` 'q' "dq" \\ * ? ~ $HOME %s\nsecond line\ttab`;

function inventory(host: Record<string, string> = {}): string {
  const vars = { ansible_user: 'root', ansible_ssh_private_key_file: sshd.keyFile, ...host };
  return `all:
  hosts:
    box:
      ansible_host: 127.0.0.1
      ansible_port: ${sshd.port}
      prov_known_hosts_file: ${sshd.knownHostsFile}
${Object.entries(vars)
  .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`)
  .join('')}`;
}

test.serial('metacharacters and newlines in variables arrive literally: argv, file name, content, lineinfile', async (t) => {
  const p = await makeProject({
    'inventory.yml': inventory(),
    'vars.json': JSON.stringify({ nasty: NASTY, fname: "f;$(touch PWNED3) 'x'" }),
    'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: { argv: [printf, "%s", "{{ nasty }}"] }
      register: echoed
    - copy: { dest: "{{ work }}/argv.out", content: "{{ echoed.stdout }}" }
    - copy: { dest: "{{ work }}/{{ fname }}", content: "{{ nasty }}" }
    - lineinfile: { path: "{{ work }}/line.conf", line: "v={{ nasty | replace('\\n', ' ') }}", create: true }
    - shell: "printf '%s' {{ nasty | quote }} > {{ work }}/shell.out"
`,
  });
  t.teardown(p.remove);
  const r = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '-e', `@${p.path('vars.json')}`, '-e', `work=${work}`], {
    env: { ANSIBLE_CONFIG: '' },
  });
  t.is(r.code, 0, r.stdout + r.stderr);
  t.is(await readFile(join(work, 'argv.out'), 'utf8'), NASTY, 'a command argument');
  t.is(await readFile(join(work, "f;$(touch PWNED3) 'x'"), 'utf8'), NASTY, 'a file name and content');
  t.is(await readFile(join(work, 'line.conf'), 'utf8'), `v=${NASTY.replace('\n', ' ')}\n`, 'a lineinfile line');
  t.is(await readFile(join(work, 'shell.out'), 'utf8'), NASTY, 'a shell command with | quote');
  const files = await readdir(work);
  t.false(
    files.some((f) => f.startsWith('PWNED')),
    'no substitution ran',
  );
  const home = await readdir(process.env.HOME ?? '/root');
  t.false(
    home.some((f) => f.startsWith('PWNED')),
    'not in the login directory either',
  );
});

test.serial('a NUL byte in a command argument is refused naming the task, nothing runs', async (t) => {
  const p = await makeProject({
    'inventory.yml': inventory(),
    'vars.json': JSON.stringify({ nul: 'before\u0000after' }),
    'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: echo a NUL
      command: { argv: [touch, "{{ work }}/nul-{{ nul }}"] }
`,
  });
  t.teardown(p.remove);
  const r = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '-e', `@${p.path('vars.json')}`, '-e', `work=${work}`], {
    env: { ANSIBLE_CONFIG: '' },
  });
  t.is(r.code, 2, r.stdout + r.stderr);
  t.regex(r.stdout, /TASK \[echo a NUL\][^\n]*\n(?:[^\n]*\n)*?fatal: \[box\]: FAILED! [^\n]*NUL/);
  t.false(
    (await readdir(work)).some((f) => f.startsWith('nul-')),
    'not truncated at the NUL and run',
  );
});

const UNREACHABLE_CASES: Array<{
  title: string;
  vars: (dir: string) => Record<string, string>;
  setup?: (dir: string) => Promise<void>;
  error: (dir: string) => RegExp;
}> = [
  {
    title: 'a missing key file',
    vars: (d) => ({ ansible_ssh_private_key_file: join(d, 'no-such-key') }),
    error: (d) => new RegExp(`${join(d, 'no-such-key')}`),
  },
  {
    title: 'a key file that is not a key',
    vars: (d) => ({ ansible_ssh_private_key_file: join(d, 'garbage.key') }),
    setup: (d) => writeFile(join(d, 'garbage.key'), 'this is not a private key\n'),
    error: (d) => new RegExp(`${join(d, 'garbage.key')}`),
  },
  {
    title: 'an ansible_user that does not exist',
    vars: () => ({ ansible_user: 'no-such-user-prov' }),
    error: () => /no-such-user-prov/,
  },
];

for (const c of UNREACHABLE_CASES) {
  test.serial(`${c.title}: unreachable (exit 3), one line naming it, nothing written`, async (t) => {
    const p = await makeProject({ 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: "{{ work }}/unreach", content: "x" }\n' });
    t.teardown(p.remove);
    await c.setup?.(p.dir);
    await writeFile(p.path('inventory.yml'), inventory(c.vars(p.dir)));
    const r = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '-e', `work=${work}`], { env: { ANSIBLE_CONFIG: '' }, timeoutMs: 120_000 });
    t.is(r.code, 3, r.stdout + r.stderr);
    const line = (r.stdout + r.stderr).split('\n').find((l) => l.includes('UNREACHABLE') || l.startsWith('ERROR!'));
    t.truthy(line, r.stdout + r.stderr);
    t.regex(line!, c.error(p.dir));
    t.notRegex(r.stdout + r.stderr, /\n\s+at .+:\d+:\d+\)?\n|internal error/);
    t.false((await readdir(work)).includes('unreach'));
  });
}

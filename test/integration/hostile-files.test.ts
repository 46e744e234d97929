import test from 'ava';
import { mkdir, mkdtemp, readdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { boundedProv } from '../helpers/bounded-cli.js';

/**
 * Hostile and malformed files in every place the engine reads one (issue 15, section 4), run
 * through the real CLI with a 256 MiB heap and a timeout, on `ansible_connection: local` with
 * an output directory that must stay empty: each run ends with one line on stderr,
 * `ERROR! <file>[:line]: …` naming the file (or the flag), the exit code of the contract
 * (4 parse, 5 options), no stack trace, and nothing written.
 * (Tests run as root, for whom mode 000 does not stop a read: "unreadable" is a symlink loop.)
 */

type Files = Record<string, string | Buffer>;

interface HostileCase {
  title: string;
  files: Files;
  /** Arguments after `apply`; `@` is replaced by the project directory. */
  args: string[];
  env?: Record<string, string>;
  setup?: (dir: string) => Promise<void>;
  code: number;
  /** The error line after `ERROR! `, with `@` for the project directory. */
  error: RegExp | ((dir: string) => RegExp);
}

const INVENTORY = 'all:\n  hosts:\n    box:\n      ansible_connection: local\n';
const PLAY = '- hosts: all\n  gather_facts: no\n  tasks:\n    - copy: { dest: "{{ out }}/x", content: "x" }\n';
const ROLE_PLAY = '- hosts: all\n  gather_facts: no\n  roles: [r]\n';
const ROLE_TASK = '- copy: { dest: "{{ out }}/x", content: "x" }\n';

function billionLaughs(key = 'a'): string {
  const lines = [`${key}0: &${key}0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i < 9; i++)
    lines.push(
      `${key}${i}: &${key}${i} [${Array(9)
        .fill(`*${key}${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}
const bombList = () => `- x: 1\n${billionLaughs().replace(/^/gm, '  ')}`;
const deepFlow = (n: number) => `x: ${'['.repeat(n)}${']'.repeat(n)}\n`;
const deepBlock = (n: number) => `x:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(2 * i + 2)}k:\n`).join('')}`;
const latin1 = (text: string) => Buffer.from(text, 'latin1');
const BINARY = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xfe, 0x00, 0x80, 0x0a, 0xc3, 0x28]);
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const at = (dir: string, re: string) => new RegExp(`^${re.replace(/@(?=\/)/g, esc(dir))}`);

const NAMES = 'must name the file';

const CASES: HostileCase[] = [
  // --- alias bombs (billion laughs) in every YAML the engine reads ---
  {
    title: 'alias bomb: inventory',
    files: { 'inv.yml': `${INVENTORY}  vars:\n${billionLaughs().replace(/^/gm, '    ')}`, 'site.yml': PLAY },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/inv.yml:\\d+: YAML aliases expand to more than \\d+ nodes'),
  },
  {
    title: 'alias bomb: host_vars',
    files: { 'inv.yml': INVENTORY, 'host_vars/box.yml': billionLaughs(), 'site.yml': PLAY },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/host_vars/box.yml:\\d+: YAML aliases expand'),
  },
  {
    title: 'alias bomb: group_vars directory file',
    files: { 'inv.yml': INVENTORY, 'group_vars/all/10-bomb.yml': billionLaughs(), 'site.yml': PLAY },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/group_vars/all/10-bomb.yml:\\d+: YAML aliases expand'),
  },
  {
    title: 'alias bomb: playbook',
    files: { 'inv.yml': INVENTORY, 'site.yml': `${PLAY}  vars:\n${billionLaughs().replace(/^/gm, '    ')}` },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/site.yml:\\d+: YAML aliases expand'),
  },
  {
    title: 'alias bomb: role tasks',
    files: { 'inv.yml': INVENTORY, 'site.yml': ROLE_PLAY, 'roles/r/tasks/main.yml': `- debug:\n    msg:\n${billionLaughs().replace(/^/gm, '      ')}` },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/roles/r/tasks/main.yml:\\d+: YAML aliases expand'),
  },
  {
    title: 'alias bomb: role defaults',
    files: { 'inv.yml': INVENTORY, 'site.yml': ROLE_PLAY, 'roles/r/tasks/main.yml': ROLE_TASK, 'roles/r/defaults/main.yml': billionLaughs() },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/roles/r/defaults/main.yml:\\d+: YAML aliases expand'),
  },
  {
    title: 'alias bomb: role vars',
    files: { 'inv.yml': INVENTORY, 'site.yml': ROLE_PLAY, 'roles/r/tasks/main.yml': ROLE_TASK, 'roles/r/vars/main.yml': billionLaughs() },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/roles/r/vars/main.yml:\\d+: YAML aliases expand'),
  },
  {
    title: 'alias bomb: role handlers',
    files: { 'inv.yml': INVENTORY, 'site.yml': ROLE_PLAY, 'roles/r/tasks/main.yml': ROLE_TASK, 'roles/r/handlers/main.yml': bombList() },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/roles/r/handlers/main.yml:\\d+: YAML aliases expand'),
  },
  {
    title: 'alias bomb: role meta',
    files: { 'inv.yml': INVENTORY, 'site.yml': ROLE_PLAY, 'roles/r/tasks/main.yml': ROLE_TASK, 'roles/r/meta/main.yml': billionLaughs() },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/roles/r/meta/main.yml:\\d+: YAML aliases expand'),
  },
  {
    title: 'alias bomb: vars_files',
    files: { 'inv.yml': INVENTORY, 'v.yml': billionLaughs(), 'site.yml': PLAY.replace('  tasks:', '  vars_files: [v.yml]\n  tasks:') },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/v.yml:\\d+: YAML aliases expand'),
  },
  {
    title: 'alias bomb: -e @file',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY, 'e.yml': billionLaughs() },
    args: ['@/inv.yml', '@/site.yml', '-e', '@@/e.yml'],
    code: 4,
    error: (d) => at(d, '-e/--extra-vars @@/e.yml: @/e.yml:\\d+: YAML aliases expand'),
  },
  // --- deeply nested ---
  {
    title: 'nesting 100000 deep (flow) in group_vars',
    files: { 'inv.yml': INVENTORY, 'group_vars/all.yml': deepFlow(100_000), 'site.yml': PLAY },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/group_vars/all.yml:1: YAML syntax error: nesting exceeded maxDepth'),
  },
  {
    title: 'nesting 300 deep (block) in role defaults',
    files: { 'inv.yml': INVENTORY, 'site.yml': ROLE_PLAY, 'roles/r/tasks/main.yml': ROLE_TASK, 'roles/r/defaults/main.yml': deepBlock(300) },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/roles/r/defaults/main.yml:\\d+: YAML syntax error: nesting exceeded maxDepth'),
  },
  // --- huge or endless ---
  {
    title: 'a 17 MiB group_vars file',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY },
    setup: (d) => bigFile(join(d, 'group_vars/all.yml')),
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/group_vars/all.yml: cannot read vars file: larger than 16 MiB'),
  },
  {
    title: 'a 17 MiB playbook',
    files: { 'inv.yml': INVENTORY },
    setup: (d) => bigFile(join(d, 'site.yml')),
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/site.yml: cannot read: larger than 16 MiB'),
  },
  {
    title: 'a 17 MiB inventory',
    files: { 'site.yml': PLAY },
    setup: (d) => bigFile(join(d, 'inv.yml')),
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/inv.yml: cannot read inventory: larger than 16 MiB'),
  },
  {
    title: 'vars_files: /dev/zero',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY.replace('  tasks:', '  vars_files: [/dev/zero]\n  tasks:') },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: /\/dev\/zero: cannot read: larger than 16 MiB/,
  },
  {
    title: 'role tasks: a symlink to /dev/zero',
    files: { 'inv.yml': INVENTORY, 'site.yml': ROLE_PLAY },
    setup: (d) => link('/dev/zero', join(d, 'roles/r/tasks/main.yml')),
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/roles/r/tasks/main.yml: cannot read: larger than 16 MiB'),
  },
  {
    title: 'ansible.cfg: a symlink to /dev/zero',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY },
    setup: (d) => link('/dev/zero', join(d, 'zero.cfg')),
    env: { ANSIBLE_CONFIG: '@/zero.cfg' },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/zero.cfg: cannot read config file: larger than 16 MiB'),
  },
  // --- binary and non-UTF-8 ---
  {
    title: 'binary playbook',
    files: { 'inv.yml': INVENTORY, 'site.yml': BINARY },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/site.yml:1: not valid UTF-8 text'),
  },
  {
    title: 'latin-1 role tasks',
    files: { 'inv.yml': INVENTORY, 'site.yml': ROLE_PLAY, 'roles/r/tasks/main.yml': latin1('- debug: { msg: ok }\n- debug: { msg: caf\xe9 }\n') },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/roles/r/tasks/main.yml:2: not valid UTF-8 text \\(byte 0xe9'),
  },
  {
    title: 'latin-1 group_vars',
    files: { 'inv.yml': INVENTORY, 'group_vars/all.yml': latin1('a: 1\nb: \xff\n'), 'site.yml': PLAY },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/group_vars/all.yml:2: not valid UTF-8 text'),
  },
  {
    title: 'a NUL byte in host_vars',
    files: { 'inv.yml': INVENTORY, 'host_vars/box.yml': 'a: 1\nb: "x\0y"\n', 'site.yml': PLAY },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/host_vars/box.yml:2: YAML syntax error'),
  },
  {
    title: 'binary ansible.cfg',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY, 'bin.cfg': Buffer.concat([Buffer.from('[defaults]\n'), BINARY]) },
    env: { ANSIBLE_CONFIG: '@/bin.cfg' },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/bin.cfg:2: not a text file'),
  },
  {
    title: 'binary -e @file',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY, 'e.bin': BINARY },
    args: ['@/inv.yml', '@/site.yml', '-e', '@@/e.bin'],
    code: 4,
    error: (d) => at(d, '-e/--extra-vars @@/e.bin: @/e.bin:1: not valid UTF-8 text'),
  },
  // --- a directory where a file is expected ---
  {
    title: 'the playbook is a directory',
    files: { 'inv.yml': INVENTORY, 'site.yml/x': '' },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/site.yml: cannot read: is a directory'),
  },
  {
    title: '-e @directory',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY, 'dir/x': '' },
    args: ['@/inv.yml', '@/site.yml', '-e', '@@/dir'],
    code: 5,
    error: (d) => at(d, '-e/--extra-vars @@/dir: cannot read @/dir: is a directory'),
  },
  {
    title: 'vars_files names a directory',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY.replace('  tasks:', '  vars_files: [vdir]\n  tasks:'), 'vdir/x': '' },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/vdir: cannot read: is a directory'),
  },
  {
    title: 'role tasks/main.yml is a directory',
    files: { 'inv.yml': INVENTORY, 'site.yml': ROLE_PLAY, 'roles/r/tasks/main.yml/x': '' },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/roles/r/tasks/main.yml: cannot read: is a directory'),
  },
  // --- unreadable: symlink loops ---
  {
    title: 'group_vars/all.yml is a symlink to itself',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY },
    setup: (d) => link('all.yml', join(d, 'group_vars/all.yml')),
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/group_vars/all.yml: cannot read vars: a symlink loop'),
  },
  {
    title: 'group_vars/all/ holds a symlink back to itself',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY, 'group_vars/all/a.yml': 'a: 1\n' },
    setup: (d) => link('.', join(d, 'group_vars/all/again')),
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/group_vars/all/again: cannot read vars: a symlink loop \\(it is the directory @/group_vars/all again\\)'),
  },
  {
    title: 'the playbook is a symlink loop',
    files: { 'inv.yml': INVENTORY },
    setup: (d) => link('site.yml', join(d, 'site.yml')),
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/site.yml: cannot read: a symlink loop'),
  },
  // --- path traversal ---
  {
    title: "role name '../outside'",
    files: { 'inv.yml': INVENTORY, 'site.yml': '- hosts: all\n  gather_facts: no\n  roles: ["../outside"]\n', 'outside/tasks/main.yml': ROLE_TASK },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, `@/site.yml: role name "../outside" leads outside the roles path`),
  },
  {
    title: 'include_role name with ..',
    files: {
      'inv.yml': INVENTORY,
      'site.yml': '- hosts: all\n  gather_facts: no\n  tasks:\n    - include_role: { name: "r/../../outside" }\n',
      'outside/tasks/main.yml': ROLE_TASK,
      'roles/r/tasks/main.yml': ROLE_TASK,
    },
    args: ['@/inv.yml', '@/site.yml'],
    code: 2,
    error: /role name "r\/\.\.\/\.\.\/outside" leads outside the roles path/,
  },
  {
    title: 'role dependency with ..',
    files: {
      'inv.yml': INVENTORY,
      'site.yml': ROLE_PLAY,
      'roles/r/tasks/main.yml': ROLE_TASK,
      'roles/r/meta/main.yml': 'dependencies: ["../../outside"]\n',
      'outside/tasks/main.yml': ROLE_TASK,
    },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/site.yml: role name "../../outside" leads outside the roles path'),
  },
  {
    title: 'template src ../ out of the role',
    files: {
      'inv.yml': INVENTORY,
      'site.yml': ROLE_PLAY,
      'roles/r/tasks/main.yml': '- template: { src: ../../../secret.txt, dest: "{{ out }}/x" }\n',
      'secret.txt': 'controller secret\n',
    },
    args: ['@/inv.yml', '@/site.yml'],
    code: 2,
    error: /src "\.\.\/\.\.\/\.\.\/secret\.txt" leads outside .*: refused/,
  },
  {
    title: 'copy src ../ out of the role',
    files: {
      'inv.yml': INVENTORY,
      'site.yml': ROLE_PLAY,
      'roles/r/tasks/main.yml': '- copy: { src: ../../../secret.txt, dest: "{{ out }}/x" }\n',
      'secret.txt': 'controller secret\n',
    },
    args: ['@/inv.yml', '@/site.yml'],
    code: 2,
    error: /src "\.\.\/\.\.\/\.\.\/secret\.txt" leads outside .*: refused/,
  },
  // --- flags ---
  {
    title: '-e JSON that is a list',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY },
    args: ['@/inv.yml', '@/site.yml', '-e', '{"a": 1} x'],
    code: 5,
    error: /^-e\/--extra-vars/,
  },
  {
    title: '-e malformed JSON (cut short)',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY },
    args: ['@/inv.yml', '@/site.yml', '-e', '{"a": [1,'],
    code: 5,
    error: /^-e\/--extra-vars "\{\\"a\\": \[1,": YAML syntax error: unexpected end of the stream within a flow collection/,
  },
  {
    title: '-e @/dev/zero',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY },
    args: ['@/inv.yml', '@/site.yml', '-e', '@/dev/zero'],
    code: 5,
    error: /^-e\/--extra-vars @\/dev\/zero: cannot read \/dev\/zero: larger than 16 MiB \(or endless, like \/dev\/zero\): refused$/,
  },
  { title: '--forks 0', files: { 'inv.yml': INVENTORY, 'site.yml': PLAY }, args: ['@/inv.yml', '@/site.yml', '--forks', '0'], code: 5, error: /^$/ },
  {
    title: 'forks = 0 in ansible.cfg',
    files: { 'inv.yml': INVENTORY, 'site.yml': PLAY, 'f.cfg': '[defaults]\nforks = 0\n' },
    env: { ANSIBLE_CONFIG: '@/f.cfg' },
    args: ['@/inv.yml', '@/site.yml'],
    code: 4,
    error: (d) => at(d, '@/f.cfg \\[defaults\\] forks must be a positive integer, got 0'),
  },
  // --- credentials ---
];

async function bigFile(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, '');
  await truncate(file, 17 * 1024 * 1024); // sparse: no disk, no time
}

async function link(target: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await symlink(target, path);
}

async function project(files: Files): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'prov-hostile-'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  await mkdir(join(dir, 'out'));
  return dir;
}

/** `@/x` is the project's x; `@/dev/...` stays the device. */
const sub = (dir: string, s: string) => s.replace(/@(?=\/(?!dev\/))/g, dir);

for (const c of CASES) {
  test(`${c.title}: exit ${c.code}, one line naming where, nothing written`, async (t) => {
    const dir = await project(c.files);
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    await c.setup?.(dir);
    const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, sub(dir, v)]));
    const run = await boundedProv(['apply', ...c.args.map((a) => sub(dir, a)), '-e', `out=${join(dir, 'out')}`], {
      cwd: dir,
      env: { ANSIBLE_CONFIG: '', ...env },
    });
    const all = run.stdout + run.stderr;
    t.false(run.timedOut, 'bounded time');
    t.is(run.code, c.code, all);
    t.notRegex(all, /\n\s+at .+:\d+:\d+\)?\n|internal error|heap out of memory/, 'no stack trace, no crash');
    t.deepEqual(await readdir(join(dir, 'out')), [], 'nothing written');
    if (c.code === 2) {
      t.regex(run.stdout, /fatal: \[box\]: FAILED! /, 'the host fails in the plan phase');
      t.regex(run.stdout, /changed=0 /);
      t.regex(run.stdout, typeof c.error === 'function' ? c.error(dir) : c.error, NAMES);
      t.false(all.includes('controller secret'), 'no file from outside the role is read');
      return;
    }
    if (c.title === '--forks 0') {
      t.is(run.stderr, "error: option '-f, --forks <n>' argument '0' is invalid. must be a positive integer\n(add --help for usage)\n");
      return;
    }
    const lines = run.stderr.split('\n').filter((l) => l && !l.startsWith('[WARNING]'));
    t.is(lines.length, 1, run.stderr);
    const re = typeof c.error === 'function' ? c.error(dir) : c.error;
    t.regex(lines[0]!.replace(/^ERROR! /, ''), re, NAMES);
    t.true(lines[0]!.startsWith('ERROR! '));
    t.false(all.includes('hunter2-secret'), 'a password is never quoted');
  });
}

/**
 * Oracle: INI inventories (and INI mixed with YAML, several -i, a directory) read by prov and by
 * ansible-inventory 2.14. `prov inventory -i ... --list` (and `--host`) must be deep-equal to
 * ansible-inventory's JSON for every case. ansible-inventory runs from an empty directory with
 * ANSIBLE_CONFIG naming a `[defaults]`-only file and no ANSIBLE_* variables, and must have parsed
 * every source (no "Failed to parse" warning), so an inventory both tools ignore cannot pass.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { prov } from '../helpers/cli.js';

interface InventoryCase {
  name: string;
  files: Record<string, string>;
  /** The -i arguments, relative to the case directory, in order. */
  sources: string[];
  /** Hosts to compare with --host too. */
  hosts?: string[];
}

const CASES: InventoryCase[] = [
  {
    name: 'host variables: Python literals become values, anything else stays a string',
    files: {
      hosts:
        [
          'h1 int=1 neg=-3 float=1.5 exp=1e3 hex=0x10 oct=0o17 bin=0b11 under=1_000 t=True f=False none=None',
          "h2 str=hello yes=yes lower=true lead0=07 list=[1,2] tuple=(1,2) one=(1,) empty=() quoted='hello world'",
          `h3 dict="{'a': 1, 'b': [None, 'x']}" strlist="['a', 'b']" pystr="'single'" concat="'a' 'b'" raw="r'\\n'"`,
          `h4 esc="'\\x41\\u00e9\\t'" bytes="b'abc'" fstr="f'x'" expr=1+1 name=abc empty= spaced="  7" comment="1 # c" trail="[1, 2,]"`,
          'h5 path=/etc/hosts url=http://x.example/a?b=c eq=a=b ip=10.0.0.1 ver=1.2.3 dot=.5 five=5. neg0=-0',
        ].join('\n') + '\n',
    },
    sources: ['hosts'],
    hosts: ['h1', 'h4'],
  },
  {
    name: '[group:vars] values are read as Python literals too, after the first =',
    files: {
      'inventory.ini':
        [
          '[web]',
          'w1',
          '[web:vars]',
          'num=1',
          'flag=True',
          'word = spaced value   ',
          'list=[1, 2]',
          "dict={'a': 1}",
          "quoted='single'",
          'dq="double"',
          'empty=',
          'eq=a=b',
          'comment = 1 # a Python comment',
          'text = hello # not a comment',
          'my key = 3',
          'ansible_host=10.0.0.9',
        ].join('\n') + '\n',
    },
    sources: ['inventory.ini'],
    hosts: ['w1'],
  },
  {
    name: 'children: nested, declared before or after, several parents, [all:children]',
    files: {
      hosts:
        [
          '[routers:children]',
          'edge',
          'core',
          '[edge]',
          'e1',
          '[core:children]',
          'spine',
          '[spine]',
          's1',
          '[dc:children]',
          'spine',
          'edge',
          '[all:children]',
          'other',
          '[other]',
          'o1 x=1',
          '[routers:vars]',
          'role=router',
          '[spine:vars]',
          'role=spine',
        ].join('\n') + '\n',
    },
    sources: ['hosts'],
    hosts: ['s1', 'e1'],
  },
  {
    name: 'host ranges, with ports and variables',
    files: {
      'hosts.ini': ['[web]', 'web[01:03].example.com:2222 tier=front', 'db-[a:c] tier=db', 'h[1:9:4]', 'n[0:1][a:b]', 'x[8:10]'].join('\n') + '\n',
    },
    sources: ['hosts.ini'],
    hosts: ['web02.example.com'],
  },
  {
    name: 'ungrouped: hosts before any section, and a host that later joins a group',
    files: {
      hosts: ['# leading comment', 'lonely a=1', 'joiner b=2', '', '[g]', 'joiner', '[ungrouped]', 'explicit'].join('\n') + '\n',
    },
    sources: ['hosts'],
    hosts: ['joiner'],
  },
  {
    name: 'ports: name:port, IPv6 with a port, ansible_port inline, the first port of a host wins',
    files: {
      hosts: ['[a]', 'h1:2222', '[fe80::1]:2200', '10.1.1.1:23', 'h2:2222 ansible_port=2223', '::1', '[b]', 'h1:3333', 'h3 ansible_port=44'].join('\n') + '\n',
    },
    sources: ['hosts'],
    hosts: ['h1', 'fe80::1'],
  },
  {
    name: 'group_vars/ and host_vars/ beside an INI file, with their precedence over [g:vars]',
    files: {
      'inv/hosts': '[web]\nw1 inline=1 over=inline\nw2\n[web:vars]\nfrom_ini=1\nshared=ini\n[db]\nd1\n',
      'inv/group_vars/all.yml': 'shared: all\nall_only: 1\n',
      'inv/group_vars/web/10-a.yml': 'shared: web\nweb_a: 1\n',
      'inv/group_vars/web/20-b.yaml': 'web_b: 2\n',
      'inv/host_vars/w1.yml': 'over: host_vars\n',
      'inv/host_vars/d1': 'no_ext: true\n',
    },
    sources: ['inv/hosts'],
    hosts: ['w1', 'w2', 'd1'],
  },
  {
    name: 'several -i: merged in order, a later file adds vars and children to earlier groups',
    files: {
      'one/hosts': '[web]\nw1 a=1\n[db]\nd1\n',
      'one/group_vars/web.yml': 'from_one: 1\nboth: one\n',
      'two/hosts': '[web:vars]\nv=2\n[web]\nw1 b=2\nw9\n[app:children]\nweb\ndb\n',
      'two/group_vars/web.yml': 'both: two\n',
    },
    sources: ['one/hosts', 'two/hosts'],
    hosts: ['w1'],
  },
  {
    name: 'a directory: every file, sorted, recursively, skipping ignored names and extensions',
    files: {
      'inv/10-hosts': '[web]\nw1\n',
      'inv/20-more.yml': 'all:\n  children:\n    db:\n      hosts:\n        d1: { port_var: 1 }\n',
      'inv/30-sub/extra': '[web]\nw2\n',
      'inv/ignored.ini': 'this is not parsed\n',
      'inv/old.retry': 'w1\n',
      'inv/hosts.orig': '[[[\n',
      'inv/notes.md': '# notes\n',
      'inv/README.txt': 'read me\n',
      'inv/backup~': 'garbage [\n',
      'inv/.hidden': 'garbage [\n',
      'inv/ansible.cfg': '[defaults]\n',
      'inv/group_vars/web.yml': 'dir_var: 1\n',
      'inv/host_vars/d1.yml': 'host_file: yes\n',
    },
    sources: ['inv'],
    hosts: ['d1', 'w2'],
  },
  {
    name: 'YAML and INI mixed: the same host in both, vars merged, later source wins',
    files: {
      'a.yml': 'all:\n  children:\n    web:\n      hosts:\n        w1: { x: yaml, y: 1 }\n      vars: { g: yaml }\n',
      b: '[web]\nw1 x=ini z=[1]\n[web:vars]\ng=ini\n[other]\nw1\n',
      'c.json': '{"other": {"hosts": {"o1": {"j": 1}}}}\n',
    },
    sources: ['a.yml', 'b', 'c.json'],
    hosts: ['w1'],
  },
  {
    name: 'comments and quoting: ; and # lines, inline #, quotes in words, keys with spaces, CRLF',
    files: {
      hosts:
        [
          '; a semicolon comment',
          '# a hash comment',
          '[g] # a comment after the header',
          'h1 a="x y" b=\'p q\'r c=d#comment e=f # trailing',
          'h2 "odd key"=1 k="a \\"quoted\\" word" back=a\\ b',
          '   h3    spaced=1   ',
          '[g:vars]',
          '; comment in vars',
          'v=1',
        ].join('\r\n') + '\r\n',
    },
    sources: ['hosts'],
    hosts: ['h1', 'h2'],
  },
  {
    name: 'a .yml file holding INI is read as INI, as Ansible falls back from yaml to ini',
    files: { 'inventory.yml': '[routers]\nr1 ansible_host=192.168.100.20\nr2\n' },
    sources: ['inventory.yml'],
  },
  {
    name: 'ansible_group_priority in [g:vars] orders the merge of groups of equal depth',
    files: {
      hosts: '[a]\nh1\n[b]\nh1\n[a:vars]\nv=a\nansible_group_priority=10\n[b:vars]\nv=b\n',
    },
    sources: ['hosts'],
    hosts: ['h1'],
  },
  {
    name: '[group:vars] before the group is declared, and a group only declared by :children',
    files: {
      hosts: '[late:vars]\nlv=1\n[parent:children]\nlate\n[late]\nl1\n[onlychildren:children]\n[empty]\n',
    },
    sources: ['hosts'],
    hosts: ['l1'],
  },
];

function run(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { ...options, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment both tools run in: no ANSIBLE_* variables, a [defaults]-only config, HOME elsewhere. */
function cleanEnv(home: string, config: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANSIBLE_')) env[k] = v;
  return { ...env, HOME: home, ANSIBLE_CONFIG: config, ANSIBLE_NOCOLOR: '1' };
}

async function writeCase(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const file = join(dir, rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    await chmod(file, 0o644);
  }
}

for (const c of CASES) {
  test(`ansible-inventory oracle: ${c.name}`, async (t) => {
    const root = await mkdtemp(join(tmpdir(), 'prov-inv-oracle-'));
    t.teardown(() => rm(root, { recursive: true, force: true }));
    const dir = join(root, 'case');
    const cwd = join(root, 'cwd');
    await mkdir(cwd);
    await writeCase(dir, c.files);
    const config = join(root, 'ansible.cfg');
    await writeFile(config, '[defaults]\n');
    const env = cleanEnv(cwd, config);
    const iArgs = c.sources.flatMap((s) => ['-i', join(dir, s)]);
    for (const query of [['--list'], ...(c.hosts ?? []).map((h) => ['--host', h])]) {
      const ansible = await run('ansible-inventory', [...iArgs, ...query], { cwd, env });
      t.is(ansible.code, 0, ansible.stderr);
      t.notRegex(ansible.stderr, /Failed to parse|Unable to parse|No inventory was parsed/, `ansible-inventory must parse every source: ${ansible.stderr}`);
      const mine = await prov(['inventory', ...iArgs, ...query], { cwd, env });
      t.is(mine.code, 0, mine.stderr);
      t.deepEqual(JSON.parse(mine.stdout), JSON.parse(ansible.stdout), `${query.join(' ')}`);
    }
  });
}

test('ansible-inventory oracle: no -i, the inventory of ansible.cfg (comma-separated, relative to the file), then ANSIBLE_INVENTORY', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'prov-inv-oracle-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const cwd = join(root, 'cwd');
  await mkdir(cwd);
  await writeCase(join(root, 'cfg'), {
    'ansible.cfg': '[defaults]\ninventory = one/hosts, two/hosts.yml ; two sources\n',
    'one/hosts': '[web]\nw1 a=1\n',
    'one/group_vars/web.yml': 'g: 1\n',
    'two/hosts.yml': 'web:\n  hosts:\n    w2: { b: 2 }\n',
    'three/hosts': '[db]\nd1\n',
  });
  const config = join(root, 'cfg', 'ansible.cfg');
  for (const extra of [{}, { ANSIBLE_INVENTORY: join(root, 'cfg', 'three', 'hosts') }]) {
    const env = { ...cleanEnv(cwd, config), ...extra };
    const ansible = await run('ansible-inventory', ['--list'], { cwd, env });
    t.is(ansible.code, 0, ansible.stderr);
    t.notRegex(ansible.stderr, /Failed to parse|Unable to parse|No inventory was parsed/, ansible.stderr);
    const mine = await prov(['inventory', '--list'], { cwd, env });
    t.is(mine.code, 0, mine.stderr);
    t.deepEqual(JSON.parse(mine.stdout), JSON.parse(ansible.stdout));
    const listed = JSON.parse(mine.stdout) as Record<string, { hosts?: string[] }>;
    t.truthy(listed['web']?.hosts?.length ?? listed['db']?.hosts?.length, 'the configured inventory has hosts');
  }
});

import test from 'ava';
import { ProvError } from '../../../src/core/errors.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { validatePlaybook } from '../../../src/runner/validate.js';
import { makeProject } from '../../helpers/project.js';

/** Each case: a broken playbook or role, and what the one-line error must say. */
const CASES: { name: string; files: Record<string, string>; expect: RegExp }[] = [
  {
    name: 'YAML syntax error',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: x\n      copy: {dest: /a\n' },
    expect: /site\.yml:\d+: YAML syntax error/,
  },
  { name: 'not a list', files: { 'site.yml': 'hosts: all\n' }, expect: /site\.yml: a playbook must be a YAML list of plays/ },
  { name: 'play without hosts', files: { 'site.yml': '- tasks:\n    - debug: { msg: hi }\n' }, expect: /site\.yml: play #1: 'hosts' is required/ },
  { name: 'unknown play keyword', files: { 'site.yml': '- hosts: all\n  taks: []\n' }, expect: /unknown play keyword 'taks'/ },
  {
    name: 'task with two modules',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: two\n      copy: { dest: /a, content: x }\n      file: { path: /a }\n' },
    expect: /task 'two': more than one module or unknown keyword: copy, file/,
  },
  {
    name: 'task without module',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: nothing\n      when: true\n' },
    expect: /task 'nothing': no module given/,
  },
  {
    name: 'unknown module',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: bad\n      frobnicate: { x: 1 }\n' },
    expect: /task 'bad': unknown module 'frobnicate'/,
  },
  {
    name: 'unknown module argument',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: typo\n      copy: { dest: /a, contnet: x }\n' },
    expect: /task 'typo':.*contnet/,
  },
  {
    name: 'wrong argument type',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: port\n      wait_for: { port: [1, 2] }\n' },
    expect: /task 'port':.*port/,
  },
  {
    name: 'unknown argument in a templated task',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: tpl\n      copy: { dest: "{{ d }}", content: x, bogus: 1 }\n' },
    expect: /task 'tpl':.*bogus/,
  },
  { name: 'missing role', files: { 'site.yml': '- hosts: all\n  roles: [nope]\n' }, expect: /role 'nope' \(named by the play\) not found/ },
  {
    name: 'role tasks not a list',
    files: { 'site.yml': '- hosts: all\n  roles: [r]\n', 'roles/r/tasks/main.yml': 'copy: {dest: /a}\n' },
    expect: /roles\/r\/tasks\/main\.yml: a task list must be a YAML list/,
  },
  {
    name: 'role dependency cycle',
    files: {
      'site.yml': '- hosts: all\n  roles: [a]\n',
      'roles/a/meta/main.yml': 'dependencies: [b]\n',
      'roles/a/tasks/main.yml': '- debug: { msg: a }\n',
      'roles/b/meta/main.yml': 'dependencies: [a]\n',
      'roles/b/tasks/main.yml': '- debug: { msg: b }\n',
    },
    expect: /role dependency cycle: a -> b -> a/,
  },
  {
    name: 'defaults not a mapping',
    files: { 'site.yml': '- hosts: all\n  roles: [r]\n', 'roles/r/tasks/main.yml': '- debug: { msg: a }\n', 'roles/r/defaults/main.yml': '- a\n- b\n' },
    expect: /roles\/r\/defaults\/main\.yml: must be a mapping of variables/,
  },
  {
    name: 'notify without handler',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: n\n      copy: { dest: /a, content: x }\n      notify: restart nothing\n' },
    expect: /task 'n' notifies 'restart nothing', but no handler/,
  },
  {
    name: 'bad serial',
    files: { 'site.yml': '- hosts: all\n  serial: -1\n  tasks:\n    - debug: { msg: x }\n' },
    expect: /serial must be a positive number or a percentage/,
  },
  {
    name: 'bad no_log',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: nl\n      debug: { msg: x }\n      no_log: maybe\n' },
    expect: /task 'nl': no_log must be true or false/,
  },
  {
    name: 'unsupported with_ lookup',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: fg\n      debug: { msg: x }\n      with_fileglob: ["*.txt"]\n' },
    expect: /task 'fg': 'with_fileglob' is not supported by prov/,
  },
  {
    name: 'loop and with_items together',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: two\n      debug: { msg: x }\n      loop: [1]\n      with_items: [2]\n' },
    expect: /task 'two': duplicate loop in task: loop, with_items/,
  },
  {
    name: 'free-form words for a key=value module',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: w\n      copy: some words dest=/a\n' },
    expect: /task 'w': copy takes key=value arguments, not free-form words: "some words"/,
  },
  {
    name: 'unbalanced quote in key=value arguments',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: q\n      debug: msg="open\n' },
    expect: /task 'q': failed at splitting arguments/,
  },
  {
    name: 'unsupported keyword',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: bg\n      debug: { msg: x }\n      async: 10\n' },
    expect: /task 'bg': 'async' is not supported by prov/,
  },
  {
    name: 'unknown keyword on a block',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: blk\n      block:\n        - debug: { msg: x }\n      loop: [1]\n' },
    expect: /task 'blk': 'loop' is not a valid keyword for a block/,
  },
  {
    name: 'unsupported keyword on a block',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: blk\n      block:\n        - debug: { msg: x }\n      environment: { A: b }\n' },
    expect: /task 'blk': 'environment' is not supported by prov on a block/,
  },
  {
    name: 'rescue without block',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: r\n      rescue:\n        - debug: { msg: x }\n' },
    expect: /task 'r': a block needs a 'block:' list of tasks/,
  },
  {
    name: 'block among handlers',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - debug: { msg: x }\n  handlers:\n    - name: hb\n      block:\n        - debug: { msg: x }\n' },
    expect: /handler block 'hb': blocks among handlers are not supported/,
  },
  {
    name: 'delegate_to a host prov does not delegate to',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: dl\n      debug: { msg: x }\n      delegate_to: db1\n' },
    expect: /task 'dl': delegate_to 'db1' is not supported by prov \(only localhost and 127\.0\.0\.1\)/,
  },
  {
    name: 'retries not a number',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: rt\n      debug: { msg: x }\n      until: true\n      retries: often\n' },
    expect: /task 'rt': retries must be a whole number/,
  },
  {
    name: 'run_once not a boolean',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: ro\n      debug: { msg: x }\n      run_once: sometimes\n' },
    expect: /task 'ro': run_once must be true or false/,
  },
  {
    name: 'local_action',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: la\n      local_action: { module: debug, msg: x }\n' },
    expect: /task 'la': 'local_action' is not supported by prov/,
  },
  {
    name: 'include_role without a role name',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: ir\n      include_role: { tasks_from: x }\n' },
    expect: /task 'ir': include_role needs the role's 'name'/,
  },
  {
    name: 'import_role of a missing role',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: im\n      import_role: { name: nope }\n' },
    expect: /task 'im': role 'nope' not found/,
  },
  {
    name: 'import_role with a missing tasks_from file',
    files: {
      'site.yml': '- hosts: all\n  tasks:\n    - name: im\n      import_role: { name: r, tasks_from: nope }\n',
      'roles/r/tasks/main.yml': '- debug: { msg: a }\n',
    },
    expect: /roles\/r\/tasks: role 'r': no file 'nope' in tasks\//,
  },
  {
    name: 'include_role with apply',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: ap\n      include_role: { name: r, apply: { tags: [x] } }\n' },
    expect: /task 'ap': include_role 'apply' is not supported by prov/,
  },
  {
    name: 'include_role with an unknown option',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: uo\n      include_role: { name: r, tasks_form: x }\n' },
    expect: /task 'uo': include_role has no option 'tasks_form'/,
  },
  {
    name: 'import_role in a loop',
    files: {
      'site.yml': '- hosts: all\n  tasks:\n    - name: lp\n      import_role: { name: r }\n      loop: [1]\n',
      'roles/r/tasks/main.yml': '- debug: { msg: a }\n',
    },
    expect: /task 'lp': import_role cannot loop/,
  },
  {
    name: 'import_role with allow_duplicates false',
    files: {
      'site.yml': '- hosts: all\n  tasks:\n    - name: ad\n      import_role: { name: r, allow_duplicates: false }\n',
      'roles/r/tasks/main.yml': '- debug: { msg: a }\n',
    },
    expect: /task 'ad': import_role allow_duplicates: false is not supported by prov/,
  },
  {
    name: 'bad register name',
    files: { 'site.yml': '- hosts: all\n  tasks:\n    - name: reg\n      debug: { msg: x }\n      register: "a b"\n' },
    expect: /task 'reg': register must be a variable name/,
  },
];

for (const c of CASES) {
  test(`bad input: ${c.name}`, async (t) => {
    const p = await makeProject(c.files);
    t.teardown(p.remove);
    const err = await t.throwsAsync(async () => validatePlaybook(await loadPlaybook(p.path('site.yml'))));
    t.true(err instanceof ProvError, String(err));
    t.is((err as ProvError).exitCode, 4);
    t.regex(err!.message, c.expect);
    t.false(err!.message.includes('\n'), 'one line');
    t.false(/\bat .*\(.*:\d+:\d+\)/.test(err!.message), 'no stack frame');
    t.true(err!.message.startsWith(p.dir), 'names the file');
  });
}

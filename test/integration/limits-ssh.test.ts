import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { loopbackInventory, startSshdTarget, stopSshdTarget, type Sshd } from '../helpers/sshd.js';

/**
 * The real CLI over real SSH (Debian's sshd on 127.0.0.1, writing under a temp dir): an EJS
 * template calling process.exit(0) or looping forever fails its task and the run ends with a
 * recap and exit code 2; a 1.5 MB changed file's --check --diff says the diff was skipped.
 */
let sshd: Sshd;
let work: string;

test.before(async () => {
  ({ sshd, work } = await startSshdTarget('prov-it-limits-'));
});
test.after.always(() => stopSshdTarget({ sshd, work }));

const inventory = (s: Sshd): string => loopbackInventory(s, { vars: { work } });

async function templateProject(template: string) {
  return makeProject({
    'inventory.yml': inventory(sshd),
    'site.yml': `
- hosts: all
  tasks:
    - name: rendered config
      template: { src: app.conf.ejs, dest: "{{ work }}/app.conf" }
    - name: after the template
      copy: { dest: "{{ work }}/after.txt", content: "after\\n" }
`,
    'templates/app.conf.ejs': template,
  });
}

test.serial('an EJS template calling process.exit(0) fails its task: exit code 2 and a recap', async (t) => {
  const p = await templateProject('port 80\n<% process.exit(0) %>\n');
  t.teardown(p.remove);
  const run = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')]);
  t.is(run.code, 2, run.stdout + run.stderr);
  t.regex(run.stdout + run.stderr, /app\.conf\.ejs:2: the template called process\.exit\(\): a template must not end prov/);
  t.regex(run.stdout, /box\s+: ok=\d+ changed=0 unreachable=0 failed=1/);
  await t.throwsAsync(readFile(join(work, 'app.conf')), undefined, 'nothing written');
});

test.serial('an EJS template looping forever is stopped at the time limit: exit code 2 and a recap', async (t) => {
  const p = await templateProject('port 80\n<% while (true) {} %>\n');
  t.teardown(p.remove);
  const started = Date.now();
  const run = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')], { env: { PROV_TEMPLATE_TIMEOUT_MS: '1000' }, timeoutMs: 120_000 });
  t.is(run.code, 2, run.stdout + run.stderr);
  t.regex(run.stdout + run.stderr, /app\.conf\.ejs: rendering took longer than 1000 ms and was stopped/);
  t.regex(run.stdout, /box\s+: ok=\d+ changed=0 unreachable=0 failed=1/);
  t.log(`run took ${Date.now() - started} ms`);
});

test.serial('--check --diff and --json on a 1.5 MB changed file: the diff is skipped and says why', async (t) => {
  const line = (i: number, suffix = ''): string => `line ${i} ${'x'.repeat(60)}${suffix}\n`;
  const big = Array.from({ length: 21_000 }, (_, i) => line(i)).join('');
  const changed = Array.from({ length: 21_000 }, (_, i) => line(i, i % 2 ? ' changed' : '')).join('');
  await writeFile(join(work, 'big.txt'), big);
  await writeFile(join(work, 'big-new.txt'), changed);
  const p = await makeProject({
    'inventory.yml': inventory(sshd),
    'site.yml': `
- hosts: all
  tasks:
    - name: big file
      copy: { src: "{{ work }}/big-new.txt", dest: "{{ work }}/big.txt" }
`,
  });
  t.teardown(p.remove);
  for (const flags of [
    ['--check', '--diff'],
    ['--check', '--json'],
  ]) {
    const started = Date.now();
    const run = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), ...flags], { timeoutMs: 120_000 });
    t.log(`${flags.join(' ')} took ${Date.now() - started} ms`);
    t.is(run.code, 0, run.stdout + run.stderr);
    t.regex(run.stdout, /diff skipped: file larger than 104448 bytes/);
  }
  t.is(await readFile(join(work, 'big.txt'), 'utf8'), big, 'check mode changed nothing');
});

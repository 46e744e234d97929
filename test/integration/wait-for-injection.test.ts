import test from 'ava';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { loopbackInventory, startSshdTarget, stopSshdTarget, type Sshd } from '../helpers/sshd.js';

/**
 * Issue 10, item 1, over real SSH: a wait_for host that smuggles a command (`…; touch X; #`)
 * must not run it on the target (the sshd here runs commands on this machine as root, so the
 * marker X is under a temp dir), and the run must say what is wrong instead of reporting ok.
 */
let sshd: Sshd;
let work: string;

test.before(async () => {
  ({ sshd, work } = await startSshdTarget('prov-it-wait-'));
});
test.after.always(() => stopSshdTarget({ sshd, work }));

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

const inventory = (host: Record<string, string> = {}): string => loopbackInventory(sshd, { host });

const play = (host: string, port: number | string = 22) => `
- hosts: all
  tasks:
    - name: wait for the port
      wait_for: { host: ${JSON.stringify(host)}, port: ${port}, timeout: 1 }
`;

test.serial("the issue's literal host: refused before any host is contacted (exit 4), touch never runs", async (t) => {
  const marker = join(work, 'pwned-literal');
  const p = await makeProject({ 'inventory.yml': inventory(), 'site.yml': play(`127.0.0.1/1; touch ${marker}; #`) });
  t.teardown(p.remove);
  const r = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')]);
  t.false(await exists(marker), 'the injected touch ran on the target');
  t.is(r.code, 4, r.stdout + r.stderr);
  const lines = r.stderr.trim().split('\n');
  t.is(lines.length, 1, r.stderr);
  t.regex(lines[0]!, /task 'wait for the port'.*wait_for: 'host': not a host name or IP address/);
});

test.serial('a hostile host from a variable: the task fails cleanly on the host (exit 2), touch never runs', async (t) => {
  const marker = join(work, 'pwned-var');
  const p = await makeProject({
    'inventory.yml': inventory({ probe_host: `x';touch\${IFS}${marker};echo\${IFS}'x` }),
    'site.yml': play('{{ probe_host }}'),
  });
  t.teardown(p.remove);
  const r = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')]);
  t.false(await exists(marker), 'the injected touch ran on the target');
  t.is(r.code, 2, r.stdout + r.stderr);
  t.regex(r.stdout, /not a host name or IP address/);
  t.regex(r.stdout, /box\s+: ok=0 changed=0 unreachable=0 failed=1/);
});

test.serial('a real host and port still work over SSH: the sshd port is open, a closed port times out', async (t) => {
  const open = await makeProject({ 'inventory.yml': inventory(), 'site.yml': play('127.0.0.1', sshd.port) });
  t.teardown(open.remove);
  const ok = await prov(['apply', open.path('inventory.yml'), open.path('site.yml')]);
  t.is(ok.code, 0, ok.stdout + ok.stderr);
  t.regex(ok.stdout, /box\s+: ok=1 changed=0 unreachable=0 failed=0/);

  const closed = await makeProject({ 'inventory.yml': inventory(), 'site.yml': play('localhost', 1) });
  t.teardown(closed.remove);
  const timeout = await prov(['apply', closed.path('inventory.yml'), closed.path('site.yml')]);
  t.is(timeout.code, 2, timeout.stdout + timeout.stderr);
  t.regex(timeout.stdout, /Timeout when waiting for localhost:1/);
});

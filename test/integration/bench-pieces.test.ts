import test from 'ava';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatTable, ratio, type Row } from '../../bench/bench-table.js';
import { treePids, treeRss } from '../../bench/proc-rss.js';
import { repoRoot } from '../helpers/lab.js';

const run = promisify(execFile);

test('ansible-playbook --syntax-check accepts bench/ansible/site.yml', async (t) => {
  const dir = join(repoRoot, 'bench', 'ansible');
  const r = await run('ansible-playbook', ['-i', 'localhost,', '--syntax-check', join(dir, 'site.yml')], {
    env: { ...process.env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg') },
  });
  t.regex(r.stdout, /playbook: .*site\.yml/);
});

test('the table shows per-host time, the ratio to prov and a not-measurable row', (t) => {
  const rows: Row[] = [
    { tool: 'prov', phase: 'no-op rerun', wallMs: 2000, hosts: 22, peakRssBytes: 100 * 2 ** 20, load: '1.00 1.00 1.00' },
    { tool: 'ansible-playbook', phase: 'no-op rerun', wallMs: 40000, hosts: 22, peakRssBytes: 900 * 2 ** 20, load: '2.00 1.00 1.00' },
    { tool: 'ansible+mitogen', phase: 'first apply', reason: 'cannot unpickle AnsibleUnsafeText', load: '3.00 1.00 1.00' },
  ];
  t.is(ratio(rows[1] as never, rows), '20.0x');
  const text = formatTable(rows);
  t.regex(text, /ansible-playbook\s+no-op rerun\s+40\.0\s+1818\s+20\.0x\s+900\s+2\.00 1\.00 1\.00/);
  t.regex(text, /not measurable: cannot unpickle AnsibleUnsafeText/);
});

test('the RSS sampler finds a child process and counts its memory', async (t) => {
  const { spawn } = await import('node:child_process');
  const child = spawn('sleep', ['5']);
  t.teardown(() => child.kill());
  await new Promise((r) => setTimeout(r, 200));
  t.true(treePids(process.pid).includes(child.pid!));
  t.true(treeRss(process.pid) > treeRss(child.pid!));
  t.true(treeRss(child.pid!) > 0);
});

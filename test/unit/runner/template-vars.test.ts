import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templateFileVars } from '../../../src/runner/template-vars.js';

test('template variables: ansible_managed is "Ansible managed" (2.14), paths as the task gave them and as found', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'prov-tv-'));
  const file = join(dir, 't.j2');
  await writeFile(file, 'x');
  const vars = templateFileVars('t.j2', file, '/etc/t.conf');
  t.like(vars, { ansible_managed: 'Ansible managed', template_path: 't.j2', template_fullpath: file, template_destpath: '/etc/t.conf' });
  t.true(typeof vars.template_uid === 'string' && vars.template_uid.length > 0);
  t.true(typeof vars.template_host === 'string' && vars.template_host.length > 0);
});

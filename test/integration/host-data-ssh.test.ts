import test from 'ava';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { loopbackInventory, startSshdTarget, stopSshdTarget, type Sshd } from '../helpers/sshd.js';

/**
 * A compromised machine prints a template that would read a controller variable; over real
 * SSH, prov registers it and copies it back: the file holds the braces, never the secret
 * (ansible-playbook 2.14 writes the same literal text for each of these tasks).
 */
let sshd: Sshd;
let work: string;

test.before(async () => {
  ({ sshd, work } = await startSshdTarget('prov-hostdata-'));
});
test.after.always(() => stopSshdTarget({ sshd, work }));

const HOSTILE = '{{ ctl_secret }}';
const SECRET = 'controller-only-s3cret';

const PLAYBOOK = `
- hosts: all
  tasks:
    - name: hostile output
      shell: >-
        printf '%s' '{{ "{{" }} ctl_secret }}'
      register: r
    - name: hostile file read back
      command: "cat {{ work }}/hostile.txt"
      register: read_back
    - name: keep copies
      set_fact:
        kept: "{{ r.stdout }}"
        joined: "{{ r.stdout ~ '-' ~ read_back.stdout }}"
    - name: write stdout
      copy: { dest: "{{ work }}/out/stdout.txt", content: "{{ r.stdout }}" }
    - name: write file contents
      copy: { dest: "{{ work }}/out/file.txt", content: "{{ read_back.stdout }}" }
    - name: write set_fact copies
      copy: { dest: "{{ work }}/out/kept.txt", content: "{{ kept }} {{ joined }}" }
    - name: write json
      copy: { dest: "{{ work }}/out/json.txt", content: "{{ r | to_json }}" }
`;

test('host output registered and copied back is written literally, not rendered with controller variables', async (t) => {
  await writeFile(join(work, 'hostile.txt'), `${HOSTILE}\n`);
  const p = await makeProject({
    'inventory.yml': loopbackInventory(sshd, { vars: { work, ctl_secret: SECRET } }),
    'site.yml': PLAYBOOK,
  });
  t.teardown(p.remove);
  await mkdir(join(work, 'out'));
  const run = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')]);
  t.is(run.code, 0, run.stdout + run.stderr);
  const out = (name: string): Promise<string> => readFile(join(work, 'out', name), 'utf8');
  t.is(await out('stdout.txt'), HOSTILE);
  t.is(await out('file.txt'), HOSTILE);
  t.is(await out('kept.txt'), `${HOSTILE} ${HOSTILE}-${HOSTILE}`);
  t.is(JSON.parse(await out('json.txt')).stdout, HOSTILE);
  for (const name of ['stdout.txt', 'file.txt', 'kept.txt', 'json.txt']) t.false((await out(name)).includes(SECRET), name);
  t.false(run.stdout.includes(SECRET));
});

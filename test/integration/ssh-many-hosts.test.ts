import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

/**
 * Twenty inventory hosts on one sshd, --forks 20. This sshd allows only four connections in the
 * middle of their setup at once (MaxStartups 4:100:4 drops every further one before the
 * handshake, as a busy sshd with the default 10:30:100 does at random), so every host is
 * reachable only because prov retries the connection setup with backoff. All hosts share one
 * address, so --trust-new-host-keys must record its key once.
 */
let sshd: Sshd;

test.before(async () => {
  sshd = await startSshd({ config: ['MaxStartups 4:100:4'] });
});
test.after.always(async () => {
  await sshd?.stop();
});

const HOSTS = Array.from({ length: 20 }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);

test('20 hosts on one sshd with a low MaxStartups and --forks 20 are all reachable; the new host key is recorded once', async (t) => {
  const p = await makeProject({
    'inventory.yml': `all:
  vars:
    ansible_host: 127.0.0.1
    ansible_port: ${sshd.port}
    ansible_user: root
    ansible_ssh_private_key_file: ${sshd.keyFile}
  hosts:
${HOSTS.map((h) => `    ${h}: {}`).join('\n')}
`,
    'site.yml': `
- hosts: all
  tasks:
    - name: say hello
      command: echo hello
      changed_when: false
`,
  });
  t.teardown(p.remove);
  const knownHosts = p.path('known_hosts');
  await writeFile(knownHosts, '');
  const run = await prov(
    ['apply', p.path('inventory.yml'), p.path('site.yml'), '--forks', '20', '--trust-new-host-keys', '-e', `prov_known_hosts_file=${knownHosts}`],
    { timeoutMs: 120_000 },
  );
  t.is(run.code, 0, run.stdout + run.stderr);
  for (const h of HOSTS) t.regex(run.stdout, new RegExp(`${h}\\s+: ok=1 changed=0 unreachable=0 failed=0`));
  const lines = (await readFile(knownHosts, 'utf8')).split('\n').filter((l) => l !== '');
  t.is(lines.length, 1, lines.join('\n'));
  t.regex(lines[0]!, new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `));
});

import test from 'ava';
import { execFile } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { encryptVault } from '../../src/core/vault/aes256.js';
import { formatVaultEnvelope } from '../../src/core/vault/envelope.js';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

/**
 * Ansible Vault compatibility (issue 15, section 6), with Debian's ansible-vault as the oracle:
 * what `ansible-vault encrypt_string` (format 1.1, and 1.2 with a vault id) and `ansible-vault
 * encrypt` (a whole vars file) write, prov decrypts to the same values; what prov's cipher writes,
 * `ansible-vault decrypt` opens. A wrong or missing password is one line naming the file, exit 1
 * (as ansible-playbook exits for a file it cannot decrypt). The values never appear in the output.
 */
const run = promisify(execFile);

async function vault(args: string[], cwd: string): Promise<string> {
  const { ANSIBLE_CONFIG: _, ANSIBLE_VAULT_PASSWORD_FILE: __, ...env } = process.env;
  return (await run('ansible-vault', args, { cwd, env })).stdout;
}

const PLAY = `- hosts: all
  gather_facts: false
  vars_files: [inline.yml, whole.yml]
  tasks:
    - debug: msg="a={{ a }} b={{ b }} c={{ c }}"
    - copy: { dest: "{{ out }}", content: "{{ a }}|{{ b }}|{{ c }}|{{ inv_secret }}\\n" }
`;

async function vaultProject() {
  const p = await makeProject({
    'pw.txt': 'right horse battery\n',
    'prod.txt': 'prod-password\n',
    'bad.txt': 'wrong\n',
    'whole.yml': 'c: whole-file-secret-value\n',
    'site.yml': PLAY,
  });
  const a = await vault(['encrypt_string', '--vault-password-file', 'pw.txt', 'inline-secret-one', '--name', 'a'], p.dir);
  const b = await vault(['encrypt_string', '--vault-id', 'prod@prod.txt', 'inline-secret-two; $(touch /tmp/x) `id`', '--name', 'b'], p.dir);
  const inv = await vault(['encrypt_string', '--vault-password-file', 'pw.txt', 'inventory-secret', '--name', 'inv_secret'], p.dir);
  await writeFile(p.path('inline.yml'), `${a}\n${b}\n`);
  await vault(['encrypt', '--vault-password-file', 'pw.txt', 'whole.yml'], p.dir);
  const indented = inv.replace(/^/gm, '      ');
  await writeFile(p.path('inv.yml'), `all:\n  hosts:\n    box:\n      ansible_connection: local\n${indented}\n`);
  return p;
}

const SECRETS = ['inline-secret-one', 'inline-secret-two', 'whole-file-secret-value', 'inventory-secret', 'right horse battery', 'prod-password'];

test('values from ansible-vault encrypt_string (1.1 and 1.2 with an id), encrypt (a whole file) and an inventory decrypt; none is printed', async (t) => {
  const p = await vaultProject();
  t.teardown(p.remove);
  t.regex(await readFile(p.path('inline.yml'), 'utf8'), /\$ANSIBLE_VAULT;1\.2;AES256;prod/);
  t.regex(await readFile(p.path('whole.yml'), 'utf8'), /^\$ANSIBLE_VAULT;1\.1;AES256\n/);
  const out = p.path('out.txt');
  const r = await prov(
    [
      'apply',
      p.path('inv.yml'),
      p.path('site.yml'),
      '--vault-password-file',
      p.path('pw.txt'),
      '--vault-id',
      `prod@${p.path('prod.txt')}`,
      '--diff',
      '-e',
      `out=${out}`,
    ],
    { cwd: p.dir, env: { ANSIBLE_CONFIG: '' } },
  );
  t.is(r.code, 0, r.stdout + r.stderr);
  t.is(await readFile(out, 'utf8'), 'inline-secret-one|inline-secret-two; $(touch /tmp/x) `id`|whole-file-secret-value|inventory-secret\n');
  const all = r.stdout + r.stderr;
  for (const s of SECRETS) t.false(all.includes(s), `${s} is not printed`);
  t.regex(r.stdout, /a=\*{8} b=\*{8} c=\*{8}/);
  t.regex(r.stdout, /\+\*{8}\|\*{8}\|\*{8}\|\*{8}/, 'the diff shows the line, not the secrets');
});

test('ANSIBLE_VAULT_PASSWORD_FILE, ansible.cfg vault_password_file and an executable password script', async (t) => {
  const p = await vaultProject();
  t.teardown(p.remove);
  // b needs the prod password: give every password source the prod one through a script and check a and c via the others.
  await writeFile(p.path('inline.yml'), (await readFile(p.path('inline.yml'), 'utf8')).replace(/^b:[\s\S]*$/m, 'b: plain\n'));
  const out = p.path('out.txt');
  const base = ['apply', p.path('inv.yml'), p.path('site.yml'), '-e', `out=${out}`];
  const env = await prov(base, { cwd: p.dir, env: { ANSIBLE_CONFIG: '', ANSIBLE_VAULT_PASSWORD_FILE: p.path('pw.txt') } });
  t.is(env.code, 0, env.stdout + env.stderr);
  await writeFile(p.path('ansible.cfg'), '[defaults]\nvault_password_file = pw.txt\n');
  const cfg = await prov(base, { cwd: p.dir, env: { ANSIBLE_CONFIG: p.path('ansible.cfg') } });
  t.is(cfg.code, 0, cfg.stdout + cfg.stderr);
  await writeFile(p.path('pw.sh'), '#!/bin/sh\necho "right horse battery"\n');
  await chmod(p.path('pw.sh'), 0o755);
  const script = await prov([...base, '--vault-password-file', p.path('pw.sh')], { cwd: p.dir, env: { ANSIBLE_CONFIG: '' } });
  t.is(script.code, 0, script.stdout + script.stderr);
  t.is(await readFile(out, 'utf8'), 'inline-secret-one|plain|whole-file-secret-value|inventory-secret\n');
});

test('a wrong password, no password, or --ask-vault-pass without a terminal: one line naming the file, nothing written', async (t) => {
  const p = await vaultProject();
  t.teardown(p.remove);
  const out = p.path('out.txt');
  const base = ['apply', p.path('inv.yml'), p.path('site.yml'), '-e', `out=${out}`];
  const wrong = await prov([...base, '--vault-password-file', p.path('bad.txt')], { cwd: p.dir, env: { ANSIBLE_CONFIG: '' } });
  t.is(wrong.code, 1);
  t.is(
    wrong.stderr,
    `ERROR! ${p.path('inv.yml')}:5: Decryption failed (no vault secrets were found that could decrypt); tried --vault-password-file ${p.path('bad.txt')}\n`,
  );
  const none = await prov(base, { cwd: p.dir, env: { ANSIBLE_CONFIG: '' } });
  t.is(none.code, 1);
  t.regex(none.stderr, /^ERROR! .*inv\.yml:5: Attempting to decrypt but no vault secrets found: give --vault-password-file FILE/);
  const ask = await prov([...base, '--ask-vault-pass'], { cwd: p.dir, env: { ANSIBLE_CONFIG: '' } });
  t.is(ask.code, 5);
  t.is(ask.stderr, 'ERROR! --ask-vault-pass needs a terminal (stdin is not one): give --vault-password-file FILE instead\n');
  const missing = await prov([...base, '--vault-password-file', p.path('nope.txt')], { cwd: p.dir, env: { ANSIBLE_CONFIG: '' } });
  t.is(missing.code, 5);
  t.regex(missing.stderr, /^ERROR! --vault-password-file: cannot read vault password file .*nope\.txt: /);
  for (const r of [wrong, none, ask, missing]) t.is(r.stderr.split('\n').length, 2, 'one line');
  await t.throwsAsync(readFile(out), undefined, 'nothing written');
});

test('ansible-vault decrypt opens what prov encrypts (1.1 and 1.2 with an id)', async (t) => {
  const p = await makeProject({ 'pw.txt': 'pw-for-prov\n' });
  t.teardown(p.remove);
  for (const id of [undefined, 'dev']) {
    const text = formatVaultEnvelope(encryptVault(Buffer.from('key: prov wrote this\n'), Buffer.from('pw-for-prov'), id));
    await writeFile(p.path('enc.yml'), text);
    const spec = id ? `${id}@pw.txt` : 'pw.txt';
    t.is(await vault(['view', '--vault-id', spec, 'enc.yml'], p.dir), 'key: prov wrote this\n');
  }
});

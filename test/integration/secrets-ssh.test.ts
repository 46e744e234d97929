import test from 'ava';
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { loopbackInventory, startSshdTarget, stopSshdTarget, type Sshd } from '../helpers/sshd.js';

/**
 * Secrets never leave prov in the clear (issue 15, section 6): a full apply over the loopback sshd
 * with --diff --json and a failing task, with a vaulted value (written by ansible-vault), a
 * bgp_password and a no_log task whose output a later task prints. Every byte of stdout and
 * stderr is searched for each secret, and the arguments of every process on the machine (the
 * target's commands included: sshd runs them through `bash -c`) are sampled all through the run.
 * A canary in a command's arguments shows that the sampler does see the target's commands.
 */
let sshd: Sshd;
let work: string;

test.before(async () => {
  ({ sshd, work } = await startSshdTarget('prov-it-secrets-'));
});
test.after.always(() => stopSshdTarget({ sshd, work }));

const VAULTED = 'vaulted-token-5d1c9e';
const BGP = 'bgp-md5-secret-77a1';
const NO_LOG_OUT = 'nolog-output-secret-3f2b';
const CANARY = 'argv-canary-9e4f1';

/** Every process's arguments, sampled until stop() (a /proc read every few milliseconds). */
function sampleArgv(): { stop: () => Promise<Set<string>> } {
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pid of await readdir('/proc').catch(() => [])) {
        if (!/^\d+$/.test(pid)) continue;
        const args = await readFile(`/proc/${pid}/cmdline`, 'latin1').catch(() => '');
        if (args) seen.add(args.replace(/\0/g, ' '));
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return seen;
    },
  };
}

test.serial('a full apply with --diff --json and a failing task prints no secret and passes none in process arguments', async (t) => {
  const pw = await makeProject({ pw: 'pw-secrets-test\n' });
  t.teardown(pw.remove);
  const run = promisify(execFile);
  const vaulted = (
    await run('ansible-vault', ['encrypt_string', '--vault-password-file', pw.path('pw'), VAULTED, '--name', 'api_token'], { env: { PATH: process.env.PATH } })
  ).stdout;
  const p = await makeProject({
    pw: 'pw-secrets-test\n',
    'inventory.yml': loopbackInventory(sshd, { vars: { work, bgp_password: BGP } }),
    'vault.yml': `${vaulted}\n`,
    'site.yml': `
- hosts: all
  vars_files: [vault.yml]
  tasks:
    - name: a config file with both secrets (content on stdin)
      copy: { dest: "{{ work }}/secret.conf", content: "token {{ api_token }}\\npassword {{ bgp_password }}\\n", mode: "0600" }
    - name: a line with a secret
      lineinfile: { path: "{{ work }}/line.conf", line: "key={{ api_token }}", create: true }
    - name: a secret handed to a command on stdin
      command: { cmd: "tee {{ work }}/stdin.txt", stdin: "{{ api_token }}" }
    - name: a command whose output is secret
      shell: "printf '%s-%s' nolog-output secret-3f2b"
      no_log: true
      register: hidden
    - name: print what the no_log task returned
      debug: { msg: "hidden said {{ hidden.stdout }}" }
    - name: print the secrets
      debug: { msg: "token={{ api_token }} bgp={{ bgp_password }}" }
    - name: a canary in argv
      command: sh -c "sleep 1; true" ${CANARY}
    - name: a failing task that names the secret
      fail: { msg: "cannot use {{ api_token }} with {{ bgp_password }}" }
`,
  });
  t.teardown(p.remove);
  const sampler = sampleArgv();
  const r = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '--diff', '--json', '--vault-password-file', p.path('pw')], {
    env: { ANSIBLE_CONFIG: '' },
  });
  const argv = [...(await sampler.stop())];
  t.is(r.code, 2, r.stderr);
  t.is(await readFile(`${work}/secret.conf`, 'utf8'), `token ${VAULTED}\npassword ${BGP}\n`, 'the secrets reached the file');
  t.is(await readFile(`${work}/line.conf`, 'utf8'), `key=${VAULTED}\n`);
  t.is(await readFile(`${work}/stdin.txt`, 'utf8'), `${VAULTED}\n`);
  const json = JSON.parse(r.stdout) as unknown;
  t.truthy(json, 'the --json document parses');
  t.regex(r.stdout, /cannot use \*{8} with \*{8}/, 'the failing task is reported, its secrets redacted');
  t.regex(r.stdout + r.stderr, /\+token \*{8}/, 'the diff is there, redacted');
  const everything = r.stdout + r.stderr;
  for (const s of [VAULTED, BGP, NO_LOG_OUT, 'pw-secrets-test']) {
    t.false(everything.includes(s), `${s} is not in stdout/stderr`);
    t.deepEqual(
      argv.filter((a) => a.includes(s)),
      [],
      `${s} is in no process's arguments`,
    );
  }
  t.true(
    argv.some((a) => a.includes(CANARY)),
    'the sampler saw the target command that carried the canary',
  );
});

test.serial('a changed host key stops that host, even with --trust-new-host-keys, naming known_hosts file:line', async (t) => {
  const p = await makeProject({});
  t.teardown(p.remove);
  // The host's key "changes": its known_hosts line holds another ed25519 key, as after a reinstall
  // (or a man in the middle) the real key no longer matches what was recorded.
  await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'other', '-f', p.path('other')]);
  const [type, key] = (await readFile(p.path('other.pub'), 'utf8')).trim().split(/\s+/);
  const changed = p.path('changed_known_hosts');
  await writeFile(changed, `# recorded before the reinstall\n[127.0.0.1]:${sshd.port} ${type} ${key}\n`);
  await writeFile(
    p.path('inventory.yml'),
    `all:
  hosts:
    good: { prov_known_hosts_file: ${sshd.knownHostsFile}, mark: good }
    moved: { prov_known_hosts_file: ${changed}, mark: moved }
  vars:
    ansible_host: 127.0.0.1
    ansible_port: ${sshd.port}
    ansible_user: root
    ansible_ssh_private_key_file: ${sshd.keyFile}
    work: ${work}
`,
  );
  await writeFile(p.path('site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: "{{ work }}/hk-{{ mark }}", content: "x\\n" }\n');
  const r = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '--trust-new-host-keys'], { env: { ANSIBLE_CONFIG: '' } });
  t.is(r.code, 3, r.stdout + r.stderr);
  t.regex(
    r.stdout + r.stderr,
    new RegExp(`moved: host key for \\[127\\.0\\.0\\.1\\]:${sshd.port} does not match ${changed}:2 \\(possible man-in-the-middle\\)`),
  );
  t.regex(r.stdout, /good\s+: ok=1 changed=1 unreachable=0 failed=0/);
  t.regex(r.stdout, /moved\s+: ok=0 changed=0 unreachable=1/);
  t.is(await readFile(`${work}/hk-good`, 'utf8'), 'x\n');
  await t.throwsAsync(readFile(`${work}/hk-moved`), undefined, 'nothing written on the host whose key changed');
  t.is((await readFile(changed, 'utf8')).split('\n').length, 3, 'the known_hosts file is left as it was (never rewritten)');
});

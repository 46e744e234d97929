/**
 * ansible.cfg and ANSIBLE_* as prov reads them: Ansible's lookup order (first found wins, never
 * merged), the environment over the file, typed values, configparser's dialect (checked with
 * Python's configparser.ConfigParser(inline_comment_prefixes=(';',)), as Ansible builds it) and
 * clear errors. Every test injects env, cwd and HOME: the real ~/.ansible.cfg is never read.
 */
import test from 'ava';
import { chmod, mkdir } from 'node:fs/promises';
import { findConfigFile, loadAnsibleConfig, type ConfigEnvironment } from '../../../src/config/ansible-config.js';
import { iniGet, parseConfigIni } from '../../../src/config/ini-parser.js';
import { ProvError } from '../../../src/core/errors.js';
import { connectionOf } from '../../../src/inventory/connection.js';
import { applyTargets, connectionDefaults, defaultForks, positiveSetting, trustNewHostKeys } from '../../../src/commands/settings.js';
import { captureWarnings } from '../../../src/core/warnings.js';
import { makeProject } from '../../helpers/project.js';

async function layout(t: import('ava').ExecutionContext, files: Record<string, string>) {
  const p = await makeProject({ 'cwd/.keep': '', 'home/.keep': '', ...files });
  t.teardown(p.remove);
  const where = (env: NodeJS.ProcessEnv = {}): ConfigEnvironment => ({
    env,
    cwd: p.path('cwd'),
    home: p.path('home'),
    systemConfig: p.path('etc/ansible.cfg'),
  });
  return { p, where };
}

test('lookup order: ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg; the first found wins', async (t) => {
  const { p, where } = await layout(t, {
    'env/custom.cfg': '[defaults]\nforks = 1\n',
    'cwd/ansible.cfg': '[defaults]\nforks = 2\n',
    'home/.ansible.cfg': '[defaults]\nforks = 3\ntimeout = 33\n',
    'etc/ansible.cfg': '[defaults]\nforks = 4\n',
  });
  t.is(findConfigFile(where({ ANSIBLE_CONFIG: p.path('env/custom.cfg') })), p.path('env/custom.cfg'));
  t.is(loadAnsibleConfig(where({ ANSIBLE_CONFIG: p.path('env/custom.cfg') })).forks, 1);
  t.is(loadAnsibleConfig(where()).forks, 2);
  // Not merged: the cwd file wins whole, the home file's timeout is not read.
  t.is(loadAnsibleConfig(where()).timeout, undefined);
  // ANSIBLE_CONFIG naming nothing: the next candidate.
  t.is(findConfigFile(where({ ANSIBLE_CONFIG: p.path('env/missing.cfg') })), p.path('cwd/ansible.cfg'));
  // ANSIBLE_CONFIG naming a directory: its ansible.cfg.
  await mkdir(p.path('envdir'));
  const { writeFile } = await import('node:fs/promises');
  await writeFile(p.path('envdir/ansible.cfg'), '[defaults]\nforks = 9\n');
  t.is(loadAnsibleConfig(where({ ANSIBLE_CONFIG: p.path('envdir') })).forks, 9);
  const { rm } = await import('node:fs/promises');
  await rm(p.path('cwd/ansible.cfg'));
  t.is(loadAnsibleConfig(where()).forks, 3);
  await rm(p.path('home/.ansible.cfg'));
  t.is(loadAnsibleConfig(where()).forks, 4);
  await rm(p.path('etc/ansible.cfg'));
  t.is(findConfigFile(where()), undefined);
  t.deepEqual(loadAnsibleConfig(where()), { origin: {} });
});

test('a world-writable working directory is no config source, with a warning', async (t) => {
  const { p, where } = await layout(t, { 'cwd/ansible.cfg': '[defaults]\nforks = 2\n', 'home/.ansible.cfg': '[defaults]\nforks = 3\n' });
  await chmod(p.path('cwd'), 0o777);
  const { result, warnings } = await captureWarnings(() => loadAnsibleConfig(where()));
  t.is(result.forks, 3);
  t.is(warnings.length, 1);
  t.regex(warnings[0]!, /world writable directory .* ignoring it as an ansible\.cfg source/);
});

test('ANSIBLE_* variables beat the file; an empty one counts as unset', async (t) => {
  const { p, where } = await layout(t, {
    'cwd/ansible.cfg': [
      '[defaults]',
      'inventory = inv/hosts',
      'roles_path = roles:~/roles',
      'forks = 2',
      'remote_user = cfguser',
      'private_key_file = keys/id',
      'host_key_checking = true',
      'timeout = 20',
      '[privilege_escalation]',
      'become = false',
      'become_user = cfgroot',
    ].join('\n'),
  });
  const fromFile = loadAnsibleConfig(where());
  t.like(fromFile, {
    file: p.path('cwd/ansible.cfg'),
    inventory: [p.path('cwd/inv/hosts')],
    rolesPath: [p.path('cwd/roles'), p.path('home/roles')],
    forks: 2,
    remoteUser: 'cfguser',
    privateKeyFile: p.path('cwd/keys/id'),
    hostKeyChecking: true,
    timeout: 20,
    become: false,
    becomeUser: 'cfgroot',
  });
  t.is(fromFile.origin.forks, `${p.path('cwd/ansible.cfg')} [defaults] forks`);
  const env = {
    ANSIBLE_INVENTORY: 'a.yml, /abs/b',
    ANSIBLE_ROLES_PATH: '/r1:r2',
    ANSIBLE_FORKS: '7',
    ANSIBLE_REMOTE_USER: 'envuser',
    ANSIBLE_PRIVATE_KEY_FILE: '~/k',
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_TIMEOUT: '5',
    ANSIBLE_BECOME: 'yes',
    ANSIBLE_BECOME_USER: 'envroot',
  };
  t.like(loadAnsibleConfig(where(env)), {
    inventory: [p.path('cwd/a.yml'), '/abs/b'],
    rolesPath: ['/r1', p.path('cwd/r2')],
    forks: 7,
    remoteUser: 'envuser',
    privateKeyFile: p.path('home/k'),
    hostKeyChecking: false,
    timeout: 5,
    become: true,
    becomeUser: 'envroot',
    origin: { forks: 'ANSIBLE_FORKS' },
  });
  t.is(loadAnsibleConfig(where({ ANSIBLE_FORKS: '' })).forks, 2);
});

test('configparser dialect: key: value, inline " ;" comments only, continuation lines, [DEFAULT], keys lower-cased', (t) => {
  const ini = parseConfigIni(
    'x.cfg',
    [
      '# comment',
      '; comment',
      '[DEFAULT]',
      'timeout = 30',
      '[defaults]',
      'inventory = hosts.ini, more ; inline comment',
      'remote_user: deploy',
      'roles_path = roles#not a comment',
      'forks=7;not a comment either',
      'private_key_file =',
      '  ~/.ssh/id_multi',
      '',
      '  second',
      'host_key_checking = False',
      'Unknown_Key = whatever',
      '[privilege_escalation]',
      'become = yes',
    ].join('\n'),
  );
  t.is(iniGet(ini, 'defaults', 'inventory'), 'hosts.ini, more');
  t.is(iniGet(ini, 'defaults', 'remote_user'), 'deploy');
  t.is(iniGet(ini, 'defaults', 'roles_path'), 'roles#not a comment');
  t.is(iniGet(ini, 'defaults', 'forks'), '7;not a comment either');
  t.is(iniGet(ini, 'defaults', 'private_key_file'), '\n~/.ssh/id_multi\n\nsecond');
  t.is(iniGet(ini, 'defaults', 'unknown_key'), 'whatever');
  t.is(iniGet(ini, 'defaults', 'timeout'), '30');
  t.is(iniGet(ini, 'privilege_escalation', 'timeout'), '30');
  t.is(iniGet(ini, 'nosuchsection', 'timeout'), undefined);
});

test('errors: a bad value names the file, line and key; unknown keys are ignored; a broken file is an error', async (t) => {
  const { p, where } = await layout(t, { 'cwd/ansible.cfg': '[defaults]\nsome_unknown = ???\nforks = many\n' });
  const err = t.throws(() => loadAnsibleConfig(where()), { instanceOf: ProvError });
  t.is(err!.message, `${p.path('cwd/ansible.cfg')}:3: [defaults] forks must be an integer, got "many"`);
  t.is((err as ProvError).exitCode, 4);
  const env = t.throws(() => loadAnsibleConfig(where({ ANSIBLE_FORKS: '3', ANSIBLE_BECOME: 'perhaps' })), { instanceOf: ProvError });
  t.regex(env!.message, /^environment variable ANSIBLE_BECOME must be a boolean/);
  t.throws(() => loadAnsibleConfig(where({ ANSIBLE_FORKS: '3', ANSIBLE_TIMEOUT: '0' })), { message: /ANSIBLE_TIMEOUT must be a positive integer/ });
  t.throws(() => parseConfigIni('x.cfg', 'forks = 1\n'), { message: /^x\.cfg:1: expected a \[section\] header/ });
  t.throws(() => parseConfigIni('x.cfg', '[defaults]\nforks = 1\nforks = 2\n'), { message: /^x\.cfg:3: key 'forks' appears twice/ });
  t.throws(() => parseConfigIni('x.cfg', '[defaults]\n[defaults]\n'), { message: /^x\.cfg:2: section \[defaults\] appears twice/ });
  t.throws(() => parseConfigIni('x.cfg', '[defaults]\njust words\n'), { message: /^x\.cfg:2: expected key = value/ });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(p.path('noext'), '[defaults]\n');
  t.throws(() => loadAnsibleConfig(where({ ANSIBLE_CONFIG: p.path('noext') })), { message: /unsupported configuration file extension/ });
});

test('host_key_checking = false trusts new host keys, loudly; the flag needs no warning', async (t) => {
  const { where } = await layout(t, { 'cwd/ansible.cfg': '[defaults]\nhost_key_checking = False\n' });
  const config = loadAnsibleConfig(where());
  const { result, warnings } = await captureWarnings(() => trustNewHostKeys(undefined, config));
  t.true(result);
  t.is(warnings.length, 1);
  t.regex(warnings[0]!, /host_key_checking is false \(.*ansible\.cfg \[defaults\] host_key_checking\): prov accepts and records .* still refused/);
  const flag = await captureWarnings(() => trustNewHostKeys(true, config));
  t.true(flag.result);
  t.deepEqual(flag.warnings, []);
  t.false(trustNewHostKeys(undefined, { origin: {}, hostKeyChecking: true }));
  t.false(trustNewHostKeys(undefined, { origin: {} }));
});

test('configured connection defaults apply only where the host sets nothing', (t) => {
  const defaults = connectionDefaults({ origin: {}, remoteUser: 'deploy', privateKeyFile: '/k/id', become: true, becomeUser: 'admin' });
  const plain = connectionOf({}, 'h', { defaults });
  t.like(plain, { user: 'deploy', privateKeyFile: '/k/id', become: true, becomeUser: 'admin' });
  const own = connectionOf({ ansible_user: 'me', ansible_private_key_file: '/mine', ansible_become: false, ansible_become_user: 'x' }, 'h', { defaults });
  t.like(own, { user: 'me', privateKeyFile: '/mine', become: false, becomeUser: 'x' });
});

test('prov apply arguments: [inventory] [playbook]; with -i the one argument is the playbook; else the configured inventory', (t) => {
  const config = { origin: {}, inventory: ['/cfg/hosts'] };
  t.deepEqual(applyTargets('inv.yml', 'site.yml', undefined, undefined, config), { sources: ['inv.yml'], playbook: 'site.yml' });
  t.deepEqual(applyTargets('inv.yml', undefined, undefined, undefined, config), { sources: ['inv.yml'] });
  t.deepEqual(applyTargets('site.yml', undefined, ['a', 'b'], undefined, config), { sources: ['a', 'b'], playbook: 'site.yml' });
  t.deepEqual(applyTargets(undefined, undefined, ['a'], undefined, config), { sources: ['a'] });
  t.deepEqual(applyTargets(undefined, undefined, undefined, undefined, config), { sources: ['/cfg/hosts'] });
  t.deepEqual(applyTargets(undefined, undefined, undefined, 'site.yml', config), { sources: ['/cfg/hosts'], playbook: 'site.yml' });
  t.deepEqual(applyTargets('inv.yml', undefined, undefined, 'site.yml', config), { sources: ['inv.yml'], playbook: 'site.yml' });
  t.throws(() => applyTargets('x', 'y', ['a'], undefined, config), { message: /with -i, give at most one argument/ });
  t.throws(() => applyTargets('x', undefined, ['a'], 'site.yml', config), { message: /either as an argument or with --playbook/ });
  t.throws(() => applyTargets('inv', 'x', undefined, 'site.yml', config), { message: /either as an argument or with --playbook/ });
  const none = t.throws(() => applyTargets(undefined, undefined, undefined, undefined, { origin: {} }), { instanceOf: ProvError });
  t.is((none as ProvError).exitCode, 5);
  t.regex(none!.message, /no inventory: .*ANSIBLE_INVENTORY.*ansible\.cfg/);
});

test('forks: -f beats the configured forks, which beats the default of every host up to 50', (t) => {
  t.is(defaultForks(0), 1);
  t.is(defaultForks(22), 22);
  t.is(defaultForks(1000), 50);
  t.is(positiveSetting(undefined, undefined, defaultForks(22), '--forks'), 22);
  t.is(positiveSetting(undefined, 5, defaultForks(22), '--forks'), 5);
  t.is(positiveSetting(3, 5, defaultForks(22), '--forks'), 3);
});

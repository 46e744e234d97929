/**
 * The aws_ec2 inventory against its oracle: Debian's `ansible-inventory` with the amazon.aws
 * collection's aws_ec2 plugin (5.5.1, python3-boto3) and prov read the same inventory file from
 * the same moto_server on loopback, and their `--list` output must be the same JSON: groups,
 * their order, every host's variables. The plugin cannot be given an endpoint (5.5.1 has no
 * endpoint_url option), so test/helpers/aws-oracle/sitecustomize.py points its boto3 clients at
 * moto, and HTTP(S)_PROXY on a closed loopback port catches any client that it missed.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prov } from '../helpers/cli.js';
import { type Moto, type MotoWorkspace, startMotoWorkspace } from '../helpers/moto.js';

let space: MotoWorkspace;
let moto: Moto;
let dir: string;

test.before(async () => {
  space = await startMotoWorkspace('prov-aws-oracle-');
  ({ moto, dir } = space);
  await writeFile(join(dir, 'ansible.cfg'), '[defaults]\n');
});
test.after.always(() => space?.stop());

function ansibleInventory(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env['PATH'],
    HOME: dir,
    ...moto.env(dir),
    ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
    ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
    PYTHONPATH: fileURLToPath(new URL('../helpers/aws-oracle', import.meta.url)),
    PROV_ORACLE_EC2_ENDPOINT: moto.endpoint,
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1',
  };
  return new Promise((resolve) =>
    execFile('/usr/bin/ansible-inventory', ['-i', file, '--list'], { env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** Each case is the body of an aws_ec2 file (after plugin, regions and endpoint_url). */
const cases: Record<string, (m: Moto) => string> = {
  'hostnames tag:Name then private-ip-address': () => 'hostnames: [tag:Name, private-ip-address]\n',
  'hostnames instance-id': () => 'hostnames: [instance-id]\n',
  'default hostnames': () => '',
  'hostnames with a prefix mapping': () => "hostnames:\n  - name: tag:Name\n    prefix: tag:Role\n    separator: '-'\n  - private-ip-address\n",
  'filters with instance-state-name': () => 'hostnames: [tag:Name, instance-id]\nfilters:\n  tag:Env: prod\n  instance-state-name: running\n',
  'stopped only': () => 'hostnames: [tag:Name]\nfilters:\n  instance-state-name: [stopped]\n',
  'include_filters and exclude_filters': (m) =>
    `hostnames: [tag:Name, instance-id]\nfilters:\n  tag:Role: router\ninclude_filters:\n  - vpc-id: ${m.world.other_vpc}\nexclude_filters:\n  - tag:Name: r2\n`,
  'keyed_groups, groups and compose': () =>
    [
      'hostnames: [tag:Name, private-ip-address]',
      'keyed_groups:',
      '  - key: tags.Role',
      '    prefix: role',
      '  - key: tags.Team',
      '    prefix: team',
      '    separator: "-"',
      '  - key: placement.availability_zone',
      '  - key: tags',
      '    prefix: tag',
      '  - key: instance_type',
      '    prefix: type',
      '  - key: missing.thing',
      '    prefix: never',
      'groups:',
      '  routers: "tags.Role == \'router\'"',
      "  hosts: \"tags.Role == 'host' and state.name == 'running'\"",
      '  broken: undefined_variable.x',
      'compose:',
      '  ansible_host: private_ip_address',
      '  subnet_address: private_ip_address',
      '  az_upper: placement.availability_zone | upper',
      '',
    ].join('\n'),
  'keyed_groups without a leading separator, default_value, trailing_separator': () =>
    [
      'hostnames: [tag:Name, instance-id]',
      'leading_separator: false',
      'keyed_groups:',
      '  - key: placement.availability_zone',
      '  - key: tags.Team',
      '    prefix: team',
      '    default_value: none',
      '  - key: tags.Missing',
      '    prefix: nothing',
      '    trailing_separator: false',
      '',
    ].join('\n'),
};

for (const [name, body] of Object.entries(cases)) {
  test(`ansible-inventory and prov list the same inventory: ${name}`, async (t) => {
    const file = await space.awsEc2File(name.replace(/[^a-z0-9]+/gi, '-'), body(moto));
    const [oracle, ours] = await Promise.all([ansibleInventory(file), prov(['inventory', file, '--list'], { env: moto.env(dir) })]);
    t.is(oracle.code, 0, oracle.stderr);
    t.is(ours.code, 0, ours.stderr);
    t.is(ours.stderr, '', 'prov prints nothing on stderr (no SDK warning either)');
    const expected = JSON.parse(oracle.stdout) as Record<string, unknown>;
    t.true(Object.keys((expected['_meta'] as { hostvars: object }).hostvars).length > 0, 'the oracle listed hosts');
    t.deepEqual(JSON.parse(ours.stdout), expected);
  });
}

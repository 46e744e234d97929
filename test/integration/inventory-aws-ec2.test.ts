/**
 * `prov inventory x.aws_ec2.yml --list` against a real EC2 API on loopback: moto_server,
 * started here on a free port and loaded through boto3 (test/helpers/moto-ec2-load.py) with two
 * VPCs, subnets and tagged instances, one stopped. Never the real cloud: the SDK gets the
 * endpoint_url and test credentials from the environment.
 */
import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prov } from '../helpers/cli.js';
import { type Moto, type MotoWorkspace, type MotoWorld, startMotoWorkspace } from '../helpers/moto.js';

let space: MotoWorkspace;
let moto: Moto;
let endpoint: string;
let world: MotoWorld;
let dir: string;
const env = () => moto.env(dir);

test.before(async () => {
  space = await startMotoWorkspace('prov-aws-ec2-');
  ({ moto, dir } = space);
  ({ endpoint, world } = moto);
});
test.after.always(() => space?.stop());

interface List {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } | List['_meta'];
}

async function list(name: string, body: string): Promise<List> {
  const file = await space.awsEc2File(name, body);
  const r = await prov(['inventory', file, '--list'], { env: env() });
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as List;
}

const hostsOf = (l: List, group: string) => [...((l[group] as { hosts?: string[] } | undefined)?.hosts ?? [])].sort();

test.serial('hostnames: tag:Name first, else private-ip-address; running and stopped, never terminated; the group aws_ec2', async (t) => {
  const l = await list('names', 'hostnames: [tag:Name, private-ip-address]\n');
  t.deepEqual(hostsOf(l, 'aws_ec2'), ['10.0.1.71', 'app1', 'dev1', 'old', 'r1', 'r2']);
  t.deepEqual((l['all'] as { children: string[] }).children, ['ungrouped', 'aws_ec2']);
  const r1 = l._meta.hostvars['r1']!;
  t.is(r1['instance_id'], world.ids['r1']);
  t.is(r1['private_ip_address'], '10.0.1.10');
  t.is(r1['vpc_id'], world.vpc);
  t.is(r1['subnet_id'], world.subnet);
  t.deepEqual(r1['tags'], { Name: 'r1', Role: 'router', Env: 'prod' });
  t.like(r1['placement'], { availability_zone: 'us-east-1a', region: 'us-east-1' });
  t.like(r1['state'], { name: 'running' });
  t.like(l._meta.hostvars['old']!['state'], { name: 'stopped' });
  t.is(typeof r1['launch_time'], 'string');
  t.regex(String(r1['launch_time']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
});

test.serial('default hostnames (dns-name, private-dns-name) and instance-id', async (t) => {
  const l = await list('ids', 'hostnames: [instance-id]\n');
  t.deepEqual(hostsOf(l, 'aws_ec2'), Object.values(world.ids).sort());
  const d = await list('default', '');
  t.is(hostsOf(d, 'aws_ec2').length, 6);
  for (const h of hostsOf(d, 'aws_ec2')) t.regex(h, /\.(compute|ec2)\.|amazonaws\.com$|\.internal$/);
});

test.serial('filters, include_filters, exclude_filters; instance-state-name overrides the default states', async (t) => {
  const prod = await list('filters', 'hostnames: [tag:Name, instance-id]\nfilters:\n  tag:Env: prod\n  instance-state-name: running\n');
  t.deepEqual(hostsOf(prod, 'aws_ec2'), ['app1', 'r1', 'r2', world.ids['noname']!].sort());
  const inc = await list(
    'include',
    `hostnames: [tag:Name, instance-id]\nfilters:\n  tag:Role: router\ninclude_filters:\n  - vpc-id: ${world.other_vpc}\nexclude_filters:\n  - tag:Name: r2\n`,
  );
  t.deepEqual(hostsOf(inc, 'aws_ec2'), ['dev1', 'r1']);
  const stopped = await list('stopped', 'hostnames: [tag:Name]\nfilters:\n  instance-state-name: [stopped]\n');
  t.deepEqual(hostsOf(stopped, 'aws_ec2'), ['old']);
});

test.serial('keyed_groups: prefix, separator, leading_separator, sanitising; groups; compose', async (t) => {
  const l = await list(
    'construct',
    [
      'hostnames: [tag:Name]',
      'leading_separator: false',
      'keyed_groups:',
      '  - key: tags.Role',
      '    prefix: role',
      '  - key: tags.Team',
      '    prefix: team',
      '    separator: "-"',
      '  - key: placement.availability_zone',
      '  - key: tags',
      '    prefix: tag',
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
  );
  t.deepEqual(hostsOf(l, 'role_router'), ['r1', 'r2']);
  t.deepEqual(hostsOf(l, 'team_web_front_end'), ['app1'], 'the whole name is sanitised: the separator - too');
  t.deepEqual(hostsOf(l, 'us_east_1a'), ['app1', 'old', 'r1', 'r2'], 'no prefix and leading_separator false: no leading _');
  t.deepEqual(hostsOf(l, 'tag_Env_prod'), ['app1', 'old', 'r1', 'r2']);
  t.deepEqual(hostsOf(l, 'routers'), ['r1', 'r2']);
  t.deepEqual(hostsOf(l, 'hosts'), ['app1', 'dev1']);
  t.false('broken' in l, 'strict: false skips a condition that fails');
  t.false(Object.keys(l).some((g) => g.startsWith('never')));
  t.like(l._meta.hostvars['r2'], { ansible_host: '10.0.1.11', subnet_address: '10.0.1.11', az_upper: 'US-EAST-1A' });
  const lead = await list('lead', 'hostnames: [tag:Name]\nkeyed_groups:\n  - key: placement.availability_zone\n');
  t.deepEqual(hostsOf(lead, '_us_east_1a'), ['app1', 'old', 'r1', 'r2'], 'leading_separator defaults to true');
});

test.serial('strict: true makes a failing expression an error; unknown and unsupported options are refused', async (t) => {
  const file = join(dir, 'strict.aws_ec2.yml');
  await writeFile(file, `plugin: aws_ec2\nregions: [us-east-1]\nendpoint_url: ${endpoint}\nstrict: true\nhostnames: [tag:Name]\ncompose:\n  x: nope.y\n`);
  const r = await prov(['inventory', file, '--list'], { env: env() });
  t.is(r.code, 4, r.stderr);
  t.regex(r.stderr, /strict\.aws_ec2\.yml: could not set x for host /);
  await writeFile(file, 'plugin: aws_ec2\niam_role_arn: arn:aws:iam::1:role/x\n');
  const u = await prov(['inventory', file, '--list'], { env: env() });
  t.is(u.code, 4);
  t.regex(u.stderr, /aws_ec2 option 'iam_role_arn' is not supported by prov/);
});

/**
 * An instance's host name and variables as the aws_ec2 plugin makes them: hostnames in order
 * of preference (default dns-name, then private-dns-name), the first one that gives a value;
 * `tag:Name` (or `tag:a,b`, `tag:k=v`), a DescribeInstances filter name mapped to the field it
 * reads, any other string literally, and `{name, prefix, separator}`. A name with `:` is
 * sanitised like a group name. The variables are the API's fields in snake_case, `tags` as a
 * mapping, `placement.region` added.
 */
import type { Hostname } from './config.js';
import { camelDictToSnake, sanitizeGroupName } from './names.js';
import type { RawInstance } from './query.js';

/** The plugin's instance_data_filter_to_boto_attr, for the names used as hostnames. */
const FILTER_TO_ATTR: Record<string, string[]> = {
  'dns-name': ['PublicDnsName'],
  'private-dns-name': ['PrivateDnsName'],
  'ip-address': ['PublicIpAddress'],
  'private-ip-address': ['PrivateIpAddress'],
  'instance-id': ['InstanceId'],
  'image-id': ['ImageId'],
  'instance-type': ['InstanceType'],
  'key-name': ['KeyName'],
  'subnet-id': ['SubnetId'],
  'vpc-id': ['VpcId'],
  'availability-zone': ['Placement', 'AvailabilityZone'],
  'instance-state-name': ['State', 'Name'],
  architecture: ['Architecture'],
  platform: ['Platform'],
  'network-interface.mac-address': ['NetworkInterfaces', 'MacAddress'],
  'network-interface.addresses.private-ip-address': ['NetworkInterfaces', 'PrivateIpAddress'],
  'network-interface.association.public-ip': ['NetworkInterfaces', 'Association', 'PublicIp'],
  'network-interface.private-dns-name': ['NetworkInterfaces', 'PrivateDnsName'],
};

/** The plugin's _compile_values: through lists, one-element lists unwrapped. */
function compile(obj: unknown, attr: string): unknown {
  if (obj === null || obj === undefined) return undefined;
  let value: unknown;
  if (Array.isArray(obj)) {
    value = obj.map((each) => compile(each, attr)).filter((v) => Boolean(v) && !(typeof v === 'string' && v === ''));
  } else value = (obj as Record<string, unknown>)[attr];
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

export function tagsOf(instance: RawInstance): Record<string, string> {
  return Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

function tagHostname(preference: string, instance: RawInstance): string | undefined {
  const tags = tagsOf(instance);
  for (const v of preference.slice('tag:'.length).split(',')) {
    if (v.includes('=')) {
      const [name, value] = v.split('=');
      if (tags[name!] === value) return `${name}_${value}`;
    } else if (tags[v]) return tags[v];
  }
  return undefined;
}

function hostnameFrom(instance: RawInstance, preferences: Hostname[]): string | undefined {
  let hostname: unknown;
  for (const preference of preferences) {
    if (typeof preference !== 'string') {
      hostname = hostnameFrom(instance, [preference.name]);
      const prefix = preference.prefix === undefined ? undefined : hostnameFrom(instance, [preference.prefix]);
      if (hostname && prefix) hostname = `${prefix}${preference.separator ?? '_'}${String(hostname)}`;
    } else if (preference.startsWith('tag:')) hostname = tagHostname(preference, instance);
    else if (FILTER_TO_ATTR[preference]) {
      hostname = FILTER_TO_ATTR[preference].reduce<unknown>((v, attr) => compile(v, attr), instance);
    } else hostname = preference;
    if (hostname) break;
  }
  if (!hostname) return undefined;
  const name = String(hostname);
  return name.includes(':') ? sanitizeGroupName(name) : name;
}

export function hostnameOf(instance: RawInstance, hostnames: Hostname[]): string | undefined {
  return hostnameFrom(instance, hostnames.length > 0 ? hostnames : ['dns-name', 'private-dns-name']);
}

export function hostVarsOf(instance: RawInstance): Record<string, unknown> {
  const vars = camelDictToSnake(instance, ['Tags']) as Record<string, unknown>;
  vars['tags'] = tagsOf(instance);
  const placement = vars['placement'] as Record<string, unknown> | undefined;
  if (placement && typeof placement['availability_zone'] === 'string') placement['region'] = placement['availability_zone'].slice(0, -1);
  return vars;
}

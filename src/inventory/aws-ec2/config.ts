/**
 * The options of an aws_ec2 inventory file (amazon.aws.aws_ec2), as the plugin reads them:
 * every option prov implements is checked here, any other option of the plugin is refused at
 * load time (prov never silently ignores what Ansible would do).
 */
import { parseError } from '../../core/errors.js';

export type Hostname = string | { name: string; prefix?: string; separator?: string };

export interface KeyedGroup {
  key: string;
  prefix?: string;
  separator?: string;
  default_value?: string;
  trailing_separator?: boolean;
  parent_group?: string;
}

export type Filters = Record<string, unknown>;

export interface AwsEc2Config {
  regions: string[];
  filters: Filters;
  include_filters: Filters[];
  exclude_filters: Filters[];
  hostnames: Hostname[];
  keyed_groups: KeyedGroup[];
  groups: Record<string, string>;
  compose: Record<string, string>;
  strict: boolean;
  leading_separator: boolean;
  strict_permissions: boolean;
  endpoint_url?: string;
  aws_profile?: string;
  aws_access_key?: string;
  aws_secret_key?: string;
  aws_security_token?: string;
}

export const PLUGIN_NAMES = ['amazon.aws.aws_ec2', 'aws_ec2'];
/** Options of the plugin that prov does not implement: refused. */
const UNSUPPORTED = [
  'iam_role_arn',
  'include_extra_api_calls',
  'allow_duplicated_hosts',
  'hostvars_prefix',
  'hostvars_suffix',
  'use_contrib_script_compatible_sanitization',
  'use_contrib_script_compatible_ec2_tag_keys',
  'use_extra_vars',
  'cache',
  'cache_plugin',
  'cache_timeout',
  'cache_connection',
  'cache_prefix',
  'use_ssm_inventory',
];
const KNOWN = new Set([
  'plugin',
  'regions',
  'filters',
  'include_filters',
  'exclude_filters',
  'hostnames',
  'keyed_groups',
  'groups',
  'compose',
  'strict',
  'leading_separator',
  'strict_permissions',
  'endpoint_url',
  'aws_endpoint_url',
  'aws_profile',
  'profile',
  'boto_profile',
  'aws_access_key',
  'aws_access_key_id',
  'aws_secret_key',
  'aws_secret_access_key',
  'aws_security_token',
  'session_token',
  'aws_session_token',
  'security_token',
]);
const KEYED_GROUP_KEYS = new Set(['key', 'prefix', 'separator', 'default_value', 'trailing_separator', 'parent_group']);

/** Whether a file is one that the aws_ec2 plugin would read (its verify_file). */
export function isAwsEc2File(file: string): boolean {
  return file.endsWith('aws_ec2.yml') || file.endsWith('aws_ec2.yaml');
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function parseAwsEc2Config(doc: unknown, file: string): AwsEc2Config {
  const fail = (message: string): never => {
    throw parseError(file, message);
  };
  if (!isMapping(doc)) return fail('an aws_ec2 inventory must be a mapping of options');
  if (!PLUGIN_NAMES.includes(String(doc['plugin']))) fail(`plugin must be amazon.aws.aws_ec2 (or aws_ec2), got ${JSON.stringify(doc['plugin'])}`);
  for (const key of Object.keys(doc)) {
    if (UNSUPPORTED.includes(key)) fail(`aws_ec2 option '${key}' is not supported by prov`);
    if (!KNOWN.has(key)) fail(`unknown aws_ec2 option '${key}'`);
  }
  const list = <T>(key: string, check: (v: unknown) => v is T, what: string): T[] => {
    const v = doc[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return fail(`${key} must be a list of ${what}`);
    for (const item of v) if (!check(item)) fail(`${key}: each entry must be ${what}, got ${JSON.stringify(item)}`);
    return v as T[];
  };
  const mapping = (key: string): Record<string, unknown> => {
    const v = doc[key];
    if (v === undefined || v === null) return {};
    return isMapping(v) ? v : fail(`${key} must be a mapping`);
  };
  const bool = (key: string, dflt: boolean): boolean => {
    const v = doc[key];
    if (v === undefined || v === null) return dflt;
    return typeof v === 'boolean' ? v : fail(`${key} must be true or false, got ${JSON.stringify(v)}`);
  };
  const str = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const v = doc[key];
      if (v === undefined || v === null) continue;
      return typeof v === 'string' ? v : fail(`${key} must be a string`);
    }
    return undefined;
  };
  const isString = (v: unknown): v is string => typeof v === 'string';
  const isHostname = (v: unknown): v is Hostname => typeof v === 'string' || (isMapping(v) && typeof v['name'] === 'string');
  const keyed = list('keyed_groups', isMapping, 'a mapping with a key').map((k) => {
    for (const name of Object.keys(k)) if (!KEYED_GROUP_KEYS.has(name)) fail(`keyed_groups: unknown option '${name}'`);
    if (typeof k['key'] !== 'string') fail(`keyed_groups: each entry needs a key (an expression), got ${JSON.stringify(k)}`);
    if (k['parent_group'] !== undefined) fail('keyed_groups: parent_group is not supported by prov');
    if (k['trailing_separator'] !== undefined && k['default_value'] !== undefined)
      fail('keyed_groups: parameters are mutually exclusive for keyed groups: default_value|trailing_separator');
    return k as unknown as KeyedGroup;
  });
  const exprs = (key: string): Record<string, string> => {
    const m = mapping(key);
    for (const [name, v] of Object.entries(m))
      if (typeof v !== 'string' && typeof v !== 'boolean' && typeof v !== 'number') fail(`${key}.${name} must be an expression`);
    return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)]));
  };
  const config: AwsEc2Config = {
    regions: list('regions', isString, 'a region name'),
    filters: mapping('filters'),
    include_filters: list('include_filters', isMapping, 'a mapping of filters'),
    exclude_filters: list('exclude_filters', isMapping, 'a mapping of filters'),
    hostnames: list('hostnames', isHostname, "a name (tag:Name, private-ip-address, ...) or a mapping with 'name'"),
    keyed_groups: keyed,
    groups: exprs('groups'),
    compose: exprs('compose'),
    strict: bool('strict', false),
    leading_separator: bool('leading_separator', true),
    strict_permissions: bool('strict_permissions', true),
  };
  const optional: Array<[keyof AwsEc2Config, string | undefined]> = [
    ['endpoint_url', str('endpoint_url', 'aws_endpoint_url')],
    ['aws_profile', str('aws_profile', 'profile', 'boto_profile')],
    ['aws_access_key', str('aws_access_key', 'aws_access_key_id')],
    ['aws_secret_key', str('aws_secret_key', 'aws_secret_access_key')],
    ['aws_security_token', str('aws_security_token', 'session_token', 'aws_session_token', 'security_token')],
  ];
  for (const [k, v] of optional) if (v !== undefined) (config as unknown as Record<string, unknown>)[k] = v;
  return config;
}

/** A YAML document that names the aws_ec2 plugin. */
export function isAwsEc2Document(doc: unknown): boolean {
  return isMapping(doc) && 'plugin' in doc;
}

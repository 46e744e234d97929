/**
 * The instances an aws_ec2 inventory names, fetched as the plugin fetches them: for each
 * include filter set (`filters` first, then include_filters; none = every instance) and each
 * region, DescribeInstances with the filters and, unless a filter names instance-state-name,
 * only pending/running/stopping/stopped instances; instances matched by any exclude_filters
 * set are left out; the result is sorted by instance id. Credentials come from the file or the
 * AWS SDK's standard chain (environment, shared files, SSO, IMDS...).
 */
import type { EC2ClientConfig, Filter, Instance } from '@aws-sdk/client-ec2';
import { ProvError, errorMessage } from '../../core/errors.js';
import type { AwsEc2Config, Filters } from './config.js';

/**
 * The SDK, loaded on the first aws_ec2 inventory read only: importing it costs about 0.5 s and
 * 85 MB of the controller's memory, which every other run (a lab, an INI inventory) must not pay.
 */
const sdk = () => import('@aws-sdk/client-ec2');

export type RawInstance = Instance & { OwnerId?: string; RequesterId?: string; ReservationId?: string };

/** ansible_dict_to_boto3_filter_list. */
export function toFilterList(filters: Filters): Filter[] {
  return Object.entries(filters).map(([name, v]) => {
    const values =
      typeof v === 'boolean' ? [String(v)] : typeof v === 'number' || typeof v === 'string' ? [String(v)] : Array.isArray(v) ? v.map(String) : [String(v)];
    return { Name: name, Values: values };
  });
}

function clientConfig(config: AwsEc2Config, region: string): EC2ClientConfig {
  // The pinned SDK supports Node 20 (package.json engines); its warning about later SDK releases
  // needing Node 22 would print on every inventory read. A user's own setting still wins.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const c: EC2ClientConfig = { region };
  if (config.endpoint_url) c.endpoint = config.endpoint_url;
  if (config.aws_access_key && config.aws_secret_key) {
    c.credentials = {
      accessKeyId: config.aws_access_key,
      secretAccessKey: config.aws_secret_key,
      ...(config.aws_security_token ? { sessionToken: config.aws_security_token } : {}),
    };
  } else if (config.aws_profile) {
    process.env['AWS_PROFILE'] = config.aws_profile;
  }
  return c;
}

async function regionsOf(config: AwsEc2Config, file: string): Promise<string[]> {
  if (config.regions.length > 0) return config.regions;
  const { DescribeRegionsCommand, EC2Client } = await sdk();
  const client = new EC2Client(clientConfig(config, process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1'));
  try {
    const out = await client.send(new DescribeRegionsCommand({}));
    return (out.Regions ?? []).map((r) => r.RegionName!).filter(Boolean);
  } catch (err) {
    throw new ProvError('parse', `${file}: no regions given and DescribeRegions failed: ${errorMessage(err)}`, { cause: err });
  } finally {
    client.destroy();
  }
}

async function instancesIn(config: AwsEc2Config, file: string, regions: string[], filters: Filter[]): Promise<RawInstance[]> {
  const all: RawInstance[] = [];
  const withState = filters.some((f) => f.Name === 'instance-state-name')
    ? filters
    : [...filters, { Name: 'instance-state-name', Values: ['running', 'pending', 'stopping', 'stopped'] }];
  const { DescribeInstancesCommand, EC2Client } = await sdk();
  for (const region of regions) {
    const client = new EC2Client(clientConfig(config, region));
    try {
      let token: string | undefined;
      do {
        const out = await client.send(new DescribeInstancesCommand({ Filters: withState, ...(token ? { NextToken: token } : {}) }));
        for (const r of out.Reservations ?? []) {
          for (const i of r.Instances ?? []) all.push({ ...i, OwnerId: r.OwnerId, RequesterId: r.RequesterId ?? '', ReservationId: r.ReservationId });
        }
        token = out.NextToken;
      } while (token);
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 403 && !config.strict_permissions) continue;
      throw new ProvError('parse', `${file}: failed to describe instances in ${region}: ${errorMessage(err)}`, { cause: err });
    } finally {
      client.destroy();
    }
  }
  return all;
}

export async function queryInstances(config: AwsEc2Config, file: string): Promise<RawInstance[]> {
  const regions = await regionsOf(config, file);
  const includes =
    Object.keys(config.filters).length > 0 ? [config.filters, ...config.include_filters] : config.include_filters.length > 0 ? config.include_filters : [{}];
  const ignore = new Set<string>();
  for (const f of config.exclude_filters) for (const i of await instancesIn(config, file, regions, toFilterList(f))) ignore.add(i.InstanceId!);
  const instances: RawInstance[] = [];
  for (const f of includes) {
    for (const i of await instancesIn(config, file, regions, toFilterList(f))) {
      if (ignore.has(i.InstanceId!)) continue;
      instances.push(i);
      ignore.add(i.InstanceId!);
    }
  }
  return instances.sort((a, b) => (a.InstanceId! < b.InstanceId! ? -1 : a.InstanceId! > b.InstanceId! ? 1 : 0));
}

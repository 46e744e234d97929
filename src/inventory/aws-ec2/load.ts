/**
 * An aws_ec2 inventory file read into the inventory being built, as the amazon.aws.aws_ec2
 * plugin populates it: the group aws_ec2 (a child of all) with every instance that has a host
 * name, the instance's variables, then compose, groups and keyed_groups.
 */
import { parseError } from '../../core/errors.js';
import type { InventoryBuilder, Fail } from '../builder.js';
import { parseAwsEc2Config } from './config.js';

export { isAwsEc2Document } from './config.js';
import { construct } from './construct.js';
import { hostnameOf, hostVarsOf } from './hostvars.js';
import { queryInstances } from './query.js';

export async function addAwsEc2Inventory(builder: InventoryBuilder, file: string, doc: unknown): Promise<void> {
  const config = parseAwsEc2Config(doc, file);
  const fail: Fail = (message) => {
    throw parseError(file, message);
  };
  const instances = await queryInstances(config, file);
  const group = builder.addGroup('aws_ec2', fail);
  builder.addChild('all', 'aws_ec2', fail);
  for (const instance of instances) {
    const name = hostnameOf(instance, config.hostnames);
    if (!name) continue;
    const host = builder.addHost(name, group, undefined, fail);
    const vars = hostVarsOf(instance);
    for (const [k, v] of Object.entries(vars)) builder.setHostVar(host, k, v, fail);
    const made = construct(config, name, vars, file);
    for (const [k, v] of Object.entries(made.vars)) builder.setHostVar(host, k, v, fail);
    for (const g of made.groups) {
      const target = builder.addGroup(g, fail);
      builder.addHost(name, target, undefined, fail);
    }
  }
}

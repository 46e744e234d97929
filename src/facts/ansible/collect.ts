/**
 * The Ansible-shaped facts as one fact source of the fact script (gather.ts): every implemented
 * collector's commands run in the one round trip, whatever the play's gather_subset says, and
 * each collector's facts are kept apart (AnsibleFactGroups) so that a play's gather_subset can
 * pick from them (subset.ts). Names and shapes are those of Ansible's setup module, unprefixed.
 */
import type { FactSource } from '../fact.js';
import { splitBlocks } from './blocks.js';
import { dateTimeCommand, parseDateTime } from './date-time.js';
import { distributionCommand, parseDistribution, parseLsb } from './distribution.js';
import { dnsCommand, parseDns } from './dns.js';
import { envCommand, parseEnv } from './env.js';
import { hardwareCommand, parseHardware } from './hardware.js';
import { networkCommand, parseNetwork } from './network.js';
import { parsePkgMgr, pkgMgrCommand } from './pkg-mgr.js';
import { parsePlatform, platformCommand } from './platform.js';
import { parsePython, pythonCommand } from './python.js';
import { parseServiceMgr, serviceMgrCommand } from './service-mgr.js';
import { parseUser, userCommand } from './user.js';
import { parseVirtual, virtualCommand } from './virtual.js';
import type { AnsibleCollector, AnsibleFactGroups } from '../../core/facts.js';

export type { AnsibleCollector, AnsibleFactGroups };

export const ansibleFactsCommand = [
  platformCommand,
  distributionCommand,
  dnsCommand,
  envCommand,
  pythonCommand,
  pkgMgrCommand,
  serviceMgrCommand,
  dateTimeCommand,
  userCommand,
  networkCommand,
  hardwareCommand,
  virtualCommand,
].join('\n');

export function parseAnsibleFacts(output: string): AnsibleFactGroups {
  const blocks = splitBlocks(output);
  const python = parsePython(blocks);
  const platform = parsePlatform(blocks);
  if (python.python_version !== undefined) platform.python_version = python.python_version;
  const distribution = parseDistribution(blocks, python.systemDistro);
  return {
    platform,
    distribution,
    lsb: parseLsb(blocks),
    dns: parseDns(blocks),
    env: parseEnv(blocks),
    python: python.python === undefined ? {} : { python: python.python },
    pkg_mgr: parsePkgMgr(blocks, String(distribution.os_family)),
    service_mgr: parseServiceMgr(blocks, String(platform.system)),
    date_time: parseDateTime(blocks),
    user: parseUser(blocks),
    network: parseNetwork(blocks),
    hardware: parseHardware(blocks, String(platform.architecture ?? '')),
    virtual: parseVirtual(blocks),
  };
}

export const ansibleFactsSource: FactSource<AnsibleFactGroups> = {
  name: 'ansible',
  command: ansibleFactsCommand,
  parse: parseAnsibleFacts,
};

/**
 * Gathers every fact in ONE round trip: one generated sh script runs each fact's command after a
 * marker line, and each section of the output goes to that fact's pure parser. A tool that is
 * missing or fails yields its fact's neutral value, never an error; only a transport failure
 * (the exec itself throwing) propagates.
 */
import { randomBytes } from 'node:crypto';
import { shellQuote, type ExecResult } from '../core/transport.js';
import { ansibleFactsSource } from './ansible/collect.js';
import { archFact } from './arch.js';
import { ec2MetadataFact } from './ec2-metadata.js';
import type { FactSource } from './fact.js';
import { hostnameFact } from './hostname.js';
import { initSystemFact } from './init-system.js';
import { interfacesFact } from './interfaces.js';
import { kernelFact } from './kernel.js';
import { networkManagerFact } from './network-manager.js';
import { osReleaseFact } from './os-release.js';
import { defaultInterface, routesFact } from './routes.js';
import type { Facts } from '../core/facts.js';

/**
 * What every host needs before its first task, whatever the playbook: the machine's identity and
 * network, and Ansible's setup facts. Nothing here knows a role: what a role's tasks read (a
 * sysctl, a package, FRR's version) comes from the modules' declared reads (src/runner/prefetch.ts),
 * batched per host into one round trip.
 */
function sources() {
  return {
    os: osReleaseFact,
    kernel: kernelFact,
    arch: archFact,
    hostname: hostnameFact,
    interfaces: interfacesFact,
    routes: routesFact,
    initSystem: initSystemFact,
    networkManager: networkManagerFact,
    ansible: ansibleFactsSource,
    ec2: ec2MetadataFact,
  } satisfies Record<string, FactSource<unknown>>;
}

/**
 * The script: for each fact, a newline, the marker and the fact's name on a line of their own,
 * then the fact's command with stderr discarded and stdin closed. The leading newline keeps the
 * marker on its own line when the previous command's output does not end in one.
 */
export function factScript(marker: string, facts: FactSource<unknown>[]): string {
  return facts.map((fact) => `printf '\\n%s %s\\n' ${shellQuote(marker)} ${shellQuote(fact.name)}\n{\n${fact.command}\n} </dev/null 2>/dev/null`).join('\n');
}

/** Splits the script's output into name -> section text (without the newline the script added). */
export function splitSections(stdout: string, marker: string): Map<string, string> {
  const sections = new Map<string, string>();
  const header = new RegExp(`\\n${marker} (\\S+)\\n`, 'g');
  const found = [...stdout.matchAll(header)];
  found.forEach((match, i) => {
    const start = match.index! + match[0].length;
    const end = i + 1 < found.length ? found[i + 1]!.index! : stdout.length;
    sections.set(match[1]!, stdout.slice(start, end));
  });
  return sections;
}

function parseSection<T>(fact: FactSource<T>, sections: Map<string, string>): T {
  try {
    return fact.parse(sections.get(fact.name) ?? '');
  } catch {
    return fact.parse(''); // a parser bug on odd output must not stop the run
  }
}

export async function gatherFacts(exec: (command: string) => Promise<ExecResult>): Promise<Facts> {
  const marker = `__prov_fact_${randomBytes(8).toString('hex')}__`;
  const facts = sources();
  const result = await exec(factScript(marker, Object.values(facts)));
  const sections = splitSections(result.stdout, marker);
  const kernel = parseSection(facts.kernel, sections);
  const routes = parseSection(facts.routes, sections);
  const network = parseSection(facts.networkManager, sections);
  return {
    hostname: parseSection(facts.hostname, sections),
    os: parseSection(facts.os, sections),
    kernel: kernel.kernel,
    kernelVersion: kernel.kernelVersion,
    arch: parseSection(facts.arch, sections),
    interfaces: parseSection(facts.interfaces, sections),
    routes,
    defaultInterface: defaultInterface(routes),
    initSystem: parseSection(facts.initSystem, sections),
    networkManager: network.networkManager,
    dhcpClient: network.dhcpClient,
    ansible: parseSection(facts.ansible, sections),
    ec2: parseSection(facts.ec2, sections),
  };
}

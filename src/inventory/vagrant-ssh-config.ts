/**
 * Reads the output of `vagrant ssh-config` (Vagrant 2.3.4's templates/commands/ssh_config/config.erb):
 * one `Host NAME` block per machine, its lines indented, a blank line after each block, and
 * an IdentityFile path in double quotes only when it holds a space. Keywords are matched
 * without case and may be followed by `=`, as ssh_config(5) allows; the keywords the importer
 * does not need (PasswordAuthentication, IdentitiesOnly, LogLevel, ForwardAgent, ...) are kept
 * out of the result, an `Include` is refused (prov cannot follow it).
 */
import { ProvError } from '../core/errors.js';

export interface VagrantMachine {
  name: string;
  hostName: string;
  port: number;
  user?: string;
  /** In the order given: ssh tries them one after the other. */
  identityFiles: string[];
  proxyCommand?: string;
  /** `UserKnownHostsFile /dev/null` with `StrictHostKeyChecking no`: Vagrant's default, no host-key checking at all. */
  hostKeysUnchecked: boolean;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

interface Block {
  name: string;
  line: number;
  options: Array<{ keyword: string; value: string; line: number }>;
}

function blocksOf(text: string, source: string): Block[] {
  const blocks: Block[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) throw new ProvError('parse', `${source}:${index + 1}: '${line}' has no value`);
    const keyword = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (keyword === 'host') {
      if (/\s/.test(value)) throw new ProvError('parse', `${source}:${index + 1}: Host '${value}' names more than one machine`);
      blocks.push({ name: value, line: index + 1, options: [] });
      return;
    }
    const block = blocks.at(-1);
    if (!block) throw new ProvError('parse', `${source}:${index + 1}: '${m[1]}' before the first Host line`);
    block.options.push({ keyword, value, line: index + 1 });
  });
  return blocks;
}

function machineOf(block: Block, source: string): VagrantMachine {
  let hostName: string | undefined;
  let port = 22;
  let user: string | undefined;
  let proxyCommand: string | undefined;
  let knownHostsNull = false;
  let strictNo = false;
  const identityFiles: string[] = [];
  for (const { keyword, value, line } of block.options) {
    const where = `${source}:${line}: ${block.name}`;
    switch (keyword) {
      case 'hostname':
        hostName ??= unquote(value);
        break;
      case 'port':
        if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw new ProvError('parse', `${where}: Port '${value}' is not a port number`);
        port = Number(value);
        break;
      case 'user':
        user ??= unquote(value);
        break;
      case 'identityfile':
        identityFiles.push(unquote(value));
        break;
      case 'proxycommand':
        proxyCommand ??= value;
        break;
      case 'userknownhostsfile':
        knownHostsNull = unquote(value) === '/dev/null';
        break;
      case 'stricthostkeychecking':
        strictNo = value.toLowerCase() === 'no';
        break;
      case 'include':
        throw new ProvError('parse', `${where}: Include ${value}: prov does not read included ssh configuration; give the settings in the block`);
      default:
        break;
    }
  }
  if (hostName === undefined) throw new ProvError('parse', `${source}:${block.line}: Host ${block.name} has no HostName`);
  return {
    name: block.name,
    hostName,
    port,
    ...(user === undefined ? {} : { user }),
    identityFiles,
    ...(proxyCommand ? { proxyCommand } : {}),
    hostKeysUnchecked: knownHostsNull && strictNo,
  };
}

/** The machines of `vagrant ssh-config` output, in order; `source` names it in errors. */
export function parseVagrantSshConfig(text: string, source: string): VagrantMachine[] {
  const blocks = blocksOf(text, source);
  if (blocks.length === 0) throw new ProvError('parse', `${source}: no Host block: is this the output of \`vagrant ssh-config\`?`);
  const seen = new Set<string>();
  return blocks.map((b) => {
    if (seen.has(b.name)) throw new ProvError('parse', `${source}:${b.line}: Host ${b.name} appears twice`);
    seen.add(b.name);
    return machineOf(b, source);
  });
}

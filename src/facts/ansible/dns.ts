/** Ansible's `dns` collector: /etc/resolv.conf. */
import { fileBlock, fileContent, type Blocks } from './blocks.js';

export const dnsCommand = fileBlock('/etc/resolv.conf');

export function parseResolvConf(text: string): Record<string, unknown> {
  const dns: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith(';') || line.trim() === '') continue;
    const tokens = line.trim().split(/\s+/);
    const [keyword, ...rest] = tokens;
    if (keyword === 'nameserver') ((dns.nameservers ??= []) as string[]).push(...rest);
    else if (keyword === 'domain') {
      if (rest.length > 0) dns.domain = rest[0];
    } else if (keyword === 'search') dns.search = [...rest];
    else if (keyword === 'sortlist') dns.sortlist = [...rest];
    else if (keyword === 'options') {
      const options: Record<string, string | boolean> = {};
      for (const option of rest) {
        const colon = option.indexOf(':');
        options[colon < 0 ? option : option.slice(0, colon)] = colon < 0 || option.slice(colon + 1) === '' ? true : option.slice(colon + 1);
      }
      dns.options = options;
    }
  }
  return dns;
}

export function parseDns(blocks: Blocks): Record<string, unknown> {
  return { dns: parseResolvConf(fileContent(blocks, '/etc/resolv.conf') ?? '') };
}

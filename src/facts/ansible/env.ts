/** Ansible's `env` collector: the environment the facts are gathered in. */
import { block, blockText, type Blocks } from './blocks.js';

/** NUL-separated `env -0`, with each entry's newlines turned into \036 and the NULs into newlines. */
export const envCommand = block('env', "env -0 | tr '\\n\\000' '\\036\\n'");

export function parseEnv(blocks: Blocks): Record<string, unknown> {
  const env: Record<string, string> = {};
  for (const line of blockText(blocks, 'env').split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    env[line.slice(0, eq)] = line.slice(eq + 1).replace(/\x1e/g, '\n');
  }
  return { env };
}

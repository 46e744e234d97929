import { ProvError } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import { isMapping } from '../playbook/yaml.js';
import { parseYaml } from '../yaml/parse.js';
import { readYamlFile } from '../yaml/read.js';

/**
 * Parses --extra-vars values as ansible-playbook does: `key=value` pairs (several per value,
 * space separated), `@file.yml` (YAML or JSON), or an inline JSON/YAML mapping. Later values win.
 */
export async function parseExtraVars(values: string[]): Promise<Vars> {
  const out: Vars = {};
  for (const value of values) {
    const text = value.trim();
    if (text.startsWith('@')) {
      const file = text.slice(1);
      const data = await readYamlFile(file);
      if (!isMapping(data)) throw new ProvError('options', `--extra-vars ${text}: the file must hold a mapping of variables`);
      Object.assign(out, data);
    } else if (text.startsWith('{')) {
      const data = parseYaml(text, '--extra-vars');
      if (!isMapping(data)) throw new ProvError('options', '--extra-vars: inline value must be a mapping');
      Object.assign(out, data);
    } else {
      for (const pair of text.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new ProvError('options', `--extra-vars '${pair}': expected key=value, @file or a JSON mapping`);
        out[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
      }
    }
  }
  return out;
}

/**
 * A play's `vars_files`, read when the play starts: each name rendered with the play's vars and
 * --extra-vars, read relative to the playbook; an entry that is itself a list takes the first of
 * its files that exists, as Ansible does. Later files win over earlier ones.
 */
import { access } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { ProvError, errorMessage, parseError } from '../core/errors.js';
import type { Vars } from '../inventory/types.js';
import type { Play } from '../playbook/types.js';
import { isMapping } from '../playbook/yaml.js';
import { renderValue } from '../template/render.js';
import { readYamlFile } from '../core/yaml/read.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function loadVarsFiles(play: Play, extraVars: Vars): Promise<Vars> {
  const vars: Vars = {};
  const scope = { ...play.vars, ...extraVars, playbook_dir: dirname(play.file) };
  const pathOf = (name: string): string => {
    let rendered: unknown;
    try {
      rendered = renderValue(name, scope);
    } catch (err) {
      throw new ProvError('failed', `play '${play.name}': vars_files '${name}': ${errorMessage(err)}`, { cause: err });
    }
    const path = String(rendered);
    return isAbsolute(path) ? path : join(dirname(play.file), path);
  };
  for (const entry of play.varsFiles) {
    const candidates = (typeof entry === 'string' ? [entry] : entry).map(pathOf);
    let found: string | undefined;
    for (const c of candidates)
      if (await exists(c)) {
        found = c;
        break;
      }
    if (!found) throw new ProvError('failed', `play '${play.name}': vars_files: none of ${candidates.join(', ')} found`);
    const data = await readYamlFile(found);
    if (data === null || data === undefined) continue;
    if (!isMapping(data)) throw parseError(found, 'vars_files: must be a mapping of variables');
    Object.assign(vars, data);
  }
  return vars;
}

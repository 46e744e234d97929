/**
 * Ansible's Constructable over one instance's variables, as aws_ec2 calls it: compose (each
 * expression against the instance's variables), groups (a condition per group) and
 * keyed_groups (prefix, separator, leading_separator, default_value, trailing_separator),
 * group names sanitised. With strict: false (the default) an expression that fails skips that
 * entry; with strict: true it is an error.
 */
import { ProvError, errorMessage } from '../../core/errors.js';
import { evaluateCondition, renderTemplate } from '../../template/render.js';
import type { AwsEc2Config } from './config.js';
import { sanitizeGroupName } from './names.js';

export interface Constructed {
  vars: Record<string, unknown>;
  groups: string[];
}

function compose(expr: string, vars: Record<string, unknown>): unknown {
  return renderTemplate(`{{ ${expr} }}`, vars);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function construct(config: AwsEc2Config, host: string, vars: Record<string, unknown>, file: string): Constructed {
  const out: Constructed = { vars: {}, groups: [] };
  const failed = (message: string, err: unknown) => new ProvError('parse', `${file}: ${message} for host ${host}: ${errorMessage(err)}`, { cause: err });
  for (const [name, expr] of Object.entries(config.compose)) {
    try {
      out.vars[name] = compose(expr, vars);
    } catch (err) {
      if (config.strict) throw failed(`could not set ${name}`, err);
    }
  }
  for (const [rawName, condition] of Object.entries(config.groups)) {
    const name = sanitizeGroupName(rawName);
    try {
      if (evaluateCondition(condition, vars)) out.groups.push(name);
    } catch (err) {
      if (config.strict) throw failed(`could not add to group ${name}`, err);
    }
  }
  for (const keyed of config.keyed_groups) {
    let key: unknown;
    try {
      key = compose(keyed.key, vars);
    } catch (err) {
      if (config.strict) throw failed(`could not generate group for ${keyed.key}`, err);
      continue;
    }
    const dflt = keyed.default_value;
    if (!(key || (key === '' && dflt !== undefined))) {
      const empty = (Array.isArray(key) && key.length === 0) || (isMapping(key) && Object.keys(key).length === 0);
      if (config.strict && !empty) throw new ProvError('parse', `${file}: No key or key resulted empty for ${keyed.key} in host ${host}, invalid entry`);
      continue;
    }
    let sep = keyed.separator ?? '_';
    const prefix = keyed.prefix ?? '';
    const names: string[] = [];
    if (typeof key === 'string') names.push(key === '' && dflt !== undefined ? dflt : key);
    else if (Array.isArray(key)) for (const k of key) names.push(k === '' && dflt !== undefined ? dflt : String(k));
    else if (isMapping(key)) {
      for (const [k, v] of Object.entries(key)) {
        let bare = `${k}${sep}${String(v)}`;
        if (v === '') {
          if (dflt !== undefined) bare = `${k}${sep}${dflt}`;
          else if (keyed.trailing_separator === false) bare = k;
        }
        names.push(bare);
      }
    } else {
      throw new ProvError(
        'parse',
        `${file}: keyed_groups key ${keyed.key}: Invalid group name format, expected a string or a list of them or dictionary, got: ${typeof key}`,
      );
    }
    for (const bare of names) {
      if (prefix === '' && !config.leading_separator) sep = '';
      out.groups.push(sanitizeGroupName(`${prefix}${sep}${bare}`));
    }
  }
  return out;
}

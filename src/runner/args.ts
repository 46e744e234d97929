import type { Module } from '../core/contract.js';
import { isMapping } from '../core/mapping.js';
import { parseKv } from '../core/parse-kv.js';

/**
 * A task's arguments as written, before rendering, as a mapping: a string (`file: path=/x
 * state=touch`, `command: chdir=/tmp ls`) is split as Ansible's parse_kv does, its words
 * templated afterwards. Free-form modules keep the words that are not their options as the
 * command; any other module given words that are not `key=value` is an error.
 */
export function moduleArgs(module: Module, args: unknown): unknown {
  const text = typeof args === 'string' ? args : isMapping(args) && typeof args._raw_params === 'string' ? args._raw_params : undefined;
  if (text === undefined) return args ?? {};
  const { _raw_params: _, ...given } = isMapping(args) ? args : {};
  const { _raw_params: rest, ...options } = parseKv(text, module.freeForm !== undefined);
  if (rest !== undefined && !module.freeForm) {
    throw new Error(`${module.name} takes key=value arguments, not free-form words: ${JSON.stringify(rest)}`);
  }
  return { ...given, ...options, ...(rest !== undefined ? { [module.freeForm!]: rest } : {}) };
}

/** Normalises Ansible's free-form arguments (`command: echo hi`) into a mapping. */
export function argsMapping(module: Module, args: unknown): unknown {
  if (typeof args === 'string') return { [module.freeForm ?? '_raw_params']: args };
  if (args && typeof args === 'object' && !Array.isArray(args) && '_raw_params' in args && module.freeForm) {
    const { _raw_params, ...rest } = args as Record<string, unknown>;
    return { ...rest, [module.freeForm]: _raw_params };
  }
  return args ?? {};
}

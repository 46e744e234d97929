import type { Module } from '../core/contract.js';

/** Normalises Ansible's free-form arguments (`command: echo hi`) into a mapping. */
export function argsMapping(module: Module, args: unknown): unknown {
  if (typeof args === 'string') return { [module.freeForm ?? '_raw_params']: args };
  if (args && typeof args === 'object' && !Array.isArray(args) && '_raw_params' in args && module.freeForm) {
    const { _raw_params, ...rest } = args as Record<string, unknown>;
    return { ...rest, [module.freeForm]: _raw_params };
  }
  return args ?? {};
}

/** Every module prov knows, by name and by Ansible alias. */
import type { Module } from '../core/contract.js';
import { armRoutingModule } from './arm-routing.js';
import { assertModule } from './assert.js';
import { blockinfileModule } from './blockinfile.js';
import { commandModule, shellModule } from './command.js';
import { confirmRoutingModule } from './confirm-routing.js';
import { copyModule } from './copy.js';
import { debugModule } from './debug.js';
import { failModule } from './fail.js';
import { fileModule } from './file.js';
import { lineinfileModule } from './lineinfile.js';
import { packageModule } from './package.js';
import { serviceModule } from './service.js';
import { setFactModule } from './set-fact.js';
import { sysctlModule } from './sysctl.js';
import { templateModule } from './template.js';
import { waitForModule } from './wait-for.js';

// Each module has its own argument type; the registry hands them out as Module<unknown> and the
// runner passes only arguments that the module's own schema produced.
const MODULES = [
  packageModule,
  copyModule,
  fileModule,
  templateModule,
  lineinfileModule,
  blockinfileModule,
  sysctlModule,
  serviceModule,
  commandModule,
  shellModule,
  assertModule,
  failModule,
  debugModule,
  setFactModule,
  waitForModule,
  armRoutingModule,
  confirmRoutingModule,
] as unknown as Module<unknown>[];

const byName = new Map<string, Module<unknown>>();
for (const m of MODULES) {
  for (const name of [m.name, ...(m.aliases ?? [])]) {
    if (byName.has(name)) throw new Error(`module name ${name} registered twice`);
    byName.set(name, m);
  }
}

/** The module for a task's module name or alias, or undefined. */
export function getModule(name: string): Module<unknown> | undefined {
  return byName.get(name);
}

/** Every name a task may use (names and aliases), sorted. */
export function moduleNames(): string[] {
  return [...byName.keys()].sort();
}

/**
 * The module test macro (pyinfra-style): from an initial FakeMachine and arguments it
 *   1. parses the arguments with the module's schema,
 *   2. runs check() and compares the plan (changed, msg, diff, failed),
 *   3. applies the actions to the machine and lets the test assert the resulting state,
 *   4. checks again and expects changed=false (idempotency for free),
 *   5. replays the first plan in check mode's simulator over a fresh copy of the initial machine
 *      and checks again there: also changed=false, so check mode predicts what apply does.
 */
import test, { type ExecutionContext } from 'ava';
import type { Facts } from '../../src/core/facts.js';
import type { ModuleContext, Plan } from '../../src/core/contract.js';
import { getModule } from '../../src/modules/registry.js';
import { createSimulatedDriver } from '../../src/state/driver.js';
import { FakeMachine, type FakeMachineInit } from './fake-machine.js';
import type { ExecResult } from '../../src/core/transport.js';
import { debianFacts } from './facts.js';

export interface ModuleCase {
  module: string;
  args: unknown;
  machine?: FakeMachineInit;
  facts?: Partial<Facts>;
  vars?: Record<string, unknown>;
  /** Rendered templates by src (template module). */
  templates?: Record<string, string>;
  /** Controller files by src (copy module); a string is its UTF-8 bytes. */
  controllerFiles?: Record<string, string | Buffer>;
  evaluate?: (expr: string) => unknown;
  /** Run the first check as check mode (ctx.check = true). */
  checkMode?: boolean;
  expect: {
    changed: boolean;
    msg?: string | RegExp;
    /** The one file diff expected, or null for none. */
    diff?: { before: string; after: string } | null;
    failed?: boolean;
    skipInCheck?: boolean;
    /** What finish() says after the actions ran. */
    finish?: { failed?: boolean; msg?: string | RegExp };
  };
  /** Assertions on the machine after apply. */
  after?: (t: ExecutionContext, machine: FakeMachine, results: ExecResult[]) => void;
  /** false for modules that change on every run (command, file state=touch, service restarted). */
  idempotent?: boolean;
  /** false when the effect of the actions cannot be simulated (a command that creates a file). */
  simulate?: boolean;
}

export function moduleContext(c: ModuleCase, state: ModuleContext['state'], check: boolean): ModuleContext {
  return {
    host: 'host',
    facts: debianFacts(c.facts),
    vars: c.vars ?? {},
    check,
    state,
    renderTemplate: async (src) => {
      const text = c.templates?.[src];
      if (text === undefined) throw new Error(`no template ${src}`);
      return text;
    },
    readControllerFile: async (src) => {
      const content = c.controllerFiles?.[src];
      if (content === undefined) throw new Error(`no controller file ${src}`);
      return Buffer.from(content);
    },
    evaluate: c.evaluate,
  };
}

function matches(t: ExecutionContext, actual: string | undefined, expected: string | RegExp | undefined, what: string): void {
  if (expected === undefined) return;
  if (typeof expected === 'string') t.is(actual, expected, what);
  else t.regex(actual ?? '', expected, what);
}

export async function runModule(c: ModuleCase, machine: FakeMachine, check = false): Promise<Plan> {
  const module = getModule(c.module);
  if (!module) throw new Error(`no module ${c.module}`);
  const args = module.schema.parse(c.args);
  return module.plan(args, moduleContext(c, machine, check));
}

export const moduleMacro = test.macro({
  async exec(t, c: ModuleCase) {
    const module = getModule(c.module);
    if (!module) return t.fail(`no module ${c.module}`);
    const args = module.schema.parse(c.args);
    const machine = new FakeMachine(c.machine);
    const plan = await module.plan(args, moduleContext(c, machine, c.checkMode ?? false));

    t.is(plan.changed, c.expect.changed, 'changed');
    t.is(plan.failed ?? false, c.expect.failed ?? false, 'failed');
    matches(t, plan.msg, c.expect.msg, 'msg');
    if (c.expect.skipInCheck !== undefined) t.is(plan.skipInCheck ?? false, c.expect.skipInCheck, 'skipInCheck');
    if (c.expect.diff === null) t.deepEqual(plan.diffs, [], 'no diff');
    else if (c.expect.diff) {
      t.is(plan.diffs.length, 1, 'one diff');
      t.is(plan.diffs[0]?.before, c.expect.diff.before, 'diff before');
      t.is(plan.diffs[0]?.after, c.expect.diff.after, 'diff after');
    }
    // A module with read-only actions (wait_for's poll loop) runs something without changing anything.
    if (!plan.changed && !module.readOnlyActions) t.deepEqual(plan.actions, [], 'no actions without a change');

    const results = await machine.execute(plan.actions);
    if (c.expect.finish) {
      const fin = module.finish?.(args, plan, results) ?? {};
      t.is(fin.failed ?? false, c.expect.finish.failed ?? false, 'finish failed');
      matches(t, fin.msg, c.expect.finish.msg, 'finish msg');
    }
    c.after?.(t, machine, results);

    if (c.idempotent !== false) {
      const again = await module.plan(args, moduleContext(c, machine, false));
      t.false(again.changed, `second check reports a change: ${again.msg ?? ''}`);
      if (!module.readOnlyActions) t.deepEqual(again.actions, [], 'second check has no actions');
    }

    if (c.idempotent !== false && c.simulate !== false && plan.changed) {
      const sim = createSimulatedDriver(new FakeMachine(c.machine));
      await sim.execute(plan.actions);
      const predicted = await module.plan(args, moduleContext(c, sim.state, true));
      t.false(predicted.changed, `check mode's simulator still sees a change after the plan: ${predicted.msg ?? ''}`);
    }
  },
  title: (title) => title ?? 'module case',
});

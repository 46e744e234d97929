import test from 'ava';
import { moduleMacro, runModule } from '../../helpers/module-macro.js';
import { FakeMachine } from '../../helpers/fake-machine.js';

const vars = { frr_version: '8.4.4', routers: ['r1', 'r2'] };
/** A tiny stand-in for the runner's evaluator: looks names up, understands `a == 'b'` and `x | length`. */
function evaluate(expr: string): unknown {
  const eq = /^(\w+) == '([^']*)'$/.exec(expr.trim());
  if (eq) return (vars as Record<string, unknown>)[eq[1]!] === eq[2];
  const len = /^(\w+) \| length$/.exec(expr.trim());
  if (len) return ((vars as Record<string, unknown>)[len[1]!] as unknown[]).length;
  return (vars as Record<string, unknown>)[expr.trim()];
}

test('assert passes when every condition is true', moduleMacro, {
  module: 'assert',
  args: { that: ["frr_version == '8.4.4'", 'routers | length', true] },
  evaluate,
  expect: { changed: false, msg: 'All assertions passed' },
});

test('assert fails on the first false condition with fail_msg', moduleMacro, {
  module: 'ansible.builtin.assert',
  args: { that: "frr_version == '7.3.1'", fail_msg: 'wrong FRR' },
  evaluate,
  expect: { changed: false, failed: true, msg: 'wrong FRR' },
});

test('assert without fail_msg names the condition', moduleMacro, {
  module: 'assert',
  args: { that: ['nothing'] },
  evaluate,
  expect: { changed: false, failed: true, msg: 'Assertion failed: nothing' },
});

test('assert needs an evaluator for string conditions', async (t) => {
  await t.throwsAsync(runModule({ module: 'assert', args: { that: 'x' }, expect: { changed: false } }, new FakeMachine()), {
    message: /no expression evaluator/,
  });
});

test('fail fails with its message', moduleMacro, {
  module: 'fail',
  args: { msg: 'unsupported OS' },
  expect: { changed: false, failed: true, msg: 'unsupported OS' },
});

test('debug msg and var', async (t) => {
  const m = new FakeMachine();
  const a = await runModule({ module: 'debug', args: { msg: 'hello' }, expect: { changed: false } }, m);
  t.is(a.msg, 'hello');
  const b = await runModule({ module: 'debug', args: { var: 'routers' }, evaluate, expect: { changed: false } }, m);
  t.is(b.msg, 'routers: ["r1","r2"]');
  t.deepEqual(b.result, { routers: ['r1', 'r2'] });
  const c = await runModule({ module: 'debug', args: { var: 'nope' }, evaluate, expect: { changed: false } }, m);
  t.is(c.msg, 'nope: VARIABLE IS NOT DEFINED!');
  t.false(b.changed);
});

test('set_fact returns facts, dropping cacheable', async (t) => {
  const plan = await runModule({ module: 'set_fact', args: { asn: 65001, peers: ['a'], cacheable: true }, expect: { changed: false } }, new FakeMachine());
  t.deepEqual(plan.facts, { asn: 65001, peers: ['a'] });
  t.false(plan.changed);
  await t.throwsAsync(runModule({ module: 'set_fact', args: { 'not valid': 1 }, expect: { changed: false } }, new FakeMachine()));
});

test('wait_for: one exec with a bounded loop; a timeout fails in finish()', moduleMacro, {
  module: 'wait_for',
  args: { port: 179, host: '192.168.100.20', timeout: 30 },
  machine: { commands: [{ match: /\/dev\/tcp\/\$1\/\$2.* 192\.168\.100\.20 179 /, respond: { code: 1 } }] },
  expect: { changed: false, finish: { failed: true, msg: 'Timeout when waiting for 192.168.100.20:179 (started, 30s)' } },
  after: (t, m) => t.is(m.executed.length, 1),
});

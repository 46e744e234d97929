import test from 'ava';
import type { ModuleContext, RoutingView } from '../../../src/core/contract.js';
import { armRoutingModule } from '../../../src/modules/arm-routing.js';
import { confirmRoutingModule } from '../../../src/modules/confirm-routing.js';

function ctx(routing: RoutingView, check = false, pendingOnHost: string | null = null): ModuleContext {
  return {
    host: 'h1',
    facts: {} as ModuleContext['facts'],
    vars: {},
    check,
    state: {
      readFile: async (p) => (p === '/var/lib/prov/rollback/pending' && pendingOnHost !== null ? Buffer.from(pendingOnHost) : null),
      stat: async () => null,
      query: async () => ({ code: 0, stdout: '', stderr: '' }),
    },
    renderTemplate: async () => '',
    readControllerFile: async () => Buffer.alloc(0),
    routing,
  };
}

const arm = (args: unknown, routing: RoutingView, check = false) => armRoutingModule.plan(armRoutingModule.schema.parse(args), ctx(routing, check));
const confirm = (args: unknown, routing: RoutingView) => confirmRoutingModule.plan(confirmRoutingModule.schema.parse(args), ctx(routing));
const stdin = (plan: { actions: { kind: string; stdin?: string }[] }) => plan.actions.map((a) => a.stdin ?? '').join('');

test('arm_routing arms a transient timer with the confirm timeout and saves every path', async (t) => {
  const plan = await arm({ paths: ['/etc/frr/frr.conf', "/etc/it's here"], restore_commands: ['systemctl reload frr'] }, { confirmTimeout: 20 });
  t.false(plan.changed);
  t.deepEqual(plan.armsRouting, { timeout: 20 });
  const script = stdin(plan);
  t.regex(script, /systemd-run --quiet --unit=prov-rollback --on-active=20 --timer-property=AccuracySec=1s /);
  t.regex(script, /^save \/etc\/frr\/frr\.conf$/m);
  t.regex(script, /^save '\/etc\/it'\\''s here'$/m, 'paths reach the shell quoted');
  t.regex(script, /already pending/, 'a pending transaction is refused');
  t.true(plan.deferUntilChange, 'the runner holds it until the first change');
  t.deepEqual(armRoutingModule.reads!(armRoutingModule.schema.parse({})), [{ kind: 'file', path: '/var/lib/prov/rollback/pending' }]);
});

test('arm_routing fails where it stands when another run left a transaction pending on the host', async (t) => {
  const plan = await armRoutingModule.plan(armRoutingModule.schema.parse({ paths: ['/a'] }), ctx({ confirmTimeout: 20 }, false, '2026-12-03T07:00:00Z\n'));
  t.true(plan.failed);
  t.deepEqual(plan.actions, []);
  t.is(plan.msg, 'a routing transaction is already pending (armed 2026-12-03T07:00:00Z): it is confirmed or rolled back within its timeout');
});

test('arm_routing: off with --confirm-timeout 0, nothing in check mode, merged into a pending transaction', async (t) => {
  t.deepEqual((await arm({ paths: ['/a'] }, { confirmTimeout: 0 })).actions, []);
  t.deepEqual((await arm({ paths: ['/a'] }, { confirmTimeout: 20 }, true)).actions, []);
  const merged = await arm({ paths: ['/b'] }, { confirmTimeout: 20, pending: { timeout: 20, changed: false, armedBy: 'x', armed: true } });
  t.is(merged.armsRouting, undefined);
  t.notRegex(stdin(merged), /systemd-run/, 'a merge keeps the pending timer');
  t.regex(stdin(merged), /^save \/b$/m);
  t.throws(() => armRoutingModule.schema.parse({ paths: ['relative/path'] }));
  t.throws(() => armRoutingModule.schema.parse({ paths: ['/a\nb'] }));
});

test('confirm_routing reconnects and checks only when something changed since the arm', async (t) => {
  t.deepEqual((await confirm({ check: ['true'] }, { confirmTimeout: 20 })).actions, [], 'nothing pending: nothing to do');
  const unarmed = await confirm({ check: ['true'] }, { confirmTimeout: 20, pending: { timeout: 20, changed: false, armedBy: 'x', armed: false } });
  t.deepEqual(unarmed.actions, [], 'held and never armed (nothing changed): nothing to disarm');
  const quiet = await confirm({ check: ['true'] }, { confirmTimeout: 20, pending: { timeout: 20, changed: false, armedBy: 'x', armed: true } });
  t.falsy(quiet.reconnect);
  t.notRegex(stdin(quiet), /^check /m);
  const changed = await confirm(
    { check: ['vtysh -c "show bgp summary"'] },
    { confirmTimeout: 20, pending: { timeout: 20, changed: true, armedBy: 'x', armed: true } },
  );
  t.true(changed.reconnect);
  t.regex(stdin(changed), /^check 'vtysh -c "show bgp summary"'$/m);
  t.regex(stdin(changed), /restore\.sh now/, 'a failed check rolls back at once');
});

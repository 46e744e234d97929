import test from 'ava';
import { moduleMacro } from '../../helpers/module-macro.js';
import { serviceModule } from '../../../src/modules/service.js';

test('starts and enables a stopped, disabled service', moduleMacro, {
  module: 'service',
  args: { name: 'frr', state: 'started', enabled: true },
  machine: { queries: { 'service:frr:active': 'inactive\n', 'service:frr:enabled': 'disabled\n' } },
  expect: { changed: true, msg: 'enabled frr, started frr' },
  after: (t, m) => t.deepEqual(m.executed, ['systemctl enable -- frr', 'systemctl start -- frr']),
});

test('a running, enabled service is no change', moduleMacro, {
  module: 'systemd',
  args: { name: 'frr', state: 'started', enabled: 'yes', daemon_reload: true },
  machine: { queries: { 'service:frr:active': 'active\n', 'service:frr:enabled': 'enabled\n' } },
  expect: { changed: false },
});

test('stops and disables', moduleMacro, {
  module: 'service',
  args: { name: 'squid', state: 'stopped', enabled: false },
  machine: { queries: { 'service:squid:active': 'active\n', 'service:squid:enabled': 'enabled\n' } },
  expect: { changed: true, msg: 'disabled squid, stopped squid' },
});

test('restarted always changes, with daemon-reload first', moduleMacro, {
  module: 'service',
  args: { name: 'frr', state: 'restarted', daemon_reload: true },
  machine: { queries: { 'service:frr:active': 'active\n' } },
  expect: { changed: true, msg: 'restarted frr' },
  after: (t, m) => t.deepEqual(m.executed, ['systemctl daemon-reload', 'systemctl restart -- frr']),
  idempotent: false,
});

test('reloaded reloads a running service and starts a stopped one', moduleMacro, {
  module: 'service',
  args: { name: 'frr', state: 'reloaded' },
  machine: { queries: { 'service:frr:active': 'inactive\n' } },
  expect: { changed: true, msg: 'started frr' },
  idempotent: false,
});

test('a static unit counts as enabled', moduleMacro, {
  module: 'service',
  args: { name: 'systemd-sysctl', enabled: true },
  machine: { queries: { 'service:systemd-sysctl:enabled': 'static\n' } },
  expect: { changed: false },
});

test('one of state, enabled, daemon_reload is required', (t) => {
  t.false(serviceModule.schema.safeParse({ name: 'frr' }).success);
  t.false(serviceModule.schema.safeParse({ name: 'frr', state: 'running' }).success);
});

import test from 'ava';
import { formatArgsError } from '../../../src/modules/args-error.js';
import { getModule, moduleNames } from '../../../src/modules/registry.js';

function errorOf(module: string, args: unknown): string {
  const m = getModule(module)!;
  const r = m.schema.safeParse(args);
  if (r.success) throw new Error('expected an error');
  return formatArgsError(m.name, r.error);
}

test('unknown arguments, missing and mistyped ones give one line naming the module', (t) => {
  t.is(errorOf('copy', { dest: '/x', content: 'y', destination: 1 }), "copy: unsupported argument 'destination'");
  t.is(errorOf('template', { src: 'a' }), "template: missing required argument 'dest'");
  t.is(errorOf('service', { name: 'frr', state: 'running' }), 'service: \'state\': must be one of started, stopped, restarted, reloaded, got "running"');
  t.is(errorOf('file', { path: 1 }), "file: 'path': expected string, got number");
  t.is(errorOf('copy', { dest: '/x', content: 'y', mode: 'u+rw' }), 'copy: \'mode\': mode must be octal like 0644, not "u+rw"');
  for (const msg of [errorOf('lineinfile', { path: '/x' }), errorOf('sysctl', { value: 1 })]) t.false(msg.includes('\n'));
});

test('the registry knows Ansible names and aliases', (t) => {
  for (const name of [
    'apt',
    'package',
    'ansible.builtin.copy',
    'ansible.posix.sysctl',
    'systemd',
    'shell',
    'command',
    'wait_for',
    'set_fact',
    'debug',
    'assert',
    'fail',
    'blockinfile',
    'lineinfile',
    'template',
    'file',
  ]) {
    t.truthy(getModule(name), name);
  }
  t.is(getModule('apt'), getModule('package'));
  t.is(getModule('nope'), undefined);
  t.true(moduleNames().includes('ansible.builtin.template'));
});

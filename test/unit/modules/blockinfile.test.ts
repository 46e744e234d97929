import test from 'ava';
import { moduleMacro, runModule } from '../../helpers/module-macro.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { editBlock } from '../../../src/modules/blockinfile.js';

const B = '# BEGIN ANSIBLE MANAGED BLOCK\n';
const E = '# END ANSIBLE MANAGED BLOCK\n';

test('inserts a block at EOF with markers', moduleMacro, {
  module: 'blockinfile',
  args: { path: '/etc/network/interfaces', block: 'auto ens6\niface ens6 inet dhcp' },
  machine: { files: { '/etc/network/interfaces': 'auto lo\n' } },
  expect: { changed: true, msg: 'block inserted', diff: { before: 'auto lo\n', after: `auto lo\n${B}auto ens6\niface ens6 inet dhcp\n${E}` } },
});

test('updates the block between existing markers, leaving the rest', moduleMacro, {
  module: 'blockinfile',
  args: { path: '/etc/x', block: 'new1\nnew2\n' },
  machine: { files: { '/etc/x': `top\n${B}old\n${E}bottom\n` } },
  expect: { changed: true, diff: { before: `top\n${B}old\n${E}bottom\n`, after: `top\n${B}new1\nnew2\n${E}bottom\n` } },
});

test('state=absent removes the block and its markers', moduleMacro, {
  module: 'blockinfile',
  args: { path: '/etc/x', state: 'absent' },
  machine: { files: { '/etc/x': `top\n${B}old\n${E}bottom\n` } },
  expect: { changed: true, msg: 'block removed', diff: { before: `top\n${B}old\n${E}bottom\n`, after: 'top\nbottom\n' } },
});

test('an empty block removes it too', (t) => {
  t.is(editBlock(`a\n${B}x\n${E}`, { block: '', present: true, markerBegin: B.trim(), markerEnd: E.trim() }), 'a\n');
});

test('custom marker with marker_begin/marker_end, insertbefore a regexp', moduleMacro, {
  module: 'blockinfile',
  args: { path: '/etc/frr/frr.conf', block: 'ip forwarding', marker: '! {mark} prov', marker_begin: 'START', marker_end: 'STOP', insertbefore: '^line vty' },
  machine: { files: { '/etc/frr/frr.conf': 'frr defaults datacenter\nline vty\n' } },
  expect: {
    changed: true,
    diff: { before: 'frr defaults datacenter\nline vty\n', after: 'frr defaults datacenter\n! START prov\nip forwarding\n! STOP prov\nline vty\n' },
  },
});

test('insertafter a regexp, BOF, and a marker on a last line without newline', (t) => {
  const o = { block: 'x', present: true, markerBegin: '#B', markerEnd: '#E' };
  t.is(editBlock('a\nanchor\nb\n', { ...o, insertafter: '^anchor' }), 'a\nanchor\n#B\nx\n#E\nb\n');
  t.is(editBlock('a\n', { ...o, insertbefore: 'BOF' }), '#B\nx\n#E\na\n');
  t.is(editBlock('a\n#B\nold\n#E', o), 'a\n#B\nx\n#E\n', 'the block is replaced, not duplicated');
  t.is(editBlock('a', o), 'a\n#B\nx\n#E\n', 'a newline is added before the block');
});

test('create=true makes a new file; without create a missing file fails', async (t) => {
  const m = new FakeMachine({ dirs: ['/etc'] });
  await t.throwsAsync(runModule({ module: 'blockinfile', args: { path: '/etc/new', block: 'x' }, expect: { changed: true } }, m), {
    message: 'path /etc/new does not exist',
  });
  const plan = await runModule({ module: 'blockinfile', args: { path: '/etc/new', block: 'x', create: true }, expect: { changed: true } }, m);
  t.is(plan.msg, 'file created');
  t.is(plan.diffs[0]?.after, `${B}x\n${E}`);
});

test('an unchanged block is no change', moduleMacro, {
  module: 'blockinfile',
  args: { path: '/etc/x', block: 'same' },
  machine: { files: { '/etc/x': `${B}same\n${E}` } },
  expect: { changed: false, diff: null },
});

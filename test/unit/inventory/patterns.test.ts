import test from 'ava';
import { loadInventory } from '../../../src/inventory/load.js';
import { patternMatchesNothing, selectHosts, splitPattern, unmatchedTerms } from '../../../src/inventory/patterns.js';
import { fixture } from './fixtures.js';

const lab = () => loadInventory(fixture('lab', 'hosts.yml'));

test('names, groups, all and *', async (t) => {
  const inv = await lab();
  t.deepEqual(selectHosts(inv, 'r1'), ['r1']);
  t.deepEqual(selectHosts(inv, 'routers'), ['r1', 'r2']);
  t.deepEqual(selectHosts(inv, 'gateways'), ['r1', 'r2']);
  t.deepEqual(selectHosts(inv, 'all'), ['bastion', 'host1', 'r1', 'r2']);
  t.deepEqual(selectHosts(inv, '*'), ['bastion', 'host1', 'r1', 'r2']);
});

test('unions with : and , keep term order without duplicates', async (t) => {
  const inv = await lab();
  t.deepEqual(selectHosts(inv, 'clients:routers'), ['host1', 'r1', 'r2']);
  t.deepEqual(selectHosts(inv, 'r2,r1'), ['r2', 'r1']);
  t.deepEqual(selectHosts(inv, 'monitoring:clients'), ['host1', 'bastion']);
  t.deepEqual(selectHosts(inv, ['r1', 'edge_routers']), ['r1', 'r2']);
});

test('exclusions and intersections apply after unions', async (t) => {
  const inv = await lab();
  t.deepEqual(selectHosts(inv, 'all:!r2'), ['bastion', 'host1', 'r1']);
  t.deepEqual(selectHosts(inv, '!r2:all'), ['bastion', 'host1', 'r1']);
  t.deepEqual(selectHosts(inv, 'routers:&edge_routers'), ['r2']);
  t.deepEqual(selectHosts(inv, '&edge_routers:routers'), ['r2']);
  t.deepEqual(selectHosts(inv, 'all:!gateways:&monitoring'), ['bastion', 'host1']);
  t.deepEqual(selectHosts(inv, '!routers'), ['bastion', 'host1'], 'only exclusions imply all');
});

test('globs over host and group names, regexes, subscripts', async (t) => {
  const inv = await lab();
  t.deepEqual(selectHosts(inv, 'r*'), ['r1', 'r2']);
  t.deepEqual(selectHosts(inv, 'edge_*'), ['r2']);
  t.deepEqual(selectHosts(inv, '[r]?'), ['r1', 'r2']);
  t.deepEqual(selectHosts(inv, '[bh]*'), ['bastion', 'host1']);
  t.deepEqual(selectHosts(inv, '[!r]*'), ['bastion', 'host1', 'r1', 'r2'], 'globs match group names too (all, clients, ...)');
  t.deepEqual(selectHosts(inv, 'host?'), ['host1']);
  t.deepEqual(selectHosts(inv, '~r[0-9]'), ['r1', 'r2']);
  t.deepEqual(selectHosts(inv, '~(bast|host)'), ['bastion', 'host1']);
  t.deepEqual(selectHosts(inv, 'routers[0]'), ['r1']);
  t.deepEqual(selectHosts(inv, 'routers[-1]'), ['r2']);
  t.deepEqual(selectHosts(inv, 'all[1:2]'), ['host1', 'r1']);
  t.deepEqual(selectHosts(inv, 'all[2:]'), ['r1', 'r2']);
  // As in Ansible, `name[12]` is a subscript, not a glob; out of range is an error.
  t.throws(() => selectHosts(inv, 'r[12]'), { message: "no hosts matched the subscripted pattern 'r[12]'" });
});

test('unknown names match nothing and are reported', async (t) => {
  const inv = await lab();
  t.deepEqual(selectHosts(inv, 'nope'), []);
  t.deepEqual(selectHosts(inv, 'nope:r1'), ['r1']);
  t.true(patternMatchesNothing(inv, 'nope'));
  t.true(patternMatchesNothing(inv, 'routers:&clients'));
  t.false(patternMatchesNothing(inv, 'r1'));
  t.deepEqual(unmatchedTerms(inv, 'r1:nope:!zzz'), ['nope', '!zzz']);
});

test('splitPattern keeps ranges and IPv6 addresses whole', (t) => {
  t.deepEqual(splitPattern('web[1:3]:db'), ['web[1:3]', 'db']);
  t.deepEqual(splitPattern('a, b ,c'), ['a', 'b', 'c']);
  t.deepEqual(splitPattern('fe80::1'), ['fe80::1']);
  t.deepEqual(splitPattern('all:!r2'), ['all', '!r2']);
});

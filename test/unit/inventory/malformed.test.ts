import test from 'ava';
import { ProvError } from '../../../src/core/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { fixture } from './fixtures.js';

// Each malformed inventory must give a one-line parse error (exit code 4) that names the file,
// and the line where one is known, without a stack frame in the message.
const cases: Array<[string, string, number | undefined, RegExp]> = [
  ['bad-indent.yml', 'bad-indent.yml', 6, /YAML syntax error: bad indentation/],
  ['unclosed-flow.yml', 'unclosed-flow.yml', 4, /YAML syntax error/],
  ['tab-indent.yml', 'tab-indent.yml', 3, /YAML syntax error: tab characters/],
  ['unknown-alias.yml', 'unknown-alias.yml', 4, /unidentified alias "missing"/],
  ['group-is-list.yml', 'group-is-list.yml', 3, /group 'routers' must be a mapping with hosts, vars or children, got a list/],
  ['group-is-number.yml', 'group-is-number.yml', 1, /group 'routers' must be a mapping .* got a number \(42\)/],
  ['hosts-is-list.yml', 'hosts-is-list.yml', 4, /group 'routers': 'hosts' must be a mapping of host names, got a list/],
  ['vars-is-list.yml', 'vars-is-list.yml', 2, /group 'routers': 'vars' must be a mapping of variables, got a list/],
  ['children-is-list.yml', 'children-is-list.yml', 2, /group 'all': 'children' must be a mapping of group names, got a list/],
  ['cycle.yml', 'cycle.yml', 5, /group 'a': adding child 'b' creates a cycle in children/],
  ['unknown-key.yml', 'unknown-key.yml', 4, /group 'routers': unknown key 'host' \(a group may only have hosts, vars and children\)/],
  ['top-level-list.yml', 'top-level-list.yml', 1, /expected a mapping of groups at the top level, got a list/],
  ['empty.yml', 'empty.yml', undefined, /empty inventory/],
  ['host-is-string.yml', 'host-is-string.yml', 3, /host 'r1' in group 'routers' must be a mapping of variables or empty, got a string/],
  ['bad-range.yml', 'bad-range.yml', 3, /host range '\[3:a\]' must be numeric or single letters/],
  ['bad-priority.yml', 'bad-priority.yml', 3, /ansible_group_priority must be an integer/],
  ['group-vars-list/hosts.yml', 'group-vars-list/group_vars/routers.yml', 1, /expected a mapping of variables, got a list/],
  ['host-vars-broken/hosts.yml', 'host-vars-broken/host_vars/r1/10-broken.yml', 3, /YAML syntax error: bad indentation/],
  ['does-not-exist.yml', 'does-not-exist.yml', undefined, /cannot read inventory: no such file/],
];

for (const [input, namedFile, line, pattern] of cases) {
  test(`malformed inventory ${input}`, async (t) => {
    const err = await t.throwsAsync(loadInventory(fixture('malformed', ...input.split('/'))));
    t.true(err instanceof ProvError);
    t.is((err as ProvError).kind, 'parse');
    t.is((err as ProvError).exitCode, 4);
    const where = fixture('malformed', ...namedFile.split('/')) + (line === undefined ? ':' : `:${line}:`);
    t.true(err!.message.startsWith(where), `message should start with ${where}: ${err!.message}`);
    t.regex(err!.message, pattern);
    t.false(err!.message.includes('\n'), 'one line');
    t.notRegex(err!.message, /\bat .*\.(ts|js):\d+/, 'no stack frame');
  });
}

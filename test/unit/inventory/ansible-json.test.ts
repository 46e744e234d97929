/**
 * prov inventory --list / --host against ansible-inventory's real output. The *.expected.json
 * files were produced by ansible-core 2.14.18 (Debian 12 `apt-get install ansible`), e.g.
 *   cd /tmp && ansible-inventory -i test/fixtures/inventories/lab/hosts.yml --list
 * (commands for every file in test/fixtures/inventories/README.md).
 */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { inventoryHostJson, inventoryListJson, toAnsibleJsonText } from '../../../src/inventory/ansible-json.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { fixture } from './fixtures.js';

const expected = async (name: string): Promise<string> => (await readFile(fixture(name), 'utf8')).trim();

for (const [name, file] of [
  ['lab', 'lab/hosts.yml'],
  ['flat', 'flat/inventory.yaml'],
  ['edge', 'edge/inventory.yml'],
] as const) {
  test(`--list matches ansible-inventory for ${file}`, async (t) => {
    const inv = await loadInventory(fixture(...file.split('/')));
    const want = await expected(`${name}.list.expected.json`);
    t.deepEqual(inventoryListJson(inv), JSON.parse(want));
    t.is(toAnsibleJsonText(inventoryListJson(inv)), want);
  });
}

for (const [name, file, host] of [
  ['lab', 'lab/hosts.yml', 'r2'],
  ['lab', 'lab/hosts.yml', 'host1'],
  ['edge', 'edge/inventory.yml', 'l1'],
  ['flat', 'flat/inventory.yaml', 'wwwa.example.com'],
] as const) {
  test(`--host ${host} matches ansible-inventory for ${file}`, async (t) => {
    const inv = await loadInventory(fixture(...file.split('/')));
    t.is(toAnsibleJsonText(inventoryHostJson(inv, host)), await expected(`${name}.host-${host}.expected.json`));
  });
}

test('JSON text escapes non-ASCII as Python does', (t) => {
  t.is(toAnsibleJsonText({ b: 'é', a: 1 }), '{\n    "a": 1,\n    "b": "\\u00e9"\n}');
});

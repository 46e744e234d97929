import test from 'ava';
import { renderValue } from '../../../src/template/render.js';

const vars = {
  hostvars: { r1: { subnet_address: '192.168.100.20', nics: { ens6: { mtu: 9001 } } }, r2: { subnet_address: '192.168.100.21' }, r3: {} },
  groups: { routers: ['r1', 'r2'], all: ['r1', 'r2', 'r3'] },
  names: ['b', 'a'],
  letters: { a: 1, b: 2 },
};
const r = (expr: string) => renderValue(`{{ ${expr} }}`, vars);

test("extract: container[item], then each of morekeys (Ansible's core filter)", (t) => {
  t.deepEqual(r("groups.routers | map('extract', hostvars, 'subnet_address') | list"), ['192.168.100.20', '192.168.100.21']);
  t.deepEqual(r("names | map('extract', letters) | list"), [2, 1]);
  t.is(r("'r1' | extract(hostvars, ['nics', 'ens6', 'mtu'])"), 9001);
  t.is(r("1 | extract(['x', 'y'])"), 'y');
});

test('extract: a missing key is undefined (default and selectattr handle it)', (t) => {
  t.is(r("'r3' | extract(hostvars, 'subnet_address') | default('none')"), 'none');
  t.deepEqual(r("groups.all | map('extract', hostvars) | selectattr('subnet_address', 'defined') | map(attribute='subnet_address') | list"), [
    '192.168.100.20',
    '192.168.100.21',
  ]);
  t.throws(() => r("'r3' | extract(hostvars, 'subnet_address')"), { message: /subnet_address/ });
});

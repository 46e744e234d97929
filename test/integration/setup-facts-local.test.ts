/**
 * prov's Ansible-shaped facts of this machine against `ansible -m setup localhost` (local
 * connection), key by key (test/helpers/ansible-setup.ts).
 */
import test from 'ava';
import { LocalTransport } from '../../src/transport/local.js';
import { ansibleSetup, compareFacts, notGathered, provSetup } from '../helpers/ansible-setup.js';

test("prov's Ansible facts of the controller are Ansible's setup facts", async (t) => {
  const ansible = await ansibleSetup('localhost ansible_connection=local\n', 'localhost');
  const local = new LocalTransport();
  const prov = await provSetup((command) => local.exec(command));
  t.deepEqual(compareFacts(ansible.localhost!, prov), []);
  // The comparison has something to compare: the common facts are there and agree.
  t.like(prov, { system: 'Linux', os_family: 'Debian', pkg_mgr: 'apt' });
  t.true(Array.isArray(prov.interfaces) && (prov.interfaces as string[]).includes('lo'));
});

const SUBSETS = [
  ['!all'],
  ['!all', '!min'],
  ['network'],
  ['!all', '!min', 'network'],
  ['!all', 'hardware'],
  ['all', '!hardware', '!virtual'],
  ['!all', 'virtual'],
  ['!all', '!min', 'os_family'],
  ['!all', '!min', 'default_ipv4', 'env'],
  ['min', '!env', '!date_time'],
];

test("gather_subset picks the same facts as Ansible's setup does", async (t) => {
  const local = new LocalTransport();
  for (const subset of SUBSETS) {
    const ansible = await ansibleSetup('localhost ansible_connection=local\n', 'localhost', `gather_subset=${subset.join(',')}`);
    const expected = Object.keys(ansible.localhost!)
      .filter((k) => !notGathered(k))
      .sort();
    const prov = Object.keys(await provSetup((command) => local.exec(command), subset)).sort();
    t.deepEqual(prov, expected, subset.join(','));
  }
});

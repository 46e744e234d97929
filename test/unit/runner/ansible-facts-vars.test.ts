/** Facts as a play sees them: ansible_facts and ansible_* per gather_facts/gather_subset, prov_facts, hostvars. */
import test from 'ava';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { FakeMachine } from '../../helpers/fake-machine.js';
import { debianFacts } from '../../helpers/facts.js';
import { makeProject } from '../../helpers/project.js';
import { runOnFakes } from '../../helpers/runner.js';

const INVENTORY = 'all:\n  hosts:\n    h1:\n';

/** A play that writes each expression's value into /out/<name>. */
function play(header: string, values: Record<string, string>): string {
  const tasks = Object.entries(values)
    .map(([name, expr]) => `    - name: write ${name}\n      copy: { dest: /out/${name}, content: ${JSON.stringify(`{{ ${expr} }}`)} }\n`)
    .join('');
  return `- hosts: all\n${header}  tasks:\n${tasks}`;
}

async function outputs(playbook: string): Promise<Record<string, string | undefined>> {
  const p = await makeProject({ 'inventory.yml': INVENTORY, 'site.yml': playbook });
  try {
    const m = new FakeMachine({ dirs: ['/out'] });
    const run = await runOnFakes(p.path('inventory.yml'), p.path('site.yml'), { h1: m }, {}, () => debianFacts({ hostname: 'h1', defaultInterface: 'ens6' }));
    if (run.result.exitCode !== 0) throw new Error(JSON.stringify(run.result).slice(0, 3000));
    return Object.fromEntries([...m.files].filter(([path]) => path.startsWith('/out/')).map(([path, f]) => [path.slice(5), f.content]));
  } finally {
    await p.remove();
  }
}

test('gathered (the default): ansible_facts without prefix, ansible_* variables, hostvars, prov_facts', async (t) => {
  t.deepEqual(
    await outputs(
      play('', {
        family: "ansible_facts['os_family']",
        major: 'ansible_facts.distribution_major_version',
        var: 'ansible_os_family',
        iface: 'ansible_default_ipv4.interface',
        hostvars: 'hostvars[inventory_hostname].ansible_hostname',
        hostvars_facts: "hostvars['h1'].ansible_facts.hostname",
        setup: 'module_setup ~ " " ~ (gather_subset | join(","))',
        prov: 'prov_facts.hostname ~ " " ~ prov_facts.networkManager',
        no_alias: "facts | default('undefined')",
        no_internal: "ansible_facts.networkManager | default('undefined')",
      }),
    ),
    {
      family: 'Debian',
      major: '12',
      var: 'Debian',
      iface: 'ens6',
      hostvars: 'h1',
      hostvars_facts: 'h1',
      setup: 'True all',
      prov: 'h1 ifupdown',
      no_alias: 'undefined',
      no_internal: 'undefined',
    },
  );
});

test('gather_facts: false: ansible_facts is empty and no ansible_* fact variable is defined; prov_facts stay', async (t) => {
  t.deepEqual(
    await outputs(
      play('  gather_facts: false\n', {
        facts: 'ansible_facts | to_json',
        var: "ansible_os_family | default('undefined')",
        setup: "module_setup | default('undefined')",
        prov: 'prov_facts.hostname',
      }),
    ),
    { facts: '{}', var: 'undefined', setup: 'undefined', prov: 'h1' },
  );
});

test('gather_subset: !all keeps the minimal facts; !all,!min,network the network facts and what they require', async (t) => {
  t.deepEqual(
    await outputs(
      play("  gather_subset: ['!all']\n", {
        family: 'ansible_os_family',
        iface: "ansible_default_ipv4 | default('undefined')",
        subset: 'ansible_facts.gather_subset | to_json',
      }),
    ),
    { family: 'Debian', iface: 'undefined', subset: '["!all"]' },
  );
  t.deepEqual(
    await outputs(
      play("  gather_subset: ['!all', '!min', 'network']\n", {
        iface: 'ansible_default_ipv4.interface',
        family: 'ansible_os_family',
        pkg: "ansible_pkg_mgr | default('undefined')",
      }),
    ),
    { iface: 'ens6', family: 'Debian', pkg: 'undefined' },
    'network requires distribution and platform, as in Ansible',
  );
});

test('a gather_subset Ansible does not know, or one prov does not gather, is a load-time error', async (t) => {
  for (const [subset, message] of [
    ['bogus', /play #1: gather_subset: bad subset 'bogus' \(allowed: all, /],
    ['[apparmor]', /play #1: gather_subset: subset 'apparmor' is not gathered by prov/],
    ['[mounts]', /play #1: gather_subset: subset 'mounts' is not gathered by prov/],
    ['[1]', /play #1: gather_subset must be a name or a list of names/],
  ] as const) {
    const p = await makeProject({ 'site.yml': `- hosts: all\n  gather_subset: ${subset}\n  tasks:\n    - debug: msg=x\n` });
    try {
      const err = await t.throwsAsync(loadPlaybook(p.path('site.yml')));
      t.regex(err!.message, message);
    } finally {
      await p.remove();
    }
  }
  const p = await makeProject({ 'site.yml': "- hosts: all\n  gather_subset: ['!apparmor', '!bogus', network]\n  tasks:\n    - debug: msg=x\n" });
  t.teardown(p.remove);
  t.deepEqual(
    (await loadPlaybook(p.path('site.yml'))).plays[0]!.gatherSubset,
    ['!apparmor', '!bogus', 'network'],
    'excluding anything is accepted, as in Ansible',
  );
});

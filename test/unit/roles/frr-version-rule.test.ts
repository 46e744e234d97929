/** The one FRR version rule (vars/main.yml of both roles): the same in both, in the documented order. */
import test from 'ava';
import { renderValue } from '../../../src/template/render.js';
import { fakeFacts, roleDefaults, roleVars } from './render.js';

const FRR_VARS = ['frr_effective_version', 'frr_has_defaults_line', 'frr_has_bfd_profiles', 'frr_config_hostname'];

test('router and host compute the FRR version and its features with the same expressions', (t) => {
  for (const name of FRR_VARS) t.is(roleVars('router')[name], roleVars('host')[name], name);
});

for (const role of ['router', 'host'] as const) {
  test(`${role}: frr_version > the installed package > frr_version_assumed`, (t) => {
    const eff = (vars: Record<string, unknown>) => {
      const all = { ...roleDefaults(role), ...vars, ...roleVars(role), prov_facts: fakeFacts() };
      return [renderValue('{{ frr_effective_version }}', all), renderValue('{{ frr_has_defaults_line }}', all), renderValue('{{ frr_has_bfd_profiles }}', all)];
    };
    t.deepEqual(eff({}), ['8.4.4', true, true], 'frr_version_assumed');
    t.deepEqual(eff({ frr_installed_version: '10.3-1+deb13u1' }), ['10.3', true, true]);
    t.deepEqual(eff({ frr_installed_version: '7.5.1-1.1+deb11u2' }), ['7.5.1', true, true]);
    t.deepEqual(eff({ frr_installed_version: '7.3.1-1~deb10u1' }), ['7.3.1', false, false]);
    t.deepEqual(eff({ frr_installed_version: '7.4.0-1' }), ['7.4.0', true, false]);
    t.deepEqual(eff({ frr_installed_version: '10.3-1', frr_version: '7.3.1' }), ['7.3.1', false, false], 'frr_version wins');
    t.deepEqual(eff({ frr_version: 10.3 }), ['10.3', true, true], 'a number in the inventory');
  });
}

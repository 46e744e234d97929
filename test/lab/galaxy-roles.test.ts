/**
 * Published Galaxy roles on a real lab: each role of test/lab/galaxy-cases.ts runs with
 * ansible-playbook on one host and with `prov apply` on the other, twice each (galaxyRoleTests).
 */
import { galaxyRoleTests } from './galaxy-support.js';
import { GALAXY_ROLE_CASES } from './galaxy-cases.js';

galaxyRoleTests(GALAXY_ROLE_CASES);

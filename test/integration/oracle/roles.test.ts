import { ROLE_CASES } from './cases-roles.js';
import { oracleTests } from './oracle.js';

oracleTests(ROLE_CASES);

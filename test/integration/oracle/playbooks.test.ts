import { CASES } from './cases.js';
import { oracleTests } from './oracle.js';

oracleTests(CASES);

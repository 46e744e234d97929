import { COMPAT_CASES } from './cases-compat.js';
import { oracleTests } from './oracle.js';

oracleTests(COMPAT_CASES);

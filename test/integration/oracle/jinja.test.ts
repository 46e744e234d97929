import { JINJA_CASES } from './cases-jinja.js';
import { oracleTests } from './oracle.js';

oracleTests(JINJA_CASES);

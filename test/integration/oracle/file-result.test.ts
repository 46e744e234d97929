import { oracleTests } from './oracle.js';
import { FILE_RESULT_CASES } from './cases-file-result.js';

oracleTests(FILE_RESULT_CASES);

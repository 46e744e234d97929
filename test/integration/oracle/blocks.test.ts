import { BLOCK_CASES } from './cases-blocks.js';
import { oracleTests } from './oracle.js';

oracleTests(BLOCK_CASES);

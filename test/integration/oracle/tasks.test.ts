import { TASK_CASES } from './cases-tasks.js';
import { oracleTests } from './oracle.js';

oracleTests(TASK_CASES);

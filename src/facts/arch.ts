import { firstLine, type FactSource } from './fact.js';

export const archFact: FactSource<string> = { name: 'arch', command: 'uname -m', parse: firstLine };

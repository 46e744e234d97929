import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/inventories/', import.meta.url));
export const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);

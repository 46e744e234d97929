import { readFileSync } from 'node:fs';

/** Text of test/fixtures/facts/<path>. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/facts/${path}`, import.meta.url), 'utf8');
}

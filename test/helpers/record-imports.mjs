// node --import ./test/helpers/record-imports.mjs …: prints "imported: <specifier>" on stderr for
// every bare package specifier the program resolves (test/integration/startup-imports.test.ts).
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (!specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('node:') && !specifier.startsWith('file:') && !specifier.startsWith('data:'))
    writeSync(2, 'imported: ' + specifier + '\\n');
  return next(specifier, context);
}`)}`,
);

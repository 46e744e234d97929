import { readBoundedFile } from '../core/bounded-read.js';
import { excerpt, ProvError, readFailure } from '../core/errors.js';
import { hasProtoKey, PROTO_KEY, PROTO_VARIABLE } from '../inventory/names.js';
import type { Vars } from '../inventory/types.js';
import { isMapping } from '../playbook/yaml.js';
import { parseYaml } from '../core/yaml/parse.js';
import { decodeUtf8 } from '../core/yaml/read.js';

const FLAG = '-e/--extra-vars';

/** The text of an `@file` value; a missing or unreadable file is a bad option naming the flag and the file. */
async function readExtraVarsFile(value: string, file: string): Promise<string> {
  if (file === '') throw new ProvError('options', `${FLAG} '${value}': expected a file name after '@' (e.g. -e @vars.yml)`);
  let bytes: Buffer;
  try {
    bytes = await readBoundedFile(file);
  } catch (err) {
    const why = readFailure(err);
    throw new ProvError('options', `${FLAG} ${value}: cannot read ${file}: ${why}`, { cause: err });
  }
  try {
    return decodeUtf8(bytes, file);
  } catch (err) {
    if (err instanceof ProvError) throw new ProvError(err.kind, `${FLAG} ${value}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** Adds one mapping of variables to `out`, refusing `__proto__` by name. */
function merge(out: Vars, data: Record<string, unknown>, value: string): void {
  if (hasProtoKey(data)) throw new ProvError('options', `${FLAG} ${value}: ${PROTO_VARIABLE}`);
  Object.assign(out, data);
}

/**
 * Parses --extra-vars values as ansible-playbook does: `key=value` pairs (several per value,
 * space separated), `@file.yml` (YAML or JSON), or an inline JSON/YAML mapping. Later values win.
 */
export async function parseExtraVars(values: string[]): Promise<Vars> {
  const out: Vars = {};
  for (const value of values) {
    const text = value.trim();
    if (text.startsWith('@')) {
      const file = text.slice(1);
      const source = await readExtraVarsFile(text, file);
      let data: unknown;
      try {
        data = parseYaml(source, file);
      } catch (err) {
        if (err instanceof ProvError) throw new ProvError(err.kind, `${FLAG} ${text}: ${err.message}`, { cause: err });
        throw err;
      }
      if (!isMapping(data)) throw new ProvError('options', `${FLAG} ${text}: the file must hold a mapping of variables`);
      merge(out, data, text);
    } else if (text.startsWith('{')) {
      let data: unknown;
      try {
        data = parseYaml(text, FLAG);
      } catch (err) {
        // A malformed inline value is a bad option (exit 5), like any other bad flag value.
        if (err instanceof ProvError)
          throw new ProvError('options', `${FLAG} ${excerpt(text, 40)}: ${err.message.replace(/^-e\/--extra-vars(:\d+)?: /, '')}`, { cause: err });
        throw err;
      }
      if (!isMapping(data)) throw new ProvError('options', `${FLAG}: inline value must be a mapping`);
      merge(out, data, 'inline mapping');
    } else {
      for (const pair of text.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new ProvError('options', `${FLAG} '${pair}': expected key=value, @file or a JSON mapping`);
        const key = pair.slice(0, eq);
        if (key === PROTO_KEY) throw new ProvError('options', `${FLAG} '${key}=…': ${PROTO_VARIABLE}`);
        out[key] = pair.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
      }
    }
  }
  return out;
}

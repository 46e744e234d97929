import { readFile } from 'node:fs/promises';
import { load, YAMLException } from 'js-yaml';
import { ProvError, parseError } from '../errors.js';
import { utf8Text } from '../inventory/utf8.js';

/** Reads and parses one YAML file; every failure is a one-line parse error naming the file and line. */
export async function readYamlFile(file: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? err);
    throw new ProvError('parse', `${file}: cannot read: ${why}`, { cause: err });
  }
  return parseYaml(utf8Text(bytes, file), file);
}

export function parseYaml(text: string, file: string): unknown {
  try {
    return load(text, { filename: file });
  } catch (err) {
    if (err instanceof YAMLException) {
      const line = err.mark ? err.mark.line + 1 : undefined;
      throw parseError(file, `YAML syntax error: ${err.reason}`, line, err);
    }
    throw parseError(file, `YAML syntax error: ${String(err)}`, undefined, err);
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string, or a list of strings, as a list; anything else is a parse error. */
export function stringList(value: unknown, file: string, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.map(String);
  }
  throw parseError(file, `${what} must be a string or a list of strings`);
}

/** A condition (`when`, `changed_when`, `failed_when`): a bool, string, or list of them. */
export function conditionList(value: unknown, file: string, what: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return [value ? 'True' : 'False'];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'boolean')) {
    return value.map((v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : v));
  }
  throw parseError(file, `${what} must be a condition string or a list of them`);
}

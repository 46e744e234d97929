/**
 * YAML as Ansible reads it (PyYAML, YAML 1.1), plus the line of every mapping key so that
 * inventory errors found after parsing can still name a line.
 *
 * Why a custom schema: js-yaml's default (YAML 1.2 core) reads `yes`/`on` as strings, and its
 * YAML11_SCHEMA also turns `y`/`n` into booleans and dates into Date objects. PyYAML does
 * neither, so `ansible_become: yes` must be true while `y: 1` keeps the key "y". Duplicate keys
 * are allowed (last one wins), as PyYAML and Ansible do.
 */
import {
  constructFromEvents,
  defineScalarTag,
  EVENT_ID,
  FAILSAFE_SCHEMA,
  floatYaml11Tag,
  getScalarValue,
  intYaml11Tag,
  mergeTag,
  NOT_RESOLVED,
  nullYaml11Tag,
  parseEvents,
  Schema,
  YAMLException,
  type Event,
} from 'js-yaml';
import { parseError } from '../errors.js';

const PY_TRUE = ['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
const PY_FALSE = ['no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];

const pyyamlBoolTag = defineScalarTag('tag:yaml.org,2002:bool', {
  implicit: true,
  implicitFirstChars: ['y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O'],
  resolve: (source) => (PY_TRUE.includes(source) ? true : PY_FALSE.includes(source) ? false : NOT_RESOLVED),
  identify: (v) => typeof v === 'boolean',
  represent: (v) => (v ? 'true' : 'false'),
});

/** PyYAML's SafeLoader resolution, without timestamps (kept as strings, as ansible-inventory prints them). */
export const ANSIBLE_YAML_SCHEMA = new Schema([
  ...FAILSAFE_SCHEMA.tags,
  nullYaml11Tag,
  pyyamlBoolTag,
  intYaml11Tag,
  floatYaml11Tag,
  mergeTag,
]);

export interface ParsedYaml {
  data: unknown;
  /** 1-based line of the mapping key at `path` (e.g. ['all', 'children', 'routers']), if known. */
  lineOf(path: readonly string[]): number | undefined;
}

const KEY_SEP = '\u0000';

/** Parses one YAML document; a syntax error becomes `file:line: YAML syntax error: reason`. */
export function parseAnsibleYaml(text: string, file: string): ParsedYaml {
  let events: Event[];
  let data: unknown;
  try {
    events = parseEvents(text, { filename: file });
    const docs = constructFromEvents(events, { source: text, filename: file, schema: ANSIBLE_YAML_SCHEMA, json: true });
    if (docs.length > 1) throw parseError(file, 'expected one YAML document, found several');
    data = docs[0] ?? null;
  } catch (err) {
    if (err instanceof YAMLException) {
      const line = err.mark ? err.mark.line + 1 : undefined;
      throw parseError(file, `YAML syntax error: ${err.reason}`, line, err);
    }
    if (err instanceof Error && err.name === 'ProvError') throw err;
    throw parseError(file, `YAML syntax error: ${String(err)}`, undefined, err);
  }
  const lines = keyLines(events, text);
  return { data, lineOf: (path) => lines.get(path.join(KEY_SEP)) };
}

interface Frame {
  kind: 'doc' | 'map' | 'seq';
  /** Path of this collection; undefined inside complex keys, whose lines we do not track. */
  path: string[] | undefined;
  expectKey: boolean;
  pendingKey?: string;
  index: number;
}

/** Walks the event stream and records the line of every scalar mapping key by its path. */
function keyLines(events: Event[], text: string): Map<string, number> {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const out = new Map<string, number>();
  const stack: Frame[] = [];
  const childPath = (f: Frame | undefined): string[] | undefined => {
    if (!f || !f.path) return f?.kind === 'doc' ? [] : undefined;
    if (f.kind === 'doc') return [];
    if (f.kind === 'map') return f.expectKey || f.pendingKey === undefined ? undefined : [...f.path, f.pendingKey];
    return [...f.path, String(f.index)];
  };
  const consumed = (f: Frame | undefined): void => {
    if (!f) return;
    if (f.kind === 'map') {
      f.expectKey = !f.expectKey;
      if (f.expectKey) f.pendingKey = undefined;
    } else if (f.kind === 'seq') f.index++;
  };
  for (const ev of events) {
    const top = stack[stack.length - 1];
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        stack.push({ kind: 'doc', path: [], expectKey: false, index: 0 });
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const path = top?.kind === 'map' && top.expectKey ? undefined : childPath(top);
        stack.push({ kind: ev.type === EVENT_ID.MAPPING ? 'map' : 'seq', path, expectKey: true, index: 0 });
        break;
      }
      case EVENT_ID.SCALAR:
        if (top?.kind === 'map' && top.expectKey && top.path) {
          const key = getScalarValue(text, ev);
          top.pendingKey = key;
          if (ev.valueStart >= 0) out.set([...top.path, key].join(KEY_SEP), lineAt(ev.valueStart));
        }
        consumed(top);
        break;
      case EVENT_ID.ALIAS:
        consumed(top);
        break;
      case EVENT_ID.POP:
        stack.pop();
        consumed(stack[stack.length - 1]);
        break;
    }
  }
  return out;
}

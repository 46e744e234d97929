/**
 * Python's configparser dialect, as Ansible reads ansible.cfg
 * (`configparser.ConfigParser(inline_comment_prefixes=(';',))`, values read raw): `[section]`,
 * `key = value` or `key: value` (split at the first `=` or `:`), keys lower-cased, lines starting
 * with `#` or `;` are comments, ` ;` after whitespace starts an inline comment (a `#` inside a
 * value does not), an indented line continues the value above (joined with newlines), values
 * of [DEFAULT] apply to every section, a duplicate section or key in one file is an error.
 *
 * Hand-written: the `ini` package on npm strips `#` and `;` anywhere in a line and knows no
 * continuation lines or [DEFAULT], so it would read another value than Ansible does; this is the
 * one loop of configparser's _read.
 */
import { parseError } from '../core/errors.js';

export interface IniFile {
  file: string;
  /** section -> key -> value; `DEFAULT` holds the defaults of every section. */
  sections: Map<string, Map<string, string>>;
  /** 1-based line of each `section.key`, for error messages. */
  lines: Map<string, number>;
}

const SECTION = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/;

export function parseConfigIni(file: string, text: string): IniFile {
  const sections = new Map<string, Map<string, string[]>>();
  const lines = new Map<string, number>();
  const added = new Set<string>();
  let section: Map<string, string[]> | undefined;
  let sectionName = '';
  let option: string | undefined;
  let indent = 0;
  let lineno = 0;
  for (const line of text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/)) {
    lineno++;
    let commentStart: number | undefined;
    for (let i = line.indexOf(';'); i >= 0; i = line.indexOf(';', i + 1)) {
      if (i === 0 || /\s/.test(line[i - 1]!)) {
        commentStart = i;
        break;
      }
    }
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) commentStart = 0;
    const value = (commentStart === undefined ? line : line.slice(0, commentStart)).trim();
    if (!value) {
      // An empty line inside a multi-line value is kept (configparser's empty_lines_in_values).
      if (commentStart === undefined && section && option) section.get(option)!.push('');
      continue;
    }
    const lineIndent = line.search(/\S/);
    if (section && option && lineIndent > indent) {
      section.get(option)!.push(value);
      continue;
    }
    indent = lineIndent;
    const header = SECTION.exec(value);
    if (header) {
      sectionName = header[1]!;
      if (added.has(sectionName)) throw parseError(file, `section [${sectionName}] appears twice`, lineno);
      added.add(sectionName);
      section = sections.get(sectionName) ?? new Map();
      sections.set(sectionName, section);
      option = undefined;
      continue;
    }
    if (!section) throw parseError(file, `expected a [section] header before ${JSON.stringify(value.slice(0, 80))}`, lineno);
    const m = OPTION.exec(value);
    if (!m || !m[1]!.trim()) throw parseError(file, `expected key = value, got ${JSON.stringify(value.slice(0, 80))}`, lineno);
    option = m[1]!.trimEnd().toLowerCase();
    const id = `${sectionName}.${option}`;
    if (added.has(id)) throw parseError(file, `key '${option}' appears twice in section [${sectionName}]`, lineno);
    added.add(id);
    lines.set(id, lineno);
    section.set(option, [m[3]!.trim()]);
  }
  const joined = new Map<string, Map<string, string>>();
  for (const [name, options] of sections) {
    joined.set(name, new Map([...options].map(([k, v]) => [k, v.join('\n').trimEnd()])));
  }
  return { file, sections: joined, lines };
}

/** configparser's get(section, key, raw=True): the section's value, else [DEFAULT]'s, else undefined. */
export function iniGet(ini: IniFile, section: string, key: string): string | undefined {
  if (section !== 'DEFAULT' && !ini.sections.has(section)) return undefined;
  return ini.sections.get(section)?.get(key) ?? ini.sections.get('DEFAULT')?.get(key);
}

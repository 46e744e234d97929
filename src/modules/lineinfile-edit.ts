/**
 * The pure text edits of lineinfile, following Ansible's lineinfile.py present()/absent():
 * a regexp (or search_string) match is replaced (the last match, or the first with firstmatch);
 * otherwise an identical line counts as present; otherwise the line is inserted after the last
 * `insertafter` match (or before the `insertbefore` match), at BOF, or at EOF.
 */
import { chomp, expandBackrefs, pyRegExp } from './common/lines.js';

export interface LineOptions {
  line?: string;
  regexp?: string;
  searchString?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean;
  firstmatch?: boolean;
}

export interface LineEdit {
  lines: string[];
  changed: boolean;
  msg: string;
}

const NL = '\n';

export function linePresent(input: string[], o: LineOptions & { line: string }): LineEdit {
  const lines = [...input];
  const re = o.regexp !== undefined ? pyRegExp(o.regexp, 'regexp') : undefined;
  const insRe =
    o.insertafter !== undefined && o.insertafter !== 'BOF' && o.insertafter !== 'EOF'
      ? pyRegExp(o.insertafter, 'insertafter')
      : o.insertbefore !== undefined && o.insertbefore !== 'BOF'
        ? pyRegExp(o.insertbefore, 'insertbefore')
        : undefined;

  let found = -1; // index[0]: line matched by regexp/search_string, or the identical line
  let insertAt = -1; // index[1]: where insertafter/insertbefore points
  let match: RegExpExecArray | null = null;

  if (re) {
    for (let i = 0; i < lines.length; i++) {
      const m = re.exec(chomp(lines[i]!));
      if (m) {
        found = i;
        match = m;
        if (o.firstmatch) break;
      }
    }
  } else if (o.searchString !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.includes(o.searchString)) {
        found = i;
        if (o.firstmatch) break;
      }
    }
  }
  const searched = found !== -1;
  if (!searched) {
    for (let i = 0; i < lines.length; i++) {
      const cur = lines[i]!;
      if (o.line === chomp(cur)) {
        found = i;
      } else if (insRe?.test(chomp(cur))) {
        if (o.insertafter !== undefined) {
          insertAt = i + 1;
          if (o.firstmatch) break;
        }
        if (o.insertbefore !== undefined) {
          insertAt = i;
          if (o.firstmatch) break;
        }
      }
    }
  }

  if (found !== -1) {
    let newLine = o.backrefs && match ? expandBackrefs(o.line, match) : o.line;
    if (!newLine.endsWith(NL)) newLine += NL;
    if (lines[found] !== newLine) {
      lines[found] = newLine;
      return { lines, changed: true, msg: 'line replaced' };
    }
    return { lines, changed: false, msg: '' };
  }
  if (o.backrefs) {
    // Not safe to build the line without a match to fill the backreferences: do nothing.
    return { lines, changed: false, msg: '' };
  }
  const added = (): LineEdit => ({ lines, changed: true, msg: 'line added' });
  if (o.insertbefore === 'BOF' || o.insertafter === 'BOF') {
    lines.unshift(o.line + NL);
    return added();
  }
  if (o.insertafter === 'EOF' || insertAt === -1) {
    if (lines.length > 0 && !lines[lines.length - 1]!.endsWith(NL)) lines[lines.length - 1] += NL;
    lines.push(o.line + NL);
    return added();
  }
  if (o.insertafter !== undefined) {
    // Do not insert when the line already follows the anchor.
    if (insertAt === lines.length) {
      if (chomp(lines[insertAt - 1]!) === o.line) return { lines, changed: false, msg: '' };
      if (!lines[insertAt - 1]!.endsWith(NL)) lines[insertAt - 1] += NL;
      lines.push(o.line + NL);
      return added();
    }
    if (chomp(lines[insertAt]!) === o.line) return { lines, changed: false, msg: '' };
    lines.splice(insertAt, 0, o.line + NL);
    return added();
  }
  lines.splice(insertAt, 0, o.line + NL);
  return added();
}

export function lineAbsent(input: string[], o: LineOptions): LineEdit {
  const re = o.regexp !== undefined ? pyRegExp(o.regexp, 'regexp') : undefined;
  const matches = (cur: string): boolean => {
    if (re) return re.test(chomp(cur));
    if (o.searchString !== undefined) return cur.includes(o.searchString);
    return o.line === chomp(cur);
  };
  const kept = input.filter((l) => !matches(l));
  const removed = input.length - kept.length;
  return { lines: kept, changed: removed > 0, msg: removed > 0 ? `${removed} line(s) removed` : '' };
}

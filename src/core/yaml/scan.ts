/**
 * One walk over a YAML event stream, before any value is built:
 * - the line of every scalar mapping key by its path, so that errors found after parsing
 *   (an inventory group that is not a mapping) can still name a line;
 * - duplicate keys in one mapping, which Ansible warns about (the last one wins);
 * - the size that aliases add when expanded: a "billion laughs" file is a few lines whose
 *   aliases expand to 10^9 nodes. Values built by js-yaml share the aliased object, but prov
 *   copies and renders values, so it would expand them. Such a file is refused here, in
 *   time linear in its size, as is an alias inside the node it names (a recursive value).
 */
import { EVENT_ID, getScalarValue, type Event } from 'js-yaml';
import { parseError } from '../errors.js';

/** Nodes that the aliases of one file may add when expanded. */
export const MAX_ALIAS_NODES = 1_000_000;

export interface SourcePosition {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export interface DuplicateKey {
  key: string;
  /** Where the mapping holding the key starts (what Ansible's warning names). */
  mapping: SourcePosition;
}

export interface EventScan {
  /** Line of the mapping key at a path joined by KEY_SEP. */
  keyLines: Map<string, number>;
  duplicates: DuplicateKey[];
}

export const KEY_SEP = '\u0000';

interface Frame {
  kind: 'doc' | 'map' | 'seq';
  /** Path of this collection; undefined inside complex keys, whose lines we do not track. */
  path: string[] | undefined;
  expectKey: boolean;
  pendingKey?: string;
  index: number;
  keys: Set<string>;
  start: number;
  anchor?: Anchor;
  /** Nodes in this collection with aliases expanded, itself included. */
  size: number;
}

interface Anchor {
  open: boolean;
  size: number;
}

export class LineIndex {
  private readonly starts = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}

export function scanEvents(events: Event[], text: string, file: string): EventScan {
  const lines = new LineIndex(text);
  const keyLines = new Map<string, number>();
  const duplicates: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let anchors = new Map<string, Anchor>();
  let aliasNodes = 0;

  const childPath = (f: Frame | undefined): string[] | undefined => {
    if (!f) return undefined;
    if (f.kind === 'doc') return [];
    if (!f.path) return undefined;
    if (f.kind === 'map') return f.expectKey || f.pendingKey === undefined ? undefined : [...f.path, f.pendingKey];
    return [...f.path, String(f.index)];
  };
  /** A node of `size` nodes is complete inside `f`. */
  const consumed = (f: Frame | undefined, size: number): void => {
    if (!f) return;
    f.size += size;
    if (f.kind === 'map') {
      f.expectKey = !f.expectKey;
      if (f.expectKey) f.pendingKey = undefined;
    } else if (f.kind === 'seq') f.index++;
  };
  const defineAnchor = (ev: { anchorStart: number; anchorEnd: number }): Anchor | undefined => {
    if (ev.anchorStart < 0) return undefined;
    const anchor = { open: true, size: 1 };
    anchors.set(text.slice(ev.anchorStart, ev.anchorEnd), anchor);
    return anchor;
  };

  for (const ev of events) {
    const top = stack[stack.length - 1];
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        anchors = new Map();
        aliasNodes = 0;
        stack.push({ kind: 'doc', path: [], expectKey: false, index: 0, keys: new Set(), start: 0, size: 0 });
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const path = top?.kind === 'map' && top.expectKey ? undefined : childPath(top);
        const kind = ev.type === EVENT_ID.MAPPING ? 'map' : 'seq';
        stack.push({ kind, path, expectKey: true, index: 0, keys: new Set(), start: ev.start, anchor: defineAnchor(ev), size: 1 });
        break;
      }
      case EVENT_ID.SCALAR: {
        const anchor = defineAnchor(ev);
        if (anchor) anchor.open = false;
        if (top?.kind === 'map' && top.expectKey) {
          const key = getScalarValue(text, ev);
          if (top.keys.has(key) && key !== '<<') duplicates.push({ key, mapping: lines.position(top.start) });
          top.keys.add(key);
          if (top.path) {
            top.pendingKey = key;
            if (ev.valueStart >= 0) keyLines.set([...top.path, key].join(KEY_SEP), lines.position(ev.valueStart).line);
          }
        }
        consumed(top, 1);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(ev.anchorStart, ev.anchorEnd);
        const anchor = anchors.get(name);
        const line = lines.position(ev.anchorStart).line;
        if (anchor?.open) throw parseError(file, `alias *${name} is inside the node it names (a recursive value): not supported`, line);
        const size = anchor?.size ?? 1;
        aliasNodes += size;
        if (aliasNodes > MAX_ALIAS_NODES) {
          throw parseError(file, `YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes (an alias bomb?): refused`, line);
        }
        consumed(top, size);
        break;
      }
      case EVENT_ID.POP: {
        const done = stack.pop();
        if (done?.anchor) {
          done.anchor.open = false;
          done.anchor.size = done.size;
        }
        consumed(stack[stack.length - 1], done?.size ?? 0);
        break;
      }
    }
  }
  return { keyLines, duplicates };
}

/**
 * Data that came from a machine: registered results (stdout, stderr, file contents read back),
 * gathered facts, and every value computed from them (set_fact, loop items). It is data, never a
 * template: the renderer does not render it lazily as it renders variables from the inventory
 * and playbooks, and a condition never evaluates it as an expression (Ansible's AnsibleUnsafe).
 *
 * The mark is carried by the value itself, so it survives spreads of variable mappings, set_fact
 * copies and hostvars: an array or a mapping is marked in a WeakSet (deeply, its shape unchanged);
 * a string cannot be marked, so a variable holding one holds a HostText, which a lookup unwraps.
 * Strings inside a marked array or mapping stay plain: they can only be reached through it.
 */

/** A string from a machine, as the value of a variable. JSON and String() give the text. */
export class HostText {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
  toString(): string {
    return this.text;
  }
}

const marked = new WeakSet<object>();

function isPlainContainer(v: unknown): v is unknown[] | Record<string, unknown> {
  if (Array.isArray(v)) return true;
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A copy of `value` inside a marked container: arrays and mappings copied and marked, HostText unwrapped. */
function markedCopy(value: unknown): unknown {
  if (value instanceof HostText) return value.text;
  if (Array.isArray(value)) {
    const out = value.map(markedCopy);
    marked.add(out);
    return out;
  }
  if (isPlainContainer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = markedCopy(v);
    marked.add(out);
    return out;
  }
  return value;
}

/** `value` marked as data from a machine (a copy: the original is left as it was). */
export function asHostData(value: unknown): unknown {
  if (value instanceof HostText || (typeof value === 'object' && value !== null && marked.has(value))) return value;
  if (typeof value === 'string') return new HostText(value);
  return markedCopy(value);
}

/** Each value of a mapping of variables marked as data from a machine. */
export function hostDataVars(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, asHostData(v)]));
}

/** Whether a variable's value came from a machine. */
export function isHostData(value: unknown): boolean {
  return value instanceof HostText || (typeof value === 'object' && value !== null && marked.has(value));
}

/** A variable's value as expressions see it: a HostText's text, anything else as it is. */
export function plainValue(value: unknown): unknown {
  return value instanceof HostText ? value.text : value;
}

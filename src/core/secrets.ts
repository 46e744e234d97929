/**
 * Values prov must never print: anything decrypted from Ansible Vault, the value of
 * `bgp_password`, and what a `no_log: true` task returned. They are collected here as the run
 * learns them, and every byte prov writes to stdout or stderr (the plain and terminal output,
 * --diff, --json, warnings, error messages) passes through `redactSecrets`, which puts
 * REDACTED in place of each. This is a last line of defence, not the only one: no_log results are
 * already censored where they are made (src/runner/task.ts), and file contents reach the targets
 * on stdin, never in a command's arguments.
 *
 * A secret shorter than MIN_SECRET_LENGTH cannot be hidden this way (every "a" in the output
 * would go): prov warns once that it is too short to hide.
 */
export const REDACTED = '********';
export const MIN_SECRET_LENGTH = 4;

const secrets = new Set<string>();
const tooShort = new Set<string>();

function addOne(text: string): void {
  if (text.length === 0 || secrets.has(text)) return;
  if (text.length < MIN_SECRET_LENGTH) {
    tooShort.add(text);
    return;
  }
  secrets.add(text);
  ordered = undefined;
}

let ordered: string[] | undefined;

/** Marks every string inside `value` (and each line of a multi-line string) as secret; numbers and booleans stay printable. */
export function markSecret(value: unknown): void {
  if (typeof value === 'string') {
    addOne(value);
    if (value.includes('\n')) for (const line of value.split(/\r?\n/)) addOne(line.trim());
    return;
  }
  if (Array.isArray(value)) for (const v of value) markSecret(v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) markSecret(v);
}

/** Secrets too short to be hidden by redaction (for a warning). */
export function unhideableSecretCount(): number {
  return tooShort.size;
}

export function hasSecrets(): boolean {
  return secrets.size > 0;
}

/** The text with every known secret replaced by REDACTED (longest first, so a secret inside another goes whole). */
export function redactSecrets(text: string): string {
  if (secrets.size === 0) return text;
  ordered ??= [...secrets].sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of ordered) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** For tests: forget every secret. */
export function clearSecrets(): void {
  secrets.clear();
  tooShort.clear();
  ordered = undefined;
}

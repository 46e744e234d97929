/** zod building blocks shared by the module schemas: Ansible booleans, file modes, aliases. */
import { z } from 'zod';
import { shellWordsProblem } from '../../transport/shell-words.js';

const TRUE = new Set(['yes', 'true', 'on', '1', 'y']);
const FALSE = new Set(['no', 'false', 'off', '0', 'n']);

/** Ansible's booleans: true/false, and yes/no/on/off/1/0 as strings (after {{ }} rendering). */
export const boolish = z.preprocess((v) => {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  if (v === 1) return true;
  if (v === 0) return false;
  return v;
}, z.boolean());

/**
 * A file mode as a 4-digit octal string. Strings are octal ("0644", "644"); a YAML number such
 * as `mode: 0644` reaches us as 644 under YAML 1.2, so a number whose digits are all octal is
 * read as those digits (what the user wrote). Symbolic modes (u=rw) are not supported.
 */
export const fileMode = z.union([z.string(), z.number().int()]).transform((v, ctx) => {
  const text = String(v).trim();
  if (!/^[0-7]{3,4}$/.test(text)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `mode must be octal like 0644, not ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return text.padStart(4, '0');
});

export const fileAttrsShape = {
  mode: fileMode.optional(),
  owner: z.string().min(1).optional(),
  group: z.string().min(1).optional(),
};

/** A string argument that YAML may have typed as a number or boolean (sysctl values, etc.). */
export const scalarString = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

/** A string or a list of strings, as a list. */
export const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/**
 * Renames Ansible's alias keys to the canonical one before validation; giving both is an error
 * that the strict schema reports (the alias stays as an unknown key).
 */
export function withAliases<T extends z.ZodTypeAny>(aliases: Record<string, string>, schema: T) {
  return z.preprocess((raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
    const out: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const [alias, canonical] of Object.entries(aliases)) {
      if (alias in out && !(canonical in out)) {
        out[canonical] = out[alias];
        delete out[alias];
      }
    }
    return out;
  }, schema);
}

/** A `validate` command must name the candidate file with %s, as in Ansible. */
export const validateCommand = z
  .string()
  .refine((v) => v.includes('%s'), { message: "validate must contain %s (the candidate file's path)" })
  .superRefine((v, ctx) => {
    const problem = shellWordsProblem(v);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

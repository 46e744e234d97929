/** zod building blocks shared by the module schemas: Ansible booleans, file modes, aliases. */
import { z } from 'zod';
import { ansibleBoolean } from '../../core/boolean.js';
import { shellWordsProblem } from '../../core/shell-words.js';

/** Ansible's boolean(): true/false, yes/no/on/off/y/n/t/f/1/0 as strings (after {{ }} rendering), 1/0. */
export const boolish = z.preprocess((v) => ansibleBoolean(v) ?? v, z.boolean());

/**
 * A file mode as a 4-digit octal string, read as Ansible's file modules read it: a string is
 * octal ("0644", "644"); an int is the mode's value, so `mode: 0644` (the int 420 under YAML 1.1)
 * is 0644, while an unquoted `mode: 644` is 0o1204, as in Ansible. Symbolic modes (u=rw) are not
 * supported.
 */
export const fileMode = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const text = typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0o7777 ? v.toString(8) : String(v).trim();
  if (!/^[0-7]{1,4}$/.test(text) || (typeof v === 'string' && text.length < 3)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `mode must be octal like 0644, not ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return text.padStart(4, '0');
});

/**
 * A path argument (dest, path, src). A NUL byte cannot reach a program (sh drops it, so another
 * path would be used): it is refused by name.
 */
export const pathString = z
  .string()
  .min(1)
  .refine((v) => !v.includes('\0'), { message: 'must not contain a NUL byte' });

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

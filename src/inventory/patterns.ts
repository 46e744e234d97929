/**
 * Ansible host patterns (ansible/inventory/manager.py): `all`, `*`, host and group names,
 * unions `a:b` / `a,b`, intersections `&x` and exclusions `!x` (applied after the unions, in
 * that order, whatever their place in the pattern), globs (`r*`, fnmatch via minimatch),
 * regexes `~r[12]` (anchored at the start, like Python's re.match) and subscripts `group[0]`,
 * `group[0:1]`, `group[-1]`. A term that matches nothing contributes nothing (Ansible warns);
 * `unmatchedTerms` lets the caller say so.
 *
 * Order, as in Ansible: hosts in the order the union terms produce them, each group's hosts
 * in Ansible's group order (direct hosts, then child groups breadth first).
 */
import { minimatch } from 'minimatch';
import { ProvError } from '../core/errors.js';
import { hostsOfGroup } from './graph.js';
import type { Inventory } from './types.js';

/** Splits a pattern into terms: on commas if any, else on colons outside [...] (IPv6 kept whole). */
export function splitPattern(pattern: string | string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap(splitPattern);
  let terms: string[];
  if (pattern.includes(',')) terms = pattern.split(',');
  else if (/^[0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/.test(pattern.trim())) terms = [pattern];
  else terms = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return terms.map((t) => t.trim()).filter(Boolean);
}

/** Regular terms first, then `&` terms, then `!` terms; only `&`/`!` terms imply `all` first. */
function orderTerms(terms: string[]): string[] {
  const regular = terms.filter((t) => t[0] !== '!' && t[0] !== '&');
  const and = terms.filter((t) => t[0] === '&');
  const not = terms.filter((t) => t[0] === '!');
  return [...(regular.length ? regular : ['all']), ...and, ...not];
}

const SUBSCRIPT = /^(.+)\[(?:(-?\d+)|(\d+)([:-])(\d*))\]$/;

function matcher(expr: string): (name: string) => boolean {
  if (expr.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(expr.slice(1));
    } catch (err) {
      throw new ProvError('options', `invalid host pattern regex '${expr}': ${(err as Error).message}`, { cause: err });
    }
    return (name) => re.exec(name)?.index === 0;
  }
  return (name) => minimatch(name, expr, { dot: true, nonegate: true, nocomment: true, noext: true, noglobstar: true });
}

/** Hosts matched by one term (without its &/! prefix): Ansible's _match_one_pattern. */
function matchTerm(inv: Inventory, term: string): string[] {
  if (inv.hosts.has(term)) return [term];
  let expr = term;
  let subscript: [number, number | undefined] | undefined;
  const m = term.startsWith('~') ? null : SUBSCRIPT.exec(term);
  if (m) {
    expr = m[1]!;
    subscript = m[2] !== undefined ? [Number(m[2]), undefined] : [Number(m[3]), m[5] ? Number(m[5]) : -1];
  }
  const matches = matcher(expr);
  const results: string[] = [];
  const groups = [...inv.groups.keys()].filter(matches);
  for (const g of groups) results.push(...hostsOfGroup(inv, g));
  const special = expr.startsWith('~') || /[.?*[]/.test(expr);
  if (!groups.length || special) results.push(...[...inv.hosts.keys()].filter(matches));
  const unique = [...new Set(results)];
  if (!subscript) return unique;
  const [start, end] = subscript;
  if (end === undefined) {
    const host = unique.at(start);
    if (host === undefined) throw new ProvError('options', `no hosts matched the subscripted pattern '${term}'`);
    return [host];
  }
  return unique.slice(start, (end === -1 ? unique.length - 1 : end) + 1);
}

/** Hosts selected by an Ansible pattern (string or list of patterns). */
export function selectHosts(inv: Inventory, pattern: string | string[]): string[] {
  let hosts: string[] = [];
  for (const term of orderTerms(splitPattern(pattern))) {
    if (term[0] === '!') {
      const that = new Set(matchTerm(inv, term.slice(1)));
      hosts = hosts.filter((h) => !that.has(h));
    } else if (term[0] === '&') {
      const that = new Set(matchTerm(inv, term.slice(1)));
      hosts = hosts.filter((h) => that.has(h));
    } else {
      const have = new Set(hosts);
      hosts.push(...matchTerm(inv, term).filter((h) => !have.has(h)));
    }
  }
  return hosts;
}

/** Terms of a pattern that match no host and no group (Ansible's "Could not match supplied host pattern"). */
export function unmatchedTerms(inv: Inventory, pattern: string | string[]): string[] {
  return splitPattern(pattern).filter((t) => {
    const bare = t.replace(/^[!&]/, '');
    if (bare === 'all') return false;
    const m = bare.startsWith('~') ? null : SUBSCRIPT.exec(bare);
    const match = matcher(m ? m[1]! : bare);
    return ![...inv.groups.keys()].some(match) && ![...inv.hosts.keys()].some(match);
  });
}

/** True when the pattern selects no host at all (the CLI then says "no hosts matched --limit X"). */
export function patternMatchesNothing(inv: Inventory, pattern: string | string[]): boolean {
  return selectHosts(inv, pattern).length === 0;
}

/**
 * Python's regular-expression syntax as JavaScript's, where they differ in common use: named
 * groups `(?P<name>…)` and their back-references `(?P=name)`. The one translation of prov: the
 * regex filters and tests of `{{ }}` and the line modules (lineinfile, blockinfile) use it.
 */
export function pythonRegexSource(source: string): string {
  return source.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
}

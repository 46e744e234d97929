/** Parser for `sysctl -n NAME`: the value, or null when the key does not exist. */
export function parseSysctlValue(stdout: string, code: number | null): string | null {
  if (code !== 0) return null;
  const value = stdout.trim();
  return value === '' ? null : value;
}

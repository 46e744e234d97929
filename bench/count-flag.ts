/** A benchmark's one count flag (`--hosts N`, `--peers N`): a positive whole number, else exit 5 (the options contract). */
export function countFlag(bench: string, flag: string, fallback: number, argv: readonly string[] = process.argv): number {
  const i = argv.indexOf(flag);
  const n = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${bench}: ${flag} needs a positive whole number, not ${argv[i + 1]}`);
    process.exit(5);
  }
  return n;
}

/**
 * Carries out a plan's actions on a real machine. Consecutive file actions share one exec (see
 * file-script.ts); every exec action is its own exec and yields one ExecResult, in order.
 */
import { ProvError } from '../core/errors.js';
import type { Action } from '../core/contract.js';
import type { ExecResult, Transport } from '../core/transport.js';
import { buildFileScript, type FileAction } from './file-script.js';

type ExecAction = Extract<Action, { kind: 'exec' }>;

function firstLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  );
}

async function runFileActions(transport: Transport, actions: FileAction[]): Promise<void> {
  const { script, stdin } = buildFileScript(actions);
  const result = await transport.exec(script, { stdin });
  if (result.code !== 0) {
    // The script's own message (naming the path) is the last line; a tool's complaint before it
    // (mktemp, chown) is kept in parentheses.
    const lines = result.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const ours = lines.at(-1) ?? `file actions failed (exit ${result.code})`;
    const tool = lines.length > 1 ? ` (${lines.at(-2)})` : '';
    throw new ProvError('failed', `${ours}${tool}`);
  }
}

async function runExec(transport: Transport, action: ExecAction): Promise<ExecResult> {
  const result = await transport.exec(action.command, { stdin: action.stdin, cwd: action.cwd });
  if (result.code !== 0 && action.mustSucceed !== false) {
    const shown = action.display ?? action.command;
    const why = firstLine(result.stderr) || firstLine(result.stdout) || 'no output';
    throw new ProvError('failed', `'${firstLine(shown)}' failed (rc=${result.code}): ${why}`);
  }
  return result;
}

export async function executeActions(transport: Transport, actions: Action[]): Promise<ExecResult[]> {
  const results: ExecResult[] = [];
  let pending: FileAction[] = [];
  const flush = async () => {
    if (pending.length > 0) await runFileActions(transport, pending);
    pending = [];
  };
  for (const action of actions) {
    if (action.kind === 'exec') {
      await flush();
      results.push(await runExec(transport, action));
    } else {
      pending.push(action);
    }
  }
  await flush();
  return results;
}

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dump } from 'js-yaml';
import { ProvError, errorMessage, readFailure } from '../core/errors.js';
import { parseVagrantSshConfig } from '../inventory/vagrant-ssh-config.js';
import { vagrantInventory } from '../inventory/vagrant-inventory.js';

export interface VagrantInventoryFlags {
  /** A file holding `vagrant ssh-config` output, or `-` for stdin. */
  sshConfig?: string;
  routers?: string;
}

function runVagrantSshConfig(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('vagrant', ['ssh-config'], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const why =
        (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'vagrant is not installed (or not on PATH)' : stderr.trim().split('\n').at(-1) || errorMessage(err);
      reject(
        new ProvError('options', `vagrant ssh-config failed: ${why}; run it where the Vagrantfile is, once the machines are up, or give --ssh-config FILE`),
      );
    });
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function sshConfigText(file: string | undefined): Promise<{ text: string; source: string }> {
  if (file === undefined) return { text: await runVagrantSshConfig(), source: 'vagrant ssh-config' };
  if (file === '-') return { text: await readStdin(), source: '<stdin>' };
  try {
    return { text: await readFile(file, 'utf8'), source: file };
  } catch (err) {
    throw new ProvError('options', `${file}: cannot read ssh config: ${readFailure(err)}`, { cause: err });
  }
}

/** `prov inventory vagrant [--ssh-config FILE|-] [--routers PATTERN]`: the YAML inventory on stdout, notes on stderr. */
export async function vagrantInventoryCommand(flags: VagrantInventoryFlags): Promise<number> {
  const { text, source } = await sshConfigText(flags.sshConfig);
  const machines = parseVagrantSshConfig(text, source);
  const { document, notes } = vagrantInventory(machines, flags.routers === undefined ? {} : { routersPattern: flags.routers });
  for (const note of notes) process.stderr.write(`prov: ${note}\n`);
  const header = `# Written by \`prov inventory vagrant\` from ${source}.\n`;
  process.stdout.write(header + dump(document, { lineWidth: -1 }));
  return 0;
}

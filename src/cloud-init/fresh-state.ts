/**
 * The fresh image as a HostState: what the host role's modules read from a machine, answered
 * for a first boot that prov never sees. Packages are not installed, services are not running,
 * the role's own files do not exist yet. Anything else the role would read (a file's content on
 * the image, a command's output) is known only on the machine: a clear error naming it, never a
 * guess. Tasks that read the machine on purpose carry their first-boot answer (first-boot-tasks.ts).
 */
import type { FileStat, HostState } from '../core/contract.js';
import { ProvError } from '../core/errors.js';
import type { ExecResult } from '../core/transport.js';
import { imageDirectories, type FirstBootImage } from './image.js';

/** Modules that write a whole file: what the file held before does not change what they write. */
const WHOLE_FILE_MODULES = new Set(['copy', 'template', 'ansible.builtin.copy', 'ansible.builtin.template']);

export function writesWholeFile(module: string | undefined): boolean {
  return module !== undefined && WHOLE_FILE_MODULES.has(module);
}

/** A file in a drop-in directory (`/etc/sysctl.d/90-prov-host.conf`): the role names it, a fresh image has none of those. */
function isDropIn(path: string): boolean {
  return /\.d\/[^/]+$/.test(path);
}

const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', code: 0 });

export class FreshImageState implements HostState {
  private readonly dirs: Set<string>;

  constructor(
    image: FirstBootImage,
    /** The module of the task being planned (for whole-file writes, a file's earlier content does not matter). */
    private readonly currentModule: () => string | undefined,
  ) {
    this.dirs = new Set(imageDirectories(image));
  }

  async readFile(path: string): Promise<Buffer | null> {
    if (this.dirs.has(path.replace(/\/+$/, '') || '/')) return null;
    if (writesWholeFile(this.currentModule()) || isDropIn(path)) return null;
    throw new ProvError(
      'failed',
      `${path}: its content on the image is known only at first boot, so user-data cannot edit it with ${this.currentModule() ?? 'this module'}`,
    );
  }

  async stat(path: string): Promise<FileStat | null> {
    const p = path.replace(/\/+$/, '') || '/';
    if (this.dirs.has(p)) return { type: 'directory', mode: '0755', owner: 'root', group: 'root', size: 4096 };
    return null;
  }

  async query(command: string, key?: string): Promise<ExecResult> {
    const [kind, name, what] = (key ?? '').split(':');
    if (kind === 'package') return { stdout: '', stderr: `dpkg-query: no packages found matching ${name}`, code: 1 };
    // From the image's archive (the offline apt source in the lab); its version is the release's.
    if (kind === 'package-candidate') return ok(`${name}:\n  Installed: (none)\n  Candidate: first-boot\n`);
    if (kind === 'apt-cache-age') return ok('999999999');
    if (kind === 'service' && what === 'active') return ok('inactive');
    if (kind === 'service' && what === 'enabled') return ok('disabled');
    // Not read before boot: any value differs from the wanted one, so the setting is applied.
    if (kind === 'sysctl') return ok('unknown');
    throw new ProvError('failed', `'${command}' reads the machine: its answer is known only at first boot`);
  }
}

/**
 * Ansible's `python` collector, and the platform collector's python_version, when the target has
 * python3 (prov itself never needs it). The interpreter Ansible discovers on Debian is
 * /usr/bin/python3; else the first python3 on PATH. One short python3 run (-I: no user site, no
 * PYTHON* variables; no json) prints what the facts hold, a line each, and the version of the
 * system's `distro` package, which Ansible uses instead of its bundled copy when it is installed.
 */
import { block, blockLines, type Blocks } from './blocks.js';

const PROBE =
  'import sys\n' +
  'try:\n import _ssl\n s = 1\nexcept ImportError:\n s = 0\n' +
  'v = sys.version_info\n' +
  'try:\n import distro\n d = distro.__version__\nexcept Exception:\n d = ""\n' +
  'print(sys.executable); print(v[0]); print(v[1]); print(v[2]); print(v[3]); print(v[4]); print(sys.implementation.name); print(s); print(d)';

export const pythonCommand = block('python', `p=/usr/bin/python3; [ -x "$p" ] || p=$(command -v python3) && "$p" -I -c '${PROBE}'`);

export function parsePython(blocks: Blocks): { python?: Record<string, unknown>; python_version?: string; systemDistro?: string } {
  const lines = blockLines(blocks, 'python');
  if (lines.length < 8) return {};
  const [executable, major, minor, micro, releaselevel, serial, type, ssl, distro = ''] = lines as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (![major, minor, micro, serial].every((n) => /^\d+$/.test(n))) return {};
  const version = { major: Number(major), minor: Number(minor), micro: Number(micro), releaselevel, serial: Number(serial) };
  return {
    python: {
      version,
      version_info: [version.major, version.minor, version.micro, releaselevel, version.serial],
      executable,
      has_sslcontext: ssl === '1',
      type,
    },
    python_version: `${major}.${minor}.${micro}`,
    systemDistro: distro.trim(),
  };
}

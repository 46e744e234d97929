/**
 * `prov render cloud-init`: the host role planned for one host with no connection (the fresh
 * image of image.ts, recorded by recorder.ts), and the plan written as cloud-config user-data.
 * The role's own tasks, templates and files are the one description of the host; nothing here
 * knows what the host role does.
 */
import { ProvError } from '../core/errors.js';
import type { Inventory, Vars } from '../inventory/types.js';
import { selectHosts } from '../inventory/patterns.js';
import { hostVars } from '../inventory/vars.js';
import type { Playbook, Task } from '../playbook/types.js';
import { runPlaybook } from '../runner/run.js';
import type { HostTaskResult, Reporter } from '../runner/types.js';
import { firstBootPlaybook } from './first-boot-tasks.js';
import { imageFacts, imageFrrVersion, parseImage, type FirstBootImage } from './image.js';
import { DEFAULT_IMDS, imdsSupernetScript, SUPERNET_PLACEHOLDER } from './imds.js';
import { FirstBootRecorder, type FirstBootRecord } from './recorder.js';
import { userData } from './user-data.js';

export interface RenderOptions {
  inventory: Inventory;
  playbook: Playbook;
  host: string;
  extraVars: Vars;
  /** The image; default: the host's cloud_init_release / cloud_init_network, else bookworm / ifupdown. */
  release?: string;
  network?: string;
  /** The metadata service (the lab's, in tests); default 169.254.169.254. */
  imdsEndpoint?: string;
  /** Lines for the header ("rendered from inventory/x.yml"). */
  source?: string[];
}

export interface RenderedHost {
  host: string;
  image: FirstBootImage;
  record: FirstBootRecord;
  userData: string;
  /** The supernet comes from the instance metadata at boot. */
  supernetFromImds: boolean;
}

/** Collects the first failure; tells the recorder which task runs. */
class RenderReporter implements Reporter {
  failure: string | undefined;
  ran = 0;
  constructor(private readonly recorder: FirstBootRecorder) {}
  playStart(): void {}
  taskStart(task: Task): void {
    this.recorder.setTask(task);
  }
  hostResult(task: Task, result: HostTaskResult): void {
    if (result.status !== 'skipped') this.ran += 1;
    if ((result.status === 'failed' && !result.ignored) || result.status === 'unreachable') {
      this.failure ??= `task '${task.name}' (${task.origin.file}): ${result.msg ?? 'failed'}`;
    }
  }
  hostUnreachable(_host: string, msg: string): void {
    this.failure ??= msg;
  }
  notice(): void {}
  runEnd(): void {}
}

export async function renderCloudInit(o: RenderOptions): Promise<RenderedHost> {
  if (!o.inventory.hosts.has(o.host)) throw new ProvError('options', `render cloud-init: '${o.host}' is not a host of the inventory`);
  const vars = hostVars(o.inventory, o.host);
  const image = parseImage(o.release ?? vars.cloud_init_release, o.network ?? vars.cloud_init_network, `render cloud-init ${o.host}`);
  const supernetFromImds = o.extraVars.vpc_supernet === undefined && (vars.vpc_supernet === undefined || vars.vpc_supernet === '');
  // The role reads the installed FRR version after installing it; at first boot that is the release's.
  const firstBoot = { prov_first_boot_frr_version: imageFrrVersion(image) };
  const extraVars = { ...firstBoot, ...(supernetFromImds ? { ...o.extraVars, vpc_supernet: SUPERNET_PLACEHOLDER } : o.extraVars) };
  const recorder = new FirstBootRecorder(image);
  const reporter = new RenderReporter(recorder);
  const result = await runPlaybook({
    inventory: o.inventory,
    // Only the plays that run on the host: the others' tasks need no first-boot form.
    playbook: firstBootPlaybook({ ...o.playbook, plays: o.playbook.plays.filter((p) => selectHosts(o.inventory, p.hosts).includes(o.host)) }),
    check: false,
    diff: false,
    limit: o.host,
    tags: [],
    skipTags: [],
    roles: [],
    forks: 1,
    // First boot has no SSH session to lose: commit-confirmed routing (arm_routing) is off.
    confirmTimeout: 0,
    extraVars,
    reporter,
    open: async (host) => ({ driver: recorder, facts: imageFacts(host, image) }),
  });
  if (reporter.failure !== undefined) throw new ProvError('failed', `render cloud-init ${o.host}: ${reporter.failure}`);
  if (result.exitCode !== 0) throw new ProvError('failed', `render cloud-init ${o.host}: the plan stopped (${result.aborted ?? `exit ${result.exitCode}`})`);
  if (reporter.ran === 0) throw new ProvError('options', `render cloud-init: no task of ${o.playbook.file} runs on ${o.host}`);
  const supernetScript = supernetFromImds ? imdsSupernetScript(String(vars.subnet_interface ?? ''), o.imdsEndpoint ?? DEFAULT_IMDS) : undefined;
  if (supernetFromImds && !vars.subnet_interface)
    throw new ProvError('options', `render cloud-init ${o.host}: subnet_interface is needed to ask the instance metadata for the supernet`);
  const text = userData(recorder.record, {
    host: o.host,
    source: [...(o.source ?? []), `Image: Debian ${image.release}, network by ${image.network}.`],
    ...(supernetScript !== undefined ? { supernetScript } : {}),
  });
  return { host: o.host, image, record: recorder.record, userData: text, supernetFromImds };
}

/**
 * A real EC2 API on loopback for the aws_ec2 inventory tests: moto_server on a free port, loaded
 * through boto3 (moto-ec2-load.py) with two VPCs, subnets and tagged instances, one stopped.
 * Never the real cloud: every client gets this endpoint, test credentials and no shared files.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './sshd.js';

export interface MotoWorld {
  ids: Record<string, string>;
  vpc: string;
  subnet: string;
  other_vpc: string;
}

export interface Moto {
  endpoint: string;
  world: MotoWorld;
  /** The environment for a client of this endpoint; `dir` holds the (absent) AWS config files. */
  env(dir: string): NodeJS.ProcessEnv;
  stop(): void;
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const proc: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  try {
    for (let i = 0; ; i++) {
      try {
        await fetch(`${endpoint}/moto-api/`);
        break;
      } catch {
        if (i > 600) throw new Error('moto_server did not start');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const loaded = await new Promise<string>((resolve, reject) =>
      execFile('python3', [fileURLToPath(new URL('moto-ec2-load.py', import.meta.url)), endpoint], (err, stdout, stderr) =>
        err ? reject(new Error(stderr)) : resolve(stdout),
      ),
    );
    return {
      endpoint,
      world: JSON.parse(loaded) as MotoWorld,
      env: (dir) => ({
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      }),
      stop: () => proc.kill(),
    };
  } catch (err) {
    proc.kill();
    throw err;
  }
}

/** A moto_server and a scratch directory for the inventory files that read it. */
export interface MotoWorkspace {
  moto: Moto;
  dir: string;
  /** Writes `NAME.aws_ec2.yml` for us-east-1 at this endpoint, `body` after those lines; returns its path. */
  awsEc2File(name: string, body: string): Promise<string>;
  /** Stops moto_server and removes the directory. */
  stop(): Promise<void>;
}

export async function startMotoWorkspace(prefix: string): Promise<MotoWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const remove = () => rm(dir, { recursive: true, force: true });
  const moto = await startMoto().catch(async (err: unknown) => {
    await remove();
    throw err;
  });
  return {
    moto,
    dir,
    async awsEc2File(name, body) {
      const file = join(dir, `${name}.aws_ec2.yml`);
      await writeFile(file, `plugin: amazon.aws.aws_ec2\nregions: [us-east-1]\nendpoint_url: ${moto.endpoint}\n${body}`);
      return file;
    },
    async stop() {
      moto.stop();
      await remove();
    },
  };
}

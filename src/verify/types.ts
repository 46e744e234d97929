/** Results and inputs of `prov verify`'s pure checks (the CLI runs the commands over the transport). */

export interface CheckResult {
  /** Short name of the check, e.g. "bgp sessions", "default route". */
  check: string;
  ok: boolean;
  /** One line that says what was found (and, on failure, what was expected). */
  detail: string;
}

/** What one command printed. Same fields as the transport's ExecResult that the CLI passes in. */
export interface CommandOutput {
  stdout: string;
  stderr?: string;
  code: number | null;
}

/** Outputs by command key (the keys of verifyCommands). A missing key fails the check that needs it. */
export type CommandOutputs = Record<string, CommandOutput | undefined>;

export interface Peer {
  name: string;
  address: string;
}

export interface HostExpectations {
  routers: Peer[];
  vpcSupernet: string;
  subnetGateway: string;
}

export interface RouterExpectations {
  hosts: Peer[];
  upstreamInterface: string;
}

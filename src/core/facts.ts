/** What prov knows about a machine after one round trip of fact gathering (src/facts/gather.ts). */

export interface InterfaceAddress {
  family: 'inet' | 'inet6';
  address: string;
  prefixlen: number;
}

export interface NetInterface {
  name: string;
  mac: string | null;
  up: boolean;
  mtu: number | null;
  addresses: InterfaceAddress[];
}

/** One entry of `ip -j route`, kept as the kernel reports it. */
export interface RouteEntry {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  metric?: number;
  scope?: string;
  prefsrc?: string;
  nexthops?: { gateway?: string; dev?: string; weight?: number; flags?: string[] }[];
  [key: string]: unknown;
}

export type NetworkManagerKind = 'ifupdown' | 'systemd-networkd' | 'netplan' | 'NetworkManager' | 'unknown';

export interface Facts {
  hostname: string;
  os: { id: string; versionId: string; codename: string; prettyName: string };
  /** `uname -r`, e.g. "6.1.0-18-amd64". */
  kernel: string;
  /** Numeric part of the kernel release, e.g. "6.1.0". */
  kernelVersion: string;
  arch: string;
  interfaces: NetInterface[];
  routes: RouteEntry[];
  /** Interface of the main table's default route, or null when there is none. */
  defaultInterface: string | null;
  initSystem: 'systemd' | 'other';
  networkManager: NetworkManagerKind;
  /** DHCP client in use when the manager is ifupdown ("dhclient"), else null. */
  dhcpClient: string | null;
  /** Ansible's setup facts, per collector (src/facts/ansible); the play's gather_subset picks from them. */
  ansible: AnsibleFactGroups;
  /** The EC2 instance metadata (IMDSv2, src/facts/ec2-metadata.ts); null off the cloud. */
  ec2?: Ec2Metadata | null;
}

/** What the instance metadata service says about the instance's primary interface. */
export interface Ec2Metadata {
  mac: string;
  localIpv4: string | null;
  /** The VPC's primary CIDR block (vpc-ipv4-cidr-block). */
  vpcCidrBlock: string | null;
  /** Every CIDR block of the VPC (vpc-ipv4-cidr-blocks), the primary first. */
  vpcCidrBlocks: string[];
  subnetCidrBlock: string | null;
  /** The subnet's network address + 1: the VPC router AWS puts there. */
  subnetGateway: string | null;
}

/** The names of the Ansible collectors prov implements. */
export type AnsibleCollector =
  | 'platform'
  | 'distribution'
  | 'lsb'
  | 'dns'
  | 'env'
  | 'python'
  | 'pkg_mgr'
  | 'service_mgr'
  | 'date_time'
  | 'user'
  | 'network'
  | 'hardware'
  | 'virtual';

/** Each collector's facts, unprefixed (`os_family`, `default_ipv4`, …). */
export type AnsibleFactGroups = Partial<Record<AnsibleCollector, Record<string, unknown>>>;

/** The host role's systemd-networkd path on bullseye (systemd 247, FRR 7.5.1): test/lab/networkd-suite.ts. */
import { networkdSuite } from './networkd-suite.js';

networkdSuite({ name: 'lab-tnb', release: 'bullseye', systemd: 247 });

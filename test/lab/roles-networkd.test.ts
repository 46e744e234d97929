/** The host role's systemd-networkd path on bookworm (systemd 252): test/lab/networkd-suite.ts. */
import { networkdSuite } from './networkd-suite.js';

networkdSuite({ name: 'lab-tn', release: 'bookworm', systemd: 252 });

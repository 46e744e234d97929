/**
 * The router role's egress policy on a real lab (one router, one host): an allow list lets the
 * listed destination and port through and drops (and counts) the rest; transparent squid lets
 * the allowed HTTPS name (SNI) and HTTP name (Host header) through and refuses the others, and
 * its access log names each domain.
 */
import test from 'ava';
import { lab } from '../helpers/lab.js';
import { assertConverged, inventoryPath, onNode, prov, readInventory, tcpEcho, type LabInventory } from './roles-support.js';

const NAME = 'lab-te';
const INV = inventoryPath(NAME);
const SERVER = '198.51.100.10';
const allowList = { egress_policy: 'allow_list', egress_allow: [{ cidr: `${SERVER}/32`, proto: 'tcp', ports: [9000] }] };
const withSquid = { ...allowList, squid_enabled: true, squid_allowed_domains: ['allowed.example.test'] };
let inv: LabInventory;

test.before(async () => {
  const up = await lab(['up', '--name', NAME, '--routers', '1']);
  if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr || up.stdout}`);
  inv = readInventory(NAME);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

async function deniedCount(t: Parameters<typeof onNode>[0]): Promise<number> {
  const out = await onNode(t, inv, 'r1', 'iptables -v -x -n -L PROV-EGRESS-DENIED');
  const m = /^\s*(\d+)\s+\d+\s+DROP/m.exec(out);
  t.truthy(m, out);
  return Number(m?.[1]);
}

/** curl from the host to NAME.example.test on the test server; prints "code exit". */
async function curl(t: Parameters<typeof onNode>[0], scheme: 'http' | 'https', name: string): Promise<{ code: string; exit: number }> {
  const port = scheme === 'https' ? 443 : 80;
  const out = await onNode(t, inv, 'host', `curl -sk -m 5 -o /dev/null -w '%{http_code}' --resolve ${name}:${port}:${SERVER} ${scheme}://${name}/; echo " $?"`);
  const [code, exit] = out.trim().split(' ');
  return { code: code!, exit: Number(exit) };
}

test.serial('an allow list passes the listed destination and port, and drops and counts the rest', async (t) => {
  const r = await prov(['apply', INV, '-e', JSON.stringify(allowList)]);
  t.is(r.code, 0, r.stderr + r.stdout.slice(-4000));
  t.log(`first apply: ${r.ms} ms`);

  t.is(await tcpEcho(t, inv, 'host', SERVER, 9000, 4), 4, 'tcp/9000 to the test server is allowed');
  const before = await deniedCount(t);
  t.is(await tcpEcho(t, inv, 'host', SERVER, 80, 2), 0, 'tcp/80 is not on the list');
  t.true((await deniedCount(t)) > before, 'the drops are counted in PROV-EGRESS-DENIED');
  t.not((await curl(t, 'http', 'allowed.example.test')).exit, 0, 'without squid, HTTP is not on the allow list either');
});

test.serial('squid: the allowed name passes over HTTPS (SNI) and HTTP (Host), the denied one fails, and the log names both', async (t) => {
  // squid checks names against the original destination through the lab's own DNS server.
  const r = await prov(['apply', INV, '-e', JSON.stringify(withSquid)]);
  t.is(r.code, 0, r.stderr + r.stdout.slice(-4000));
  t.log(`apply with squid: ${r.ms} ms`);

  t.deepEqual(await curl(t, 'https', 'allowed.example.test'), { code: '200', exit: 0 });
  const deniedTls = await curl(t, 'https', 'denied.example.test');
  t.not(deniedTls.exit, 0, 'the denied name gets no TLS session');
  t.deepEqual(await curl(t, 'http', 'allowed.example.test'), { code: '200', exit: 0 });
  t.is((await curl(t, 'http', 'denied.example.test')).code, '403');
  t.is(await tcpEcho(t, inv, 'host', SERVER, 9000, 2), 2, 'the allow list still applies to other ports');

  const log = await onNode(t, inv, 'r1', 'cat /var/log/squid/access.log');
  t.regex(log, /192\.168\.100\.100 TCP_TUNNEL\/200 CONNECT allowed\.example\.test:443 sni=allowed\.example\.test/, log);
  t.regex(log, /sni=denied\.example\.test/, log);
  t.notRegex(log, /TCP_TUNNEL\/200 CONNECT denied\.example\.test/, log);
  t.regex(log, /TCP_MISS\/200 GET http:\/\/allowed\.example\.test\//, log);
  t.regex(log, /TCP_DENIED\/403 GET http:\/\/denied\.example\.test\//, log);

  const again = await prov(['apply', INV, '-e', JSON.stringify(withSquid)]);
  assertConverged(t, again, ['r1', 'host'], 'second apply with squid');
});

import test from 'ava';
import { bridgeRules, hopLimitRules, imdsData } from '../../../src/lab/imds.js';
import { planTopology } from '../../../src/lab/topology.js';

test("the metadata service answers each node with its own subnet MAC and address and the lab's ranges", (t) => {
  const topo = planTopology('bs1', 2, 1);
  const data = imdsData(topo);
  t.deepEqual(Object.keys(data), ['192.168.100.20', '192.168.100.21', '192.168.100.100']);
  const host = topo.nodes.find((n) => n.name === 'host')!;
  t.deepEqual(data['192.168.100.100'], {
    mac: host.subnetMac,
    'local-ipv4': '192.168.100.100',
    'vpc-ipv4-cidr-block': '192.168.100.0/23',
    'vpc-ipv4-cidr-blocks': ['192.168.100.0/23'],
    'subnet-ipv4-cidr-block': '192.168.100.0/24',
  });
});

test('the nftables rules: steering to the VPC router on the bridge, TTL 1 on the responses', (t) => {
  t.regex(bridgeRules('aa:bb:cc:dd:ee:ff'), /table bridge prov_imds[\s\S]*ip daddr 169\.254\.169\.254 ether daddr set aa:bb:cc:dd:ee:ff/);
  t.regex(hopLimitRules(), /hook output[\s\S]*ip saddr 169\.254\.169\.254 tcp sport 80 ip ttl set 1/);
});

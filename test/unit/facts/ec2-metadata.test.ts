import test from 'ava';
import { networkPlusOne, parseEc2Metadata } from '../../../src/facts/ec2-metadata.js';

test('the subnet gateway is the network address + 1', (t) => {
  t.is(networkPlusOne('10.0.1.0/24'), '10.0.1.1');
  t.is(networkPlusOne('192.168.100.0/24'), '192.168.100.1');
  t.is(networkPlusOne('10.0.17.128/25'), '10.0.17.129');
  t.is(networkPlusOne('10.0.17.130/25'), '10.0.17.129', 'from any address of the subnet');
  t.is(networkPlusOne('172.31.0.0/16'), '172.31.0.1');
  t.is(networkPlusOne('10.0.0.0/31'), null);
  t.is(networkPlusOne('nope'), null);
});

test('the metadata lines become prov_facts.ec2', (t) => {
  const out = [
    'mac=0A:1B:2C:3D:4E:5F',
    'local-ipv4=10.0.1.25',
    'vpc-ipv4-cidr-block=10.0.0.0/16',
    'vpc-ipv4-cidr-blocks=10.0.0.0/16 100.64.0.0/16',
    'subnet-ipv4-cidr-block=10.0.1.0/24',
  ].join('\n');
  t.deepEqual(parseEc2Metadata(out), {
    mac: '0a:1b:2c:3d:4e:5f',
    localIpv4: '10.0.1.25',
    vpcCidrBlock: '10.0.0.0/16',
    vpcCidrBlocks: ['10.0.0.0/16', '100.64.0.0/16'],
    subnetCidrBlock: '10.0.1.0/24',
    subnetGateway: '10.0.1.1',
  });
});

test('no metadata (no curl, no service, a 401 page) is null; missing values are null', (t) => {
  t.is(parseEc2Metadata(''), null);
  t.is(parseEc2Metadata('mac=<html>Unauthorized</html>'), null);
  const partial = parseEc2Metadata('mac=0a:1b:2c:3d:4e:5f\nvpc-ipv4-cidr-blocks=10.0.0.0/16\n');
  t.deepEqual(partial, {
    mac: '0a:1b:2c:3d:4e:5f',
    localIpv4: null,
    vpcCidrBlock: '10.0.0.0/16',
    vpcCidrBlocks: ['10.0.0.0/16'],
    subnetCidrBlock: null,
    subnetGateway: null,
  });
});

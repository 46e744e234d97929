#!/usr/bin/python3
"""Regenerates ipaddr-ansible-utils.json: /usr/bin/python3 ipaddr-ansible-utils.gen.py DIR > ipaddr-ansible-utils.json,
where DIR holds ansible_collections/ansible/utils (a checkout of ansible-collections/ansible.utils);
needs ansible-core and netaddr."""
import json, sys
sys.path.insert(0, sys.argv[1])
from ansible_collections.ansible.utils.plugins.filter.ipaddr import _ipaddr
from ansible_collections.ansible.utils.plugins.filter.ipv4 import _ipv4
from ansible_collections.ansible.utils.plugins.filter.ipv6 import _ipv6
from ansible_collections.ansible.utils.plugins.filter.network_in_network import _network_in_network
from ansible_collections.ansible.utils.plugins.filter.network_in_usable import _network_in_usable
from ansible_collections.ansible.utils.plugins.test.in_network import _in_network
F = {'ipaddr': _ipaddr, 'ipv4': _ipv4, 'ipv6': _ipv6, 'network_in_network': _network_in_network, 'network_in_usable': _network_in_usable}
values = ['192.168.1.10/24', '192.168.1.0/24', '192.168.1.255/24', '10.0.0.1', '10.0.0.0/31', '10.0.0.1/31', '10.0.0.1/32', '10.0.0.2/30', '172.16.0.0/255.255.0.0', '172.16.5.4/0.0.0.255',
          '2001:db8::1/64', '2001:db8::/64', '2001:db8::1', 'fe80::1/127', '::1', '::ffff:192.0.2.1', 'not an ip', '10.0.0.256', '1.2.3.4/33', 3232235777, '3232235777', '', 0, 'a.b.c.d/24', '2001:DB8:0:0:0:0:0:1/48']
queries = ['', 'network', 'netmask', 'prefix', 'size', 'address', 'host', 'broadcast', 'net', 'cidr', 'subnet', 'hostmask', 'type', 'version', 'size_usable', 'first_usable', 'last_usable', 'range_usable',
           'network_netmask', 'network_wildcard', 'ip/prefix', 'ip_netmask', 'bool', 'wrap', 'int', 'address/prefix', 'next_usable', 'previous_usable', 'peer', '1', '-1', '5', '300', '192.168.0.0/16', '10.0.0.0/8', '2001:db8::/32', 'bogus']
cases = []
for v in values:
    for q in queries:
        cases.append(['ipaddr', [v, q]])
for v in ['192.168.1.10/24', '2001:db8::1/64', '10.0.0.1', ['10.0.0.1', 'x', '2001:db8::1', '192.168.1.0/24']]:
    for q in ['', 'network', 'address']:
        cases.append(['ipv4', [v, q]]); cases.append(['ipv6', [v, q]])
cases.append(['ipaddr', [['10.0.0.1', 'x', '2001:db8::1', '192.168.1.0/24', '', 'nope/8'], '']])
cases.append(['ipaddr', [['10.0.0.1/24', '192.168.1.5/24'], 'network']])
pairs = [('192.168.0.0/24', '192.168.0.1'), ('192.168.0.0/24', '192.168.0.0'), ('192.168.0.0/24', '192.168.0.255'), ('192.168.0.0/24', '192.168.0.0/25'), ('192.168.0.0/24', '192.168.1.0/24'),
         ('192.168.0.0/16', '192.168.3.0/24'), ('10.0.0.0/31', '10.0.0.1'), ('10.0.0.0/31', '10.0.0.0'), ('10.0.0.5', '10.0.0.5'), ('2001:db8::/32', '2001:db8:1::/48'), ('2001:db8::/32', '2001:db9::1'), ('192.168.0.5/24', '192.168.0.9')]
for a, b in pairs:
    cases.append(['network_in_network', [a, b]]); cases.append(['network_in_usable', [a, b]])
for a, b in [('10.0.0.5', '10.0.0.0/24'), ('10.0.1.5', '10.0.0.0/24'), ('10.0.0.0/25', '10.0.0.0/24'), ('10.0.0.5/24', '10.0.0.0/8'), ('10.0.0.5', '10.0.0.5/24'), ('2001:db8::1', '2001:db8::/64'), ('10.0.0.1', '2001:db8::/64'), ('x', '10.0.0.0/8')]:
    cases.append(['in_network', [a, b]])

rows = []
for name, args in cases:
    if name == 'ipaddr' and args == ['2001:db8::1', 'int']:
        continue  # a 128-bit integer: prov's numbers cannot hold it (an error there)
    try:
        rows.append([name, args, _in_network(*args) if name == 'in_network' else F[name](None, *args)])
    except Exception as e:
        rows.append([name, args, {'error': str(e)}])
source = 'Outputs of ansible.utils (github.com/ansible-collections/ansible.utils at 5da6c512d42dcb68f78ef35545a098a1a9592a13: plugins/filter/ipaddr.py, ipv4.py, ipv6.py, network_in_network.py, network_in_usable.py, plugins/test/in_network.py) run with ansible-core 2.14.18 and netaddr 0.8.0 (Debian) on each [filter, [value, argument]]; {"error": ...} where the collection raises.'
print(json.dumps({'_source': source, 'cases': rows}).replace('], [', '],\n['))

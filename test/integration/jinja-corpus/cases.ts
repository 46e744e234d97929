/**
 * Jinja2 templates with their variables, rendered by prov (renderJinja) and by Jinja2 itself
 * (jinja2-render.py, with Ansible's settings); the outputs must be byte-identical.
 */
export interface JinjaCase {
  name: string;
  template: string;
  vars: Record<string, unknown>;
}

const peers = [
  { name: 'r1', ip: '10.0.0.1', asn: 65001, enabled: true },
  { name: 'r2', ip: '10.0.0.2', asn: 65002, enabled: false },
  { name: 'r3', ip: '10.0.0.3', asn: 65003, enabled: true },
];

export const JINJA_CASES: JinjaCase[] = [
  { name: 'plain text without tags', template: 'hello\nworld\n', vars: {} },
  { name: 'expressions and a trailing newline', template: 'name={{ name }}\nport={{ port + 1 }}\n', vars: { name: 'web', port: 8079 } },
  { name: 'no trailing newline', template: 'x={{ x }}', vars: { x: 'y' } },
  { name: 'several trailing newlines', template: 'x={{ x }}\n\n\n', vars: { x: 1 } },
  {
    name: 'if/elif/else on their own lines (trim_blocks)',
    template: '{% if mode == "a" %}\nA\n{% elif mode == "b" %}\nB\n{% else %}\nC\n{% endif %}\nend\n',
    vars: { mode: 'b' },
  },
  { name: 'if false at the end keeps the newline', template: 'start\n{% if false %}\nhidden\n{% endif %}\n', vars: {} },
  { name: 'a whole-line false if only', template: '{% if false %}a{% endif %}\n', vars: {} },
  { name: 'inline if', template: 'listen {{ ip }}{% if port %}:{{ port }}{% endif %}\n', vars: { ip: '0.0.0.0', port: 80 } },
  {
    name: 'for with loop.index and loop.last',
    template: '{% for p in peers %}\n{{ loop.index }}. {{ p.name }}{% if not loop.last %},{% endif %}\n{% endfor %}\n',
    vars: { peers },
  },
  {
    name: 'for with every loop attribute',
    template:
      '{% for x in xs %}\n{{ loop.index }} {{ loop.index0 }} {{ loop.revindex }} {{ loop.revindex0 }} {{ loop.first }} {{ loop.last }} {{ loop.length }} {{ x }}\n{% endfor %}\n',
    vars: { xs: ['a', 'b', 'c'] },
  },
  { name: 'for else on an empty list', template: 'peers:\n{% for p in peers %}\n  - {{ p }}\n{% else %}\n  none\n{% endfor %}\n', vars: { peers: [] } },
  {
    name: 'for over dict items with tuple unpacking',
    template: '{% for key, value in settings.items() %}\n{{ key }} = {{ value }}\n{% endfor %}\n',
    vars: { settings: { alpha: 1, beta: 'two', gamma: true } },
  },
  { name: 'for over a dict gives its keys', template: '{% for k in d %}{{ k }};{% endfor %}\n', vars: { d: { x: 1, y: 2 } } },
  {
    name: 'for with a filter if',
    template: '{% for p in peers if p.enabled %}\nneighbor {{ p.ip }} remote-as {{ p.asn }} ({{ loop.index }}/{{ loop.length }})\n{% endfor %}\n',
    vars: { peers },
  },
  {
    name: 'nested loops',
    template: '{% for g in groups_ %}\n[{{ g.name }}]\n{% for h in g.hosts %}\n{{ h }} outer={{ loop.index }}\n{% endfor %}\n{% endfor %}\n',
    vars: {
      groups_: [
        { name: 'web', hosts: ['w1', 'w2'] },
        { name: 'db', hosts: ['d1'] },
      ],
    },
  },
  { name: 'set at the top level', template: '{% set greeting = "hi " ~ who %}\n{{ greeting | upper }}\n', vars: { who: 'there' } },
  {
    name: 'set inside a for does not leak',
    template: '{% set total = 0 %}\n{% for n in nums %}\n{% set total = total + n %}\n{{ total }}\n{% endfor %}\ntotal={{ total }}\n',
    vars: { nums: [1, 2, 3] },
  },
  { name: 'set inside an if leaks (if is no scope)', template: '{% if flag %}\n{% set v = "yes" %}\n{% endif %}\nv={{ v }}\n', vars: { flag: true } },
  { name: 'set with tuple unpacking', template: '{% set a, b = 1, 2 %}{{ a }}-{{ b }}\n', vars: {} },
  { name: 'set block', template: '{% set block %}\nline {{ x }}\n{% endset %}[{{ block }}]\n', vars: { x: 7 } },
  { name: 'comments are dropped, trim_blocks after them', template: '{# a comment #}\nafter\n{# multi\nline #}\nend\n', vars: {} },
  { name: 'raw blocks', template: '{% raw %}{{ not rendered }} {% if %}{% endraw %}\n{{ x }}\n', vars: { x: 'r' } },
  { name: 'whitespace control with minus', template: 'a   {%- if true -%}   b   {%- endif -%}   c\n{{- " d" -}}\n  e\n', vars: {} },
  { name: 'expression whitespace control', template: 'items:\n{% for i in xs %}\n  {{- i -}},\n{% endfor %}\nend\n', vars: { xs: [1, 2] } },
  { name: 'plus disables trim_blocks', template: '{% if true +%}\nkept\n{% endif %}\n', vars: {} },
  { name: 'lstrip_blocks off: indentation before a tag stays', template: 'x\n    {% if true %}\n  y\n    {% endif %}\nz\n', vars: {} },
  { name: '#jinja2 header turning lstrip_blocks on', template: '#jinja2: lstrip_blocks: True\nx\n    {% if true %}\n  y\n    {% endif %}\nz\n', vars: {} },
  { name: '#jinja2 header turning trim_blocks off', template: '#jinja2: trim_blocks: False\n{% for i in [1, 2] %}\n{{ i }}\n{% endfor %}\n', vars: {} },
  { name: 'none prints nothing', template: 'a={{ none }}|{{ v }}|{{ [none, 1] }}\n', vars: { v: null } },
  {
    name: 'filters in loops',
    template: '{% for name in names | sort %}\n{{ name | capitalize }}: {{ name | length }}\n{% endfor %}\n{{ names | join(", ") }}\n',
    vars: { names: ['bob', 'alice', 'carol'] },
  },
  {
    name: 'default and defined',
    template: 'a={{ missing | default("dflt") }}\n{% if missing is defined %}\nno\n{% else %}\nundefined\n{% endif %}\n',
    vars: {},
  },
  { name: 'range loops and arithmetic', template: '{% for i in range(1, 4) %}{{ i * i }}{% if not loop.last %} {% endif %}{% endfor %}\n', vars: {} },
  {
    name: 'lists and dicts printed as Python does',
    template: '{{ xs }} {{ d }} {{ t }} {{ "it\'s" }}\n',
    vars: { xs: [1, 'a', true], d: { k: 'v', n: null }, t: false },
  },
  { name: 'CRLF line endings become LF', template: 'a\r\n{% if true %}\r\nb\r\n{% endif %}\r\n', vars: {} },
  {
    name: 'conditional expression and in',
    template: '{{ "on" if enabled else "off" }} {{ "x" in xs }} {{ 3 not in xs }}\n',
    vars: { enabled: false, xs: ['x', 'y'] },
  },
  { name: 'loop over a string', template: '{% for c in word %}[{{ c }}]{% endfor %}\n', vars: { word: 'abc' } },
  { name: 'a variable read before and after a top-level set', template: '{{ x }}{% set x = 2 %}{{ x }}', vars: { x: 1 } },
  {
    name: 'set in nested loops stays in its iteration',
    template: '{% for i in [1,2] %}{% set x = i %}{% for j in [3] %}{{ x }}{% set x = j %}{{ x }}{% endfor %}{{ x }}{% endfor %}',
    vars: {},
  },
  {
    name: 'loop.previtem on the first iteration is undefined',
    template: '{% for i in [1, 2] %}{{ loop.previtem is defined }}{% if not loop.first %}{{ loop.previtem }}{% endif %};{% endfor %}',
    vars: {},
  },
  { name: 'minus before a tag, plus keeps the newline before endif', template: "{{ 'a' }}\n{%- if true %}\n  b\n{%+ endif %}\n", vars: {} },
  { name: 'whitespace control on comments', template: 'x {#- c -#} y\n{# c +#}\nz', vars: {} },
  {
    name: 'a realistic config file',
    template: [
      '# managed by prov',
      'hostname {{ hostname }}',
      '!',
      '{% for iface in interfaces %}',
      'interface {{ iface.name }}',
      '{% if iface.address is defined %}',
      ' ip address {{ iface.address }}',
      '{% endif %}',
      '{% if iface.mtu | default(1500) != 1500 %}',
      ' mtu {{ iface.mtu }}',
      '{% endif %}',
      '!',
      '{% endfor %}',
      'router bgp {{ asn }}',
      '{% for p in peers if p.enabled %}',
      ' neighbor {{ p.ip }} remote-as {{ p.asn }}',
      '{% endfor %}',
      '',
    ].join('\n'),
    vars: { hostname: 'r0', asn: 65000, peers, interfaces: [{ name: 'eth0', address: '10.0.0.254/24' }, { name: 'eth1', mtu: 9000 }, { name: 'lo' }] },
  },
];

import test from 'ava';
import { TemplateError } from '../../../src/template/errors.js';
import { renderEjs } from '../../../src/template/ejs.js';

const file = 'roles/router/templates/frr.conf.ejs';

test('every variable is a top-level local', (t) => {
  const out = renderEjs('router bgp <%= bgp_asn %>\n<% for (const p of peers) { %> neighbor <%= p %>\n<% } %>', { bgp_asn: 65000, peers: ['a', 'b'] }, file);
  t.is(out, 'router bgp 65000\n neighbor a\n neighbor b\n');
});

test('<%= %> does not HTML-escape: config files keep & and <', (t) => {
  t.is(renderEjs('<%= v %>', { v: 'a & <b>' }, file), 'a & <b>');
  t.is(renderEjs('[<%= n %>]', { n: null }, file), '[]');
});

test('an undefined variable is a one-line error naming the template file and line', (t) => {
  const err = t.throws(() => renderEjs('line one\nline two\nrouter bgp <%= bgp_asn %>\n', {}, file), { instanceOf: TemplateError });
  t.is(err!.message, `${file}:3: bgp_asn is not defined`);
  t.is(err!.kind, 'failed');
});

test('a template syntax error is a one-line parse error naming the file', (t) => {
  const err = t.throws(() => renderEjs('a\n<% if (x) { %>\nb\n', { x: 1 }, file), { instanceOf: TemplateError });
  t.is(err!.kind, 'parse');
  t.true(err!.message.startsWith(`${file}: template syntax error:`), err!.message);
  t.false(err!.message.includes('\n'));
});

test('a runtime error in template code names the line', (t) => {
  const err = t.throws(() => renderEjs('ok\n<%= peer.ip %>', { peer: null }, file), { instanceOf: TemplateError });
  t.regex(err!.message, new RegExp(`^${file.replace(/\./g, '\\.')}:2: .*null`));
});

test('a variable holding a {{ }} template reaches the EJS template rendered (role defaults that name other variables)', (t) => {
  const vars = { subnet_address: '192.168.100.20', router_id: '{{ subnet_address }}', limit: '{{ 50 * 2 }}', list: ['{{ subnet_address }}'] };
  t.is(renderEjs('bgp router-id <%= router_id %> <%= limit + 1 %> <%= list[0] %>', vars, file), 'bgp router-id 192.168.100.20 101 192.168.100.20');
  t.is(renderEjs('<%= typeof Math.max %> <%= typeof nothing_here === "undefined" %>', vars, file), 'function true');
  t.is(vars.router_id, '{{ subnet_address }}', "the caller's variables stay as they were");
});

test('a variable whose template names an undefined variable fails naming it', (t) => {
  const err = t.throws(() => renderEjs('<%= router_id %>', { router_id: '{{ nope }}' }, file), { instanceOf: TemplateError });
  t.regex(err!.message, /nope/);
});

test('Jinja2 in an .ejs file (Jinja2 syntax and no EJS tag) is refused, never copied as it is', (t) => {
  for (const text of ['{% if x %}a{% endif %}\n', '# {{ ansible_managed }}\n', 'a {#- note -#} b\n', '{%- for h in hosts %}\n']) {
    const err = t.throws(() => renderEjs(text, { x: 1 }, 'templates/motd.ejs'), { instanceOf: TemplateError }, text);
    t.regex(err!.message, /^templates\/motd\.ejs: a Jinja2 template in an \.ejs file \(it has Jinja2 syntax ".+" and no EJS tag\): name it \.j2/);
    t.is(err!.kind, 'failed');
  }
});

test('EJS templates with braces, and files with shell ${#var}, still render', (t) => {
  t.is(renderEjs('{{ .Name }} <%= v %>\n', { v: 1 }, file), '{{ .Name }} 1\n');
  t.is(renderEjs('n=${#list[@]}\n', {}, 'templates/count.sh'), 'n=${#list[@]}\n');
  t.is(renderEjs('server { listen 80; }\n', {}, 'templates/site.conf'), 'server { listen 80; }\n');
});

import test from 'ava';
import { TemplateError } from '../../../src/template/errors.js';
import { DEFAULT_TEMPLATE_TIMEOUT_MS, renderEjs, templateTimeoutMs } from '../../../src/template/ejs.js';

/** EJS templates are code; a render can still never end prov (process.exit) or hang it (a loop). */
const file = 'roles/demo/templates/app.conf.ejs';
const EXIT = `the template called process.exit(): a template must not end prov`;

test('a template calling process.exit(0) fails naming the file and line, and prov keeps running', (t) => {
  const exit = process.exit;
  const err = t.throws(() => renderEjs('line one\n<% process.exit(0) %>\n', {}, file), { instanceOf: TemplateError });
  t.is(err!.message, `${file}:2: ${EXIT}`);
  t.is(err!.kind, 'failed');
  t.is(process.exit, exit, 'process.exit is restored after the render');
});

test('a template that catches the refused process.exit() still fails', (t) => {
  const err = t.throws(() => renderEjs('<% try { process.exit(0) } catch (e) {} %>done', {}, file), { instanceOf: TemplateError });
  t.is(err!.message, `${file}: ${EXIT}`);
});

test('a template that loops forever is stopped at the time limit, naming the file and the limit', (t) => {
  for (const loop of ['<% while (true) {} %>', '<% for (;;) { try { while (true) {} } catch (e) {} } %>']) {
    const started = Date.now();
    const err = t.throws(() => renderEjs(`a\n${loop}\n`, {}, file, { timeoutMs: 300 }), { instanceOf: TemplateError });
    t.is(err!.message, `${file}: rendering took longer than 300 ms and was stopped (the limit is PROV_TEMPLATE_TIMEOUT_MS, default 10000)`);
    t.true(Date.now() - started < 10_000);
  }
  t.is(renderEjs('still <%= x %>', { x: 'works' }, file), 'still works');
});

test('the time limit is 10 s, or PROV_TEMPLATE_TIMEOUT_MS when it is a positive number', (t) => {
  t.is(DEFAULT_TEMPLATE_TIMEOUT_MS, 10_000);
  t.is(templateTimeoutMs({}), 10_000);
  t.is(templateTimeoutMs({ PROV_TEMPLATE_TIMEOUT_MS: '1000' }), 1000);
  for (const bad of ['', '0', '-5', 'soon']) t.is(templateTimeoutMs({ PROV_TEMPLATE_TIMEOUT_MS: bad }), 10_000, bad);
});

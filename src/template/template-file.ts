/**
 * The one place that picks how a template file (`template: src:`) is rendered: a name ending in
 * `.ejs` is EJS (ejs.ts), anything else (`.j2`, `.conf`, ...) is Jinja2 as Ansible renders it
 * (jinja.ts).
 */
import { renderEjs } from './ejs.js';
import { renderJinja } from './jinja.js';

export function renderTemplateFile(text: string, vars: Record<string, unknown>, file: string): string {
  return file.endsWith('.ejs') ? renderEjs(text, vars, file) : renderJinja(text, vars, file);
}

import test from 'ava';
import { TemplateError } from '../../../src/template/errors.js';
import { evaluateCondition, renderTemplate } from '../../../src/template/render.js';

// Names of Object.prototype members are ordinary names in an expression: a variable, or
// undefined; never a JavaScript built-in found through the prototype chain.
const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];

for (const name of NAMES) {
  test(`{{ ${name} }} is a variable like any other`, (t) => {
    t.is(renderTemplate(`{{ ${name} }}`, { [name]: 'value' }), 'value');
    t.is(renderTemplate(`{{ ${name} | default('unset') }}`, {}), 'unset');
    const err = t.throws(() => renderTemplate(`{{ ${name} }}`, {}));
    t.true(err instanceof TemplateError);
    t.regex(err!.message, new RegExp(`undefined variable '${name}'`));
  });

  test(`'x is ${name}' is an unknown test`, (t) => {
    const err = t.throws(() => evaluateCondition(`1 is ${name}`, {}));
    t.regex(err!.message, new RegExp(`unknown test '${name}'`));
  });
}

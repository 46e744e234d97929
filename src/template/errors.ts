import { ProvError, type ProvErrorKind } from '../core/errors.js';

/**
 * An error while evaluating a `{{ }}` expression: a syntax error (kind 'parse') or an
 * undefined variable, a wrong type, a division by zero (kind 'failed'). The message is one
 * line, e.g. "undefined variable 'bgp_asn'"; `template` holds the text being rendered so
 * the caller can name the task and the field.
 */
export class TemplateError extends ProvError {
  template?: string;
  constructor(message: string, kind: ProvErrorKind = 'failed', options?: { cause?: unknown; template?: string }) {
    super(kind, message, options);
    this.name = 'TemplateError';
    this.template = options?.template;
  }
}

import { firstLine, type FactSource } from './fact.js';

export interface KernelFact {
  /** `uname -r`, e.g. "6.1.0-18-amd64". */
  kernel: string;
  /** Numeric part, padded to three parts: "6.1.0"; "" when unknown. */
  kernelVersion: string;
}

export function parseKernel(output: string): KernelFact {
  const kernel = firstLine(output);
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(kernel);
  const kernelVersion = match ? `${match[1]}.${match[2]}.${match[3] ?? '0'}` : '';
  return { kernel, kernelVersion };
}

export const kernelFact: FactSource<KernelFact> = { name: 'kernel', command: 'uname -r', parse: parseKernel };

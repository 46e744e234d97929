#!/usr/bin/env node
// Entry point: runs the TypeScript sources through tsx's loader so that `npx prov` works
// right after `npm ci`, with no separate build step to forget.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli.ts');

#!/usr/bin/env node
// The `paperbot` command. PaperBot is written in TypeScript and runs through
// tsx, so `npx paperbot` works straight after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('./main.ts');
process.exitCode = await run(process.argv.slice(2), process.stdout, process.stderr);

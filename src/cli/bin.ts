#!/usr/bin/env node
import { processIO } from './io.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), processIO());
// Only raise: a command (e.g. codegen) may already have set process.exitCode itself.
if (code !== 0) process.exitCode = code;

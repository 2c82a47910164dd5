#!/usr/bin/env node
// Needs Node >= 22.18 (TypeScript type stripping): `npx stormd` uses the project's Node 24.
import { runStormdCli } from '../src/app/stormd_main.ts'
await runStormdCli()

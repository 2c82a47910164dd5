#!/usr/bin/env node
// Needs Node >= 22.18 (TypeScript type stripping): `npx stormcli` uses the project's Node 24.
import { runStormcliCli } from '../src/app/stormcli_main.ts'
await runStormcliCli()

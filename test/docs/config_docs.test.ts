/** The README's configuration tables and the sample files are what the schemas say (npm run docs). */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fillBlocks, readmeBlocks, sampleManagerConfig, sampleStormdConf } from '../../src/app/config_docs.ts'
import { parseAgentConfig, parseConfText } from '../../src/agent/config.ts'
import { parseManagerConfig } from '../../src/app/manager_config.ts'

test('README tables are up to date (run npm run docs)', () => {
  const readme = readFileSync('README.md', 'utf8')
  assert.equal(fillBlocks(readme, readmeBlocks()), readme)
  for (const name of Object.keys(readmeBlocks())) assert.match(readme, new RegExp(`<!-- ${name}:start -->\\n\\| key`))
})

test('the sample files are up to date and valid', () => {
  assert.equal(readFileSync('config/stormd.sample.conf', 'utf8'), sampleStormdConf())
  assert.equal(readFileSync('config/storm.sample.json', 'utf8'), sampleManagerConfig())
  assert.doesNotThrow(() => parseAgentConfig(parseConfText(sampleStormdConf())))
  assert.doesNotThrow(() => parseManagerConfig(JSON.parse(sampleManagerConfig())))
})

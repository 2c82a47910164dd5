/** `npm run docs`: regenerates the config samples and the README's configuration tables. */
import { readFile, writeFile } from 'node:fs/promises'
import { fillBlocks, readmeBlocks, sampleManagerConfig, sampleStormdConf } from '../src/app/config_docs.ts'

await writeFile('config/stormd.sample.conf', sampleStormdConf())
await writeFile('config/storm.sample.json', sampleManagerConfig())
const readme = await readFile('README.md', 'utf8')
await writeFile('README.md', fillBlocks(readme, readmeBlocks()))
console.log('config/stormd.sample.conf, config/storm.sample.json and README.md tables regenerated')

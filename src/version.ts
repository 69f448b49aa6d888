import { readFileSync } from 'node:fs';

// Read from package.json at runtime so the metadata file names the version actually installed.
const pkgUrl = new URL(import.meta.url.includes('/dist/') ? '../../package.json' : '../package.json', import.meta.url);
export const VERSION: string = (JSON.parse(readFileSync(pkgUrl, 'utf8')) as { version: string }).version;

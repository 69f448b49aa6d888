/**
 * @module controller/config-watch
 * A changed `gitfed-apply.yaml` is picked up, or refused loudly, never ignored: the file is read
 * every few seconds and compared with what was last read (which also sees a ConfigMap volume's
 * symlink swap, and, unlike fs.watchFile, a write made before the watcher's first look); a valid
 * change goes to the daemon, an invalid one is logged as an error with the reason and the
 * previous config stays in force.
 */
import * as fs from 'node:fs';
import { loadConfig, type ApplyConfig } from '../apply/config.js';
import type { Logger } from './log.js';

export function watchConfig(file: string, apply: (config: ApplyConfig) => void, log: Logger, intervalMs = 5000): () => void {
  let last = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  const check = () => {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (text === last) return;
    last = text;
    try {
      const config = loadConfig(text === undefined ? undefined : file);
      apply(config);
      log({ msg: `${file} changed: the new apply config is in force from each member's next reconcile`, action: 'config' });
    } catch (err) {
      log({ level: 'error', msg: `${file} changed but is refused, the previous config stays in force: ${(err as Error).message}`, action: 'config' });
    }
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Progress of long phases on stderr: one line rewritten in place on a terminal, plain lines otherwise. */
const tty = process.stderr.isTTY === true;
let lastPlain = 0;

/** `done` ends the line; intermediate updates are throttled to one a second when not on a terminal. */
export function progress(line: string, done = false): void {
  if (tty) {
    process.stderr.write(`\r\x1b[K${line}${done ? '\n' : ''}`);
    return;
  }
  const now = Date.now();
  if (done || now - lastPlain >= 1000) {
    process.stderr.write(line + '\n');
    lastPlain = now;
  }
}

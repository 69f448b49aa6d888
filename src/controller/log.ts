/**
 * @module controller/log
 * The controller's log: one line per event, as text for people or as JSON for a log pipeline
 * (`--log-format json`). A line names the replica, and where there is one the member, the object
 * and the action, as fields, never only inside the message.
 */

export type LogFormat = 'text' | 'json';

export interface LogEvent {
  readonly msg: string;
  readonly level?: 'info' | 'warn' | 'error';
  readonly member?: string;
  readonly object?: string;
  readonly action?: string;
  readonly [key: string]: unknown;
}

export type Logger = (ev: LogEvent) => void;

export function createLogger(o: { format: LogFormat; replica?: string; write: (line: string) => void; now?: () => Date }): Logger {
  const now = o.now ?? (() => new Date());
  return (ev) => {
    const { msg, level = 'info', member, object, action, ...rest } = ev;
    const time = now().toISOString();
    if (o.format === 'json') {
      const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      o.write(JSON.stringify({ time, level, ...(o.replica ? { replica: o.replica } : {}), ...(member ? { member } : {}), ...(object ? { object } : {}), ...(action ? { action } : {}), msg, ...fields }));
      return;
    }
    const where = [member, object].filter(Boolean).join(' ');
    o.write(`${time} ${level === 'info' ? '' : `${level}: `}${where ? `${where}: ` : ''}${msg}${action && !msg.includes(action) ? ` [${action}]` : ''}`);
  };
}

/**
 * A line of the apply daemon's text log as an event: its leading timestamp dropped, and a
 * leading `<member>: ` taken as the member when it names one.
 */
export function daemonLine(line: string, members: ReadonlySet<string>): LogEvent {
  const text = line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, '');
  const m = /^([^:\s]+): (.*)$/s.exec(text);
  if (m && members.has(m[1]!)) return { msg: m[2]!, member: m[1]! };
  return { msg: text };
}

/**
 * @module controller/local
 * The HTTP API, metrics and page of a daemon run without a management cluster: the same
 * endpoints, fed by the one process's own report.
 */
import type { Daemon, Trigger } from '../apply/daemon.js';
import type { MemberReport } from '../apply/status/report.js';
import type { Served } from './http.js';
import { ControllerMetrics } from './metrics.js';
import { PAGE_ASSETS } from './page.js';

export class LocalServed {
  readonly metrics = new ControllerMetrics();
  private daemon?: Daemon;
  private readonly tried = new Set<string>();

  /** For DaemonOptions.onReconcile. */
  readonly onReconcile = (member: string, _why: Trigger) => {
    const started = Date.now();
    return (report: MemberReport) => {
      this.tried.add(member);
      this.metrics.reconciled(member, report, (Date.now() - started) / 1000);
    };
  };

  attach(daemon: Daemon): void {
    this.daemon = daemon;
  }

  served(): Served {
    return {
      report: async () => this.daemon!.report(),
      health: () => ({ ok: true }),
      ready: () => {
        const members = this.daemon?.memberNames() ?? [];
        if (members.length === 0) return { ok: false, detail: 'the branch has not been read yet' };
        const waiting = members.filter((m) => !this.tried.has(m));
        return waiting.length ? { ok: false, detail: `not yet tried: ${waiting.sort().join(', ')}` } : { ok: true };
      },
      metrics: async () => ({ contentType: this.metrics.contentType, text: await this.metrics.text() }),
      assets: PAGE_ASSETS,
    };
  }
}

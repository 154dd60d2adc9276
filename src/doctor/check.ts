import type { ToolExport } from '../agents/elevenlabs/elevenlabs.service.js';
import type { DoctorConfig } from './doctor.config.js';

/** One line of the checklist. `action` says what to do; pass lines usually need none. */
export interface CheckResult {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  action?: string;
}

export const pass = (name: string, detail: string, action?: string): CheckResult => ({
  name,
  status: 'pass',
  detail,
  ...(action ? { action } : {}),
});
export const warn = (name: string, detail: string, action: string): CheckResult => ({
  name,
  status: 'warn',
  detail,
  action,
});
export const fail = (name: string, detail: string, action: string): CheckResult => ({
  name,
  status: 'fail',
  detail,
  action,
});

/** The checklist as a person reads it: one status line per item, what to do under it. */
export function formatChecklist(checks: CheckResult[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.flatMap((c) => [
    `${c.status.toUpperCase().padEnd(4)}  ${c.name.padEnd(width)}  ${c.detail}`,
    ...(c.action ? [`${' '.repeat(width + 8)}→ ${c.action}`] : []),
  ]);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push('', `${failed} fail, ${warned} warn, ${checks.length - failed - warned} pass`);
  return lines.join('\n');
}

/** What a line added from another folder may read. */
export interface DoctorCheckContext {
  doctor: DoctorConfig;
  /** The tools as this service exports them (the running service's, or a build in memory). */
  toolExport(): Promise<ToolExport>;
}

/** A line of the checklist that another folder owns; undefined when it does not apply. */
export interface DoctorCheck {
  run(context: DoctorCheckContext): Promise<CheckResult | undefined>;
}

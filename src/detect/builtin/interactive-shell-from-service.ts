/**
 * interactive-shell-from-service: a shell whose ancestry holds a web, database, mail or application
 * server (w3wp → cmd, sqlservr → cmd via xp_cmdshell, tomcat/java → sh, php-fpm → sh): the webshell
 * and server-exploitation pattern (Log4Shell, ProxyShell, SQL injection to xp_cmdshell).
 */
import type { DetectorInfo, Finding, ShellEvent } from '../../core/index.js';
import { excerpt } from './lib/define.js';
import { chainOf, label, pathText } from './lib/lineage.js';
import { isShellLike, procName, TERMINALS } from './lib/names.js';
import { serverOf } from './lib/servers.js';

export const info: DetectorInfo = {
  id: 'interactive-shell-from-service',
  title: 'Interactive Shell from Service',
  level: 'high',
  techniques: ['T1059', 'T1505.003', 'T1190', 'T1059.003', 'T1059.004'],
  description: 'A command shell was started by a web, database, mail or application server process, directly or through intermediate processes.',
};

const MAX_UP = 8;

export function detect(ev: ShellEvent): Finding[] {
  if (ev.kind !== 'process_start' || !isShellLike(ev.process)) return [];
  const chain = chainOf(ev);
  let shellsBetween = 0;
  for (let i = 0; i < Math.min(chain.length, MAX_UP); i++) {
    const p = chain[i];
    const s = serverOf(p);
    if (s) {
      const via = i === 0 ? '' : ` via ${pathText(chain, i - 1)}`;
      return [{
        level: shellsBetween === 0 ? 'high' : 'medium',
        reason: `${label(ev.process)} started by ${s.category} server ${label(p)}${s.marker ? ` (${s.marker})` : ''}${via}: ${excerpt(ev.process.commandLine, 160)}`,
        evidence: { shell: label(ev.process), commandLine: excerpt(ev.process.commandLine, 1000), server: label(p), serverCategory: s.category, serverMarker: s.marker, depth: i + 1, path: pathText(chain, i, ev.process) },
      }];
    }
    // a user's terminal or desktop session is a boundary: the server is not this shell's origin
    if (TERMINALS.has(procName(p))) return [];
    if (isShellLike(p)) shellsBetween++;
  }
  return [];
}

/**
 * unusual-shell-execution: a shell or script host started by a document, mail, browser or chat
 * client (winword.exe → cmd.exe), directly or through LOLBins such as rundll32 or mshta.
 */
import type { DetectorInfo, Finding, ProcessInfo, ShellEvent } from '../../core/index.js';
import { excerpt } from './lib/define.js';
import { chainOf, label, pathText } from './lib/lineage.js';
import { CLIENT_APPS, isShellLike, procName } from './lib/names.js';

export const info: DetectorInfo = {
  id: 'unusual-shell-execution',
  title: 'Unusual Shell Execution',
  level: 'high',
  techniques: ['T1059', 'T1059.001', 'T1059.003', 'T1059.004', 'T1059.005', 'T1204.002', 'T1566.001'],
  description: 'A command shell or script host was started by an Office, PDF, mail, browser or chat client, directly or through proxy binaries.',
};

const CATEGORY: Record<string, string> = { office: 'Office document editor', pdf: 'PDF reader', mail: 'mail client', browser: 'web browser', chat: 'chat client' };
/** Binaries a document exploit commonly goes through before reaching the shell. */
const PROXIES = new Set(['rundll32', 'regsvr32', 'mshta', 'wmic', 'cmstp', 'conhost', 'dllhost', 'verclsid', 'forfiles', 'hh']);
const MAX_UP = 5;

export function detect(ev: ShellEvent): Finding[] {
  if (ev.kind !== 'process_start' || !isShellLike(ev.process)) return [];
  const chain = chainOf(ev);
  let shellsBetween = 0;
  for (let i = 0; i < Math.min(chain.length, MAX_UP); i++) {
    const p = chain[i];
    const n = procName(p);
    const cat = CLIENT_APPS.get(n);
    if (cat) return [finding(ev.process, chain, i, cat, shellsBetween)];
    if (isShellLike(p)) shellsBetween++;
    else if (!PROXIES.has(n)) return [];
  }
  return [];
}

function finding(self: ProcessInfo, chain: ProcessInfo[], i: number, cat: string, shellsBetween: number): Finding {
  const client = chain[i];
  const how = i === 0 ? 'started by' : `started under ${label(client)} via`;
  const via = i === 0 ? label(client) : pathText(chain, i - 1);
  return {
    // the first shell under the client is the breakout; shells it starts in turn are follow-on activity
    level: shellsBetween === 0 ? 'high' : 'medium',
    reason: `${label(self)} ${how} ${via} (${CATEGORY[cat] ?? cat}): ${excerpt(self.commandLine, 160)}`,
    evidence: {
      shell: label(self), commandLine: excerpt(self.commandLine, 1000), client: label(client), clientCategory: cat,
      depth: i + 1, path: pathText(chain, i, self),
    },
  };
}

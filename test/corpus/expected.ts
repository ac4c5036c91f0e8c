/**
 * Playbook alerts confirmed by reading the events (see docs/corpus-review.md). Keyed by the path
 * PROVENANCE.md lists (relative to ../shared/corpus); each listed rule id must fire on that file.
 * A file PROVENANCE tags but that is absent here is reported, not asserted (see the review for why).
 */
export const CONFIRMED: Record<string, string[]> = {
  'evtx-attack-samples/Execution/exec_persist_rundll32_mshta_scheduledtask_sysmon_1_3_11.evtx': ['shell-via-scheduled-task-or-service'],
  'evtx-attack-samples/Execution/susp_explorer_exec.evtx': ['encoded-obfuscated-cli'],
  'evtx-attack-samples/Execution/sysmon_lolbas_rundll32_zipfldr_routethecall_shell.evtx': ['encoded-obfuscated-cli'],
  'evtx-attack-samples/Execution/sysmon_mshta_sharpshooter_stageless_meterpreter.evtx': ['unusual-shell-execution'],
  'evtx-attack-samples/Execution/sysmon_vbs_sharpshooter_stageless_meterpreter.evtx': ['unusual-shell-execution'],
  'evtx-attack-samples/Execution/temp_scheduled_task_4698_4699.evtx': ['shell-via-scheduled-task-or-service'],
  'evtx-attack-samples/Lateral Movement/LM_sysmon_psexec_smb_meterpreter.evtx': ['encoded-obfuscated-cli', 'shell-over-reverse-connection', 'shell-via-scheduled-task-or-service'],
  'evtx-attack-samples/Lateral Movement/LM_typical_IIS_webshell_sysmon_1_10_traces.evtx': ['interactive-shell-from-service'],
  'evtx-attack-samples/Lateral Movement/LM_wmiexec_impacket_sysmon_whoami.evtx': ['shell-via-scheduled-task-or-service'],
  'evtx-attack-samples/Lateral Movement/smbmap_upload_exec_sysmon.evtx': ['shell-via-scheduled-task-or-service'],
  'evtx-attack-samples/Lateral Movement/sysmon_1_exec_via_sql_xpcmdshell.evtx': ['interactive-shell-from-service'],
  'evtx-attack-samples/Persistence/sysmon_20_21_1_CommandLineEventConsumer.evtx': ['shell-via-scheduled-task-or-service'],
  'evtx-attack-samples/Privilege Escalation/System_7045_namedpipe_privesc.evtx': ['shell-via-scheduled-task-or-service', 'chained-commands'],
  'evtx-attack-samples/Privilege Escalation/sysmon_1_11_exec_as_system_via_schedtask.evtx': ['shell-via-scheduled-task-or-service'],
  'hayabusa-sample-evtx/DeepBlueCLI/metasploit-psexec-powershell-target-security.evtx': ['encoded-obfuscated-cli'],
  'hayabusa-sample-evtx/DeepBlueCLI/metasploit-psexec-powershell-target-system.evtx': ['encoded-obfuscated-cli', 'shell-via-scheduled-task-or-service'],
  'hayabusa-sample-evtx/DeepBlueCLI/metasploit-psexec-native-target-system.evtx': ['shell-via-scheduled-task-or-service'],
  'hayabusa-sample-evtx/EVTX-to-MITRE-Attack/EVTX_full_APT_attack_steps/ID4688,5140,5145-WMIexec execution via SMB (GLOBAL).evtx': ['shell-via-scheduled-task-or-service'],
  'hayabusa-sample-evtx/EVTX-to-MITRE-Attack/TA0002-Execution/T1569.002-Service execution/ID7000,7009,7045-Payload deployed via service - Tchopper.evtx': ['shell-via-scheduled-task-or-service'],
  'hayabusa-sample-evtx/EVTX-to-MITRE-Attack/TA0003-Persistence/T1543.003-Create or Modify System Process-Windows Service/ID4688-4697 RDP hijack via service creation.evtx': ['shell-via-scheduled-task-or-service'],
  'hayabusa-sample-evtx/EVTX-to-MITRE-Attack/TA0005-Defense Evasion/T1027-Obfuscated Files or Information/ID1-CrackMapExec payload execution.evtx': ['encoded-obfuscated-cli', 'shell-via-scheduled-task-or-service'],
  'hayabusa-sample-evtx/EVTX-to-MITRE-Attack/TA0005-Defense Evasion/T1027-Obfuscated Files or Information/4624,4674,4688- CrackMap Exec SMB mimikatz.evtx': ['encoded-obfuscated-cli'],
  'hayabusa-sample-evtx/EVTX-to-MITRE-Attack/TA0008-Lateral Movement/T1021.001-Remote Desktop Protocol/ID4688-4778 RDP hijack command execution.evtx': ['shell-via-scheduled-task-or-service'],
  'otrf-security-datasets/datasets/atomic/windows/defense_evasion/host/empire_launcher_sct_regsvr32.zip': ['encoded-obfuscated-cli'],
  'otrf-security-datasets/datasets/atomic/windows/execution/host/empire_launcher_vbs.zip': ['encoded-obfuscated-cli'],
  'otrf-security-datasets/datasets/atomic/windows/lateral_movement/host/empire_smbexec_dcerpc_smb_svcctl.zip': ['encoded-obfuscated-cli', 'shell-via-scheduled-task-or-service'],
  'otrf-security-datasets/datasets/atomic/windows/lateral_movement/host/empire_wmi_dcerpc_wmi_IWbemServices_ExecMethod.zip': ['encoded-obfuscated-cli', 'shell-via-scheduled-task-or-service'],
  'otrf-security-datasets/datasets/atomic/windows/lateral_movement/host/schtask_create.zip': ['shell-via-scheduled-task-or-service'],
  'otrf-security-datasets/datasets/atomic/windows/privilege_escalation/host/cmd_service_mod_fax.zip': ['shell-via-scheduled-task-or-service'],
  'otrf-security-datasets/datasets/atomic/windows/privilege_escalation/host/empire_uac_shellapi_fodhelper.zip': ['encoded-obfuscated-cli'],
  'otrf-security-datasets/datasets/compound/Log4Shell/securityauditing_log4shell_cve2021_44228_java_serialized_object.zip': ['interactive-shell-from-service', 'encoded-obfuscated-cli'],
  'otrf-security-datasets/datasets/compound/Log4Shell/sysmon_log4shell_cve2021_44228_java_serialized_object.zip': ['interactive-shell-from-service', 'encoded-obfuscated-cli'],
};

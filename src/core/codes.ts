/**
 * The diagnostic code catalog. Codes are stable: never renumber or reuse one; add new ones at the
 * end of their range. Ranges: SW1xxx input and readers (SW11xx EVTX), SW2xxx normalization,
 * SW3xxx lineage, SW4xxx rules and detection, SW5xxx output, SW6xxx serve (ingest, API, store), SW9xxx internal.
 */
/** How bad a problem is. */
export type Severity = 'error' | 'warning' | 'info';

interface CodeInfo { severity: Severity; title: string }

export const CODES = {
  SW1001: { severity: 'error', title: 'file cannot be read' },
  SW1002: { severity: 'warning', title: 'unknown file format (skipped)' },
  SW1003: { severity: 'error', title: 'malformed JSON record (skipped)' },
  SW1004: { severity: 'warning', title: 'invalid UTF-8 replaced' },
  SW1005: { severity: 'error', title: 'archive is damaged' },
  SW1006: { severity: 'error', title: 'record exceeds the size limit (skipped)' },
  SW1007: { severity: 'error', title: 'archive entry exceeds the decompression limit (truncated)' },
  SW1008: { severity: 'error', title: 'truncated record at end of input' },
  SW1009: { severity: 'warning', title: 'record has no recognisable event shape' },
  SW1010: { severity: 'warning', title: 'nested archive depth limit reached (skipped)' },
  SW1011: { severity: 'info', title: 'documentation or rule file skipped while walking a folder' },
  SW1012: { severity: 'error', title: 'malformed text record (auditd, XML, TSV or CSV) skipped' },
  SW1013: { severity: 'warning', title: 'event exceeds its record, size or field limit (truncated)' },
  SW1014: { severity: 'warning', title: 'workers asked for, but one folder or none to spread: hunted on one thread' },
  SW1101: { severity: 'error', title: 'EVTX: bad file header' },
  SW1102: { severity: 'error', title: 'EVTX: bad chunk header or checksum' },
  SW1103: { severity: 'error', title: 'EVTX: truncated or damaged record' },
  SW1104: { severity: 'warning', title: 'EVTX: file was not cleanly closed (dirty)' },
  SW1105: { severity: 'info', title: 'EVTX: record recovered by carving' },
  SW1106: { severity: 'error', title: 'EVTX: bad binary XML' },
  SW1107: { severity: 'warning', title: 'EVTX: bad record checksum' },
  SW2001: { severity: 'warning', title: 'timestamp missing or unparseable' },
  SW2002: { severity: 'error', title: 'mapping file is invalid' },
  SW3001: { severity: 'info', title: 'process table full: oldest entries evicted' },
  SW3002: { severity: 'warning', title: 'one host\'s logs are in several folders hunted apart: not linked across them' },
  SW4001: { severity: 'error', title: 'rule cannot be loaded' },
  SW4002: { severity: 'error', title: 'detector failed on an event' },
  SW4003: { severity: 'warning', title: 'rule evaluation exceeded its budget' },
  SW4004: { severity: 'error', title: 'allowlist file is invalid' },
  SW4005: { severity: 'info', title: 'Sigma rule skipped: no reader produces its logsource' },
  SW4006: { severity: 'warning', title: 'Sigma rule loaded with a warning' },
  SW4007: { severity: 'error', title: 'baseline file cannot be read' },
  SW4008: { severity: 'info', title: 'Sigma rule with a deprecated aggregation condition loaded as a correlation' },
  SW4009: { severity: 'warning', title: 'correlation windows dropped under the open-window budget' },
  SW5001: { severity: 'error', title: 'output cannot be written' },
  SW2003: { severity: 'warning', title: 'event time far ahead of its receive time: clamped for the watermark' },
  SW3003: { severity: 'info', title: 'idle host state evicted under the state budget' },
  SW6001: { severity: 'warning', title: 'ingest queue full: delivery refused, retry later' },
  SW6002: { severity: 'error', title: 'malformed request' },
  SW6003: { severity: 'error', title: 'request or frame exceeds the size limit' },
  SW6004: { severity: 'error', title: 'unsupported content type or encoding' },
  SW6005: { severity: 'error', title: 'authentication required or invalid' },
  SW6006: { severity: 'error', title: 'role not allowed for this route' },
  SW6007: { severity: 'error', title: 'no such route or resource' },
  SW6008: { severity: 'warning', title: 'rate limit exceeded' },
  SW6009: { severity: 'error', title: 'malformed syslog frame' },
  SW6010: { severity: 'warning', title: 'datagrams dropped: queue full' },
  SW6011: { severity: 'info', title: 'followed file rotated or truncated: reading from its start' },
  SW6012: { severity: 'error', title: 'store operation failed' },
  SW6013: { severity: 'error', title: 'configuration is invalid' },
  SW6014: { severity: 'error', title: 'invalid query parameter or body field' },
  SW9001: { severity: 'error', title: 'internal error' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

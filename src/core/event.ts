/** The typed event model every stage after normalization works on. */

/** Where an event came from, so any alert can be traced back to its input record. */
export interface EventRef {
  /** file path as given (archives: `outer.zip!inner.json`; stdin: `-`) */
  file: string;
  /** the source's record id (EventRecordID, RecordNumber) or, lacking one, the line/ordinal */
  record: number | string | null;
  channel: string | null;
  eventId: number | null;
  /** 1-based line for line-oriented inputs */
  line?: number;
  /** byte offset of the record in the (decompressed) file, or in the stream's delivery */
  offset?: number;
  /**
   * Live inputs (serve): the stream the record arrived on (`http`, `bulk`, `syslog-tcp`, `follow:PATH`…;
   * `file` then holds the same name), the sender (peer address or authenticated token name) and the
   * store's sequence number. Absent for files hunted directly.
   */
  stream?: string;
  sender?: string;
  seq?: number;
}

/** What a raw reader emits: the source's own fields, unmodified, plus the system header. */
export interface RawRecord {
  /** reader id, e.g. `otrf-flat`, `evtx-json`, `ecs`, `evtx` */
  format: string;
  ref: EventRef;
  system: RawSystem;
  /** the record's own fields (EventData/UserData names for Windows; dotted paths for ECS) */
  data: Record<string, unknown>;
}

export interface RawSystem {
  provider?: string;
  channel?: string;
  eventId?: number;
  computer?: string;
  /** event time, ms since the epoch, UTC */
  timeMs?: number;
  recordId?: number;
  /** Security UserID SID of the System element */
  userId?: string;
  processId?: number;
  threadId?: number;
  level?: number;
  task?: number;
  opcode?: number;
  keywords?: string;
  version?: number;
}

export type EventKind =
  | 'process_start'
  | 'process_end'
  | 'network'
  | 'script_block'
  | 'file_create'
  | 'image_load'
  | 'logon'
  | 'logoff'
  | 'task_created'
  | 'service_created'
  | 'other';

/** A process as one event or the lineage table knows it. */
export interface ProcessInfo {
  pid?: number;
  guid?: string;
  image?: string;
  commandLine?: string;
  user?: string;
  cwd?: string;
  integrity?: string;
  logonId?: string;
  hashes?: string;
  /** ms since epoch when this process started, where known */
  startMs?: number;
  /** controlling terminal (auditd tty, e.g. `pts0`; `(none)` is left out) */
  terminal?: string;
  /** login session id (auditd ses, Windows logon id is `logonId`) */
  sessionId?: string;
  /** the user who logged in (auditd auid), when it differs from the effective user */
  loginUser?: string;
}

/** The logon session a process runs in, where the input tells it. */
export interface Session {
  id: string;
  /** e.g. `interactive`, `remote-interactive`, `network`, `service`, `batch`, `ssh`, `console` */
  type?: string;
  interactive?: boolean;
  remoteAddress?: string;
  terminal?: string;
  user?: string;
}

interface Base {
  kind: EventKind;
  /** ms since the epoch, UTC */
  time: number;
  host: string;
  user?: string;
  event: EventRef;
  /** the original fields, always available (Sigma rules and `events` output use them) */
  raw: Record<string, unknown>;
  /** the reader's system header and record format, so the raw record can be rebuilt (Sigma evaluates it) */
  system?: RawSystem;
  format?: string;
  /** id of the mapping that produced this event */
  mapping?: string;
}

export interface ProcessStartEvent extends Base {
  kind: 'process_start';
  process: ProcessInfo;
  parent: ProcessInfo;
  /** filled by lineage: the chain above the process, nearest first (parent first) */
  ancestors?: ProcessInfo[];
  /** filled by lineage from logon events (Windows) or the record itself (auditd ses/tty) */
  session?: Session;
  /** filled by lineage: identifies the process across sources (a Sysmon 1 and a 4688 of one process share it) */
  nodeId?: number;
  /** filled by lineage: the scheduled task or service created earlier on this host whose action this process runs */
  launchedBy?: { kind: 'scheduled_task' | 'service'; name?: string; createdMs: number; event: EventRef };
}
export interface ProcessEndEvent extends Base { kind: 'process_end'; process: ProcessInfo }
export interface NetworkEvent extends Base {
  kind: 'network';
  process: ProcessInfo;
  protocol?: string;
  /** true when the local process initiated the connection */
  initiated?: boolean;
  srcIp?: string;
  srcPort?: number;
  dstIp?: string;
  dstPort?: number;
  dstHost?: string;
  /** `endpoint` when a host sensor saw the connection with its process; `network` for Zeek/NetFlow records */
  observer?: 'endpoint' | 'network';
  durationMs?: number;
  bytesOut?: number;
  bytesIn?: number;
  packetsOut?: number;
  packetsIn?: number;
  /** application protocol as a network sensor names it (Zeek `service`) */
  service?: string;
  /** Zeek conn_state or a flow's TCP flags */
  state?: string;
  /** the sensor's own id for the connection (Zeek uid) */
  connectionId?: string;
  /** for a sensor record joined to an endpoint's view of the same connection: the sensor's host name */
  sensor?: string;
  /** filled by lineage */
  ancestors?: ProcessInfo[];
}
export interface ScriptBlockEvent extends Base {
  kind: 'script_block';
  process: ProcessInfo;
  scriptBlockId?: string;
  text: string;
  path?: string;
  messageNumber?: number;
  messageTotal?: number;
  /** set by reassembly when fragments were joined: every fragment's provenance, in message order */
  fragments?: EventRef[];
  /** set by reassembly when some fragments never arrived */
  incomplete?: boolean;
}
export interface FileCreateEvent extends Base { kind: 'file_create'; process: ProcessInfo; path?: string }
export interface ImageLoadEvent extends Base {
  kind: 'image_load';
  process: ProcessInfo;
  path?: string;
  signed?: string;
  signature?: string;
}
export interface LogonEvent extends Base {
  kind: 'logon' | 'logoff';
  logonId?: string;
  logonType?: number;
  targetUser?: string;
  sourceIp?: string;
  elevated?: boolean;
  /** session kind when the source names it rather than giving a Windows logon type (e.g. `ssh`) */
  sessionType?: string;
  terminal?: string;
}
export interface TaskCreatedEvent extends Base {
  kind: 'task_created';
  taskName?: string;
  /** the action's command and arguments, joined as a command line */
  command?: string;
  content?: string;
  process: ProcessInfo;
}
export interface ServiceCreatedEvent extends Base {
  kind: 'service_created';
  serviceName?: string;
  /** ImagePath / ServiceFileName: the command line the service runs */
  command?: string;
  startType?: string;
  account?: string;
  process: ProcessInfo;
}
export interface OtherEvent extends Base { kind: 'other' }

export type ShellEvent =
  | ProcessStartEvent
  | ProcessEndEvent
  | NetworkEvent
  | ScriptBlockEvent
  | FileCreateEvent
  | ImageLoadEvent
  | LogonEvent
  | TaskCreatedEvent
  | ServiceCreatedEvent
  | OtherEvent;

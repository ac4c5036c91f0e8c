/** Syslog framing shared by the text readers: the host a line's header names. */

/** Host named by a syslog prefix (RFC 3164, RFC 5424, or an ISO timestamp then host); undefined if none. */
export function syslogHost(prefix: string): string | undefined {
  const p = prefix.trimStart();
  let m = /^(?:<\d{1,3}>)?[A-Z][a-z]{2}\s+\d{1,2}\s+\d\d:\d\d:\d\d\s+(\S{1,255})\s/.exec(p);
  if (m) return m[1];
  m = /^<\d{1,3}>\d{1,2}\s+\S+\s+(\S{1,255})\s/.exec(p);
  if (m) return m[1] === '-' ? undefined : m[1];
  m = /^(?:<\d{1,3}>)?\d{4}-\d\d-\d\dT\S+\s+(\S{1,255})\s/.exec(p);
  return m?.[1];
}

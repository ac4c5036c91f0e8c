/** Address classification for shell-over-reverse-connection: what counts as leaving the host. */
import { isIP } from 'node:net';

/** True for loopback, unspecified, link-local and multicast addresses (not a remote peer). */
export function isLocalAddress(addr: string | undefined): boolean {
  if (!addr) return true;
  const a = addr.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
  const v = isIP(a);
  if (v === 4) {
    const [o1, o2] = a.split('.').map(Number);
    return o1 === 127 || o1 === 0 || (o1 === 169 && o2 === 254) || (o1 >= 224 && o1 <= 239) || a === '255.255.255.255';
  }
  if (v === 6) return a === '::1' || a === '::' || a.startsWith('fe80:') || a.startsWith('ff');
  return a === 'localhost' || a.endsWith('.localhost');
}

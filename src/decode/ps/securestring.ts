/**
 * ConvertTo-SecureString with a literal -Key: the text ConvertFrom-SecureString -Key produces is
 * a fixed header, then base64 of UTF-16LE "2|<IV base64>|<ciphertext hex>", encrypted with
 * AES-CBC under the key. Decrypting it statically is possible only because the key is in the
 * script; without one (DPAPI), nothing is recovered.
 */
import { createDecipheriv } from 'node:crypto';

const HEADER = '76492d1116743f0423413b16050a5345';

/** Plain text of a key-protected SecureString export, or null. */
export function secureStringText(text: string, key: Buffer | null): string | null {
  if (!key || ![16, 24, 32].includes(key.length)) return null;
  const t = text.trim();
  if (!t.startsWith(HEADER) || t.length > 4 * 1024 * 1024) return null;
  try {
    const inner = Buffer.from(t.slice(HEADER.length), 'base64').toString('utf16le');
    const [version, ivB64, hex] = inner.split('|');
    if (version !== '2' || !ivB64 || !hex) return null;
    const d = createDecipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.from(ivB64, 'base64'));
    const plain = Buffer.concat([d.update(Buffer.from(hex, 'hex')), d.final()]);
    return plain.toString('utf16le');
  } catch {
    return null;
  }
}

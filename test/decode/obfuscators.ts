// Small obfuscators for the property test: each hides a command with one technique the decoder
// claims to undo, the way Invoke-DOSfuscation, Invoke-Obfuscation and shell one-liners do.
// Commands are restricted by the caller to characters that need no escaping in any shell.
import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateRawSync, gzipSync, deflateSync } from 'node:zlib';
import { parse } from 'yaml';

export interface Obfuscator { technique: string; shell: 'cmd' | 'powershell' | 'posix'; hide(cmd: string, k: number): string; expect?(cmd: string): string }

const env = (parse(readFileSync(new URL('../../src/decode/data/windows-env.yaml', import.meta.url), 'utf8')) as { env: Record<string, string> }).env;
const ENV_NAMES = ['ComSpec', 'ProgramFiles', 'SystemRoot', 'PUBLIC', 'windir', 'PATHEXT', 'CommonProgramFiles', 'OS', 'ALLUSERSPROFILE'];
const b64 = (s: string, enc: BufferEncoding = 'utf8'): string => Buffer.from(s, enc).toString('base64');
const rev = (s: string): string => [...s].reverse().join('');
const caseNoise = (s: string, k: number): string => [...s].map((c, i) => ((i + k) % 3 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
function split(s: string, k: number): string[] {
  const n = 2 + (k % 4);
  const size = Math.ceil(s.length / n);
  return Array.from({ length: n }, (_, i) => s.slice(i * size, (i + 1) * size)).filter(Boolean);
}
const DASHES = ['-e', '-en', '-enc', '-EncodedCommand', '/enc', '\u2013ec', '-ENCOD', '\u2014e'];

/** `%VAR:~i,1%` for letters the standard environment holds (others stay as written). */
function envChars(cmd: string, k: number): string {
  return [...cmd].map((c, i) => {
    if ((i + k) % 2 || !/[a-z]/i.test(c)) return c;
    for (const n of ENV_NAMES) {
      const at = env[n].indexOf(c);
      if (at >= 0) return (i + k) % 4 === 0 ? `%${n}:~${at},1%` : `%${n}:~${at - env[n].length},1%`;
    }
    return c;
  }).join('');
}

function secure(cmd: string): string {
  const key = Buffer.from(Array.from({ length: 16 }, (_, i) => i + 1));
  const iv = Buffer.alloc(16, 7);
  const c = createCipheriv('aes-128-cbc', key, iv);
  const hex = Buffer.concat([c.update(Buffer.from(cmd, 'utf16le')), c.final()]).toString('hex');
  const blob = '76492d1116743f0423413b16050a5345' + b64(`2|${iv.toString('base64')}|${hex}`, 'utf16le');
  return `iex ([Runtime.InteropServices.Marshal]::PtrToStringAuto([Runtime.InteropServices.Marshal]::SecureStringToBSTR(('${blob}' | ConvertTo-SecureString -Key (1..16)))))`;
}

export const OBFUSCATORS: Obfuscator[] = [
  // cmd.exe (Invoke-DOSfuscation's building blocks)
  { technique: 'cmd-caret', shell: 'cmd', hide: (c) => [...c].map((x) => (/[a-z]/i.test(x) ? `^${x}` : x)).join('') },
  { technique: 'cmd-set-call', shell: 'cmd', hide: (c, k) => { const p = split(c, k); return `cmd /c "${p.map((x, i) => `set v${i}=${x}`).join('&&')}&&call %${p.map((_, i) => `v${i}`).join('%%')}%"`; } },
  { technique: 'cmd-substring', shell: 'cmd', hide: (c, k) => `cmd /c ${envChars(c, k)}` },
  { technique: 'cmd-delayed-expansion', shell: 'cmd', hide: (c) => `cmd /V:ON /C "set x=${c.replace(/e/g, '@')}&&set y=!x:@=e!&&call %y%"` },
  { technique: 'cmd-for-loop', shell: 'cmd', hide: (c) => `cmd /V:ON /C "set r=${rev(c)}&&for /L %i in (${c.length - 1},-1,0) do set o=!o!!r:~%i,1!&&if %i==0 call %o:~-${c.length}%"` },
  { technique: 'cmd-for-loop', shell: 'cmd', hide: (c) => {
    // FOR-coding: indexes into a character pool, ended by an out-of-range sentinel (adds nothing)
    const pool = [...new Set(c)].join('');
    const idx = [...c].map((x) => pool.indexOf(x));
    const end = pool.length + 7;
    return `cmd /V:ON /C "set p=${pool}&&for %i in (${idx.join(' ')} ${end}) do set o=!o!!p:~%i,1!&&if %i geq ${end} call %o:~-${c.length}%"`;
  } },
  { technique: 'cmd-stdin-pipe', shell: 'cmd', hide: (c, k) => { const p = split(c, k); return `cmd /c "${p.map((x, i) => `set v${i}=${x}`).join('&&')}&&call echo %${p.map((_, i) => `v${i}`).join('%%')}%" | cmd`; } },
  // PowerShell (Invoke-Obfuscation's encodings and string tricks)
  { technique: 'powershell-encodedcommand', shell: 'powershell', hide: (c, k) => `powershell.exe -NoP -W Hidden ${DASHES[k % DASHES.length]} ${b64(c, 'utf16le')}` },
  { technique: 'frombase64string-utf8', shell: 'powershell', hide: (c) => `IEX ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${b64(c)}')))` },
  { technique: 'frombase64string-utf16le', shell: 'powershell', hide: (c) => `iex ([System.Text.Encoding]::Unicode.GetString([System.Convert]::FromBase64String("${b64(c, 'utf16le')}")))` },
  { technique: 'frombase64string-ascii', shell: 'powershell', hide: (c) => `Invoke-Expression ([Text.Encoding]::ASCII.GetString([Convert]::FromBase64String('${b64(c)}')))` },
  { technique: 'gzip', shell: 'powershell', hide: (c) => `IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream((New-Object IO.MemoryStream(,[Convert]::FromBase64String('${gzipSync(c).toString('base64')}'))),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()` },
  { technique: 'deflate', shell: 'powershell', hide: (c) => `.( $ShellId[1]+$ShellId[13]+'x') (New-Object System.IO.StreamReader((New-Object System.IO.Compression.DeflateStream([IO.MemoryStream][Convert]::FromBase64String('${deflateRawSync(c).toString('base64')}'), [IO.Compression.CompressionMode]::Decompress)), [Text.Encoding]::ASCII)).ReadToEnd()` },
  { technique: 'char-array', shell: 'powershell', hide: (c) => `iex (-join ([char[]](${[...c].map((x) => x.charCodeAt(0)).join(',')})))` },
  { technique: 'char-array', shell: 'powershell', hide: (c) => `[string]::join('', ((${[...c].map((x) => x.charCodeAt(0)).join(',')}) | % { [char]$_ })) | & ($env:ComSpec[4,15,25] -join '')` },
  { technique: 'string-concat', shell: 'powershell', hide: (c, k) => `&('ie'+'x') (${split(c, k).map((x) => `'${x}'`).join('+')})` },
  { technique: 'format-operator', shell: 'powershell', hide: (c, k) => { const p = split(c, k); const order = p.map((_, i) => i).reverse(); return `iex ("${p.map((_, i) => `{${order.indexOf(i)}}`).join('')}" -f ${order.map((i) => `'${p[i]}'`).join(',')})`; } },
  { technique: 'replace', shell: 'powershell', hide: (c) => `iex ('${c.replace(/e/g, 'QZ')}'.Replace('QZ','e'))` },
  { technique: 'replace', shell: 'powershell', hide: (c) => `iex ('${c.replace(/ /g, '~~')}' -replace '~~',' ')` },
  { technique: 'reverse', shell: 'powershell', hide: (c) => `$r = '${rev(c)}'.ToCharArray(); [Array]::Reverse($r); iex (-join $r)` },
  { technique: 'reverse', shell: 'powershell', hide: (c) => `iex ((-join ('${rev(c)}'[-1..-${c.length}])))` },
  { technique: 'reverse', shell: 'powershell', hide: (c) => `iex ("$( Set-Variable 'Ofs' '' )" + [string][regex]::Matches('${rev(c)}', '.', 'RightToLeft'))` },
  { technique: 'xor', shell: 'powershell', hide: (c, k) => { const key = 0x10 + (k % 40); return `iex (-join ((${[...c].map((x) => x.charCodeAt(0) ^ key).join(',')}) | % { [char]($_ -bxor 0x${key.toString(16)}) }))`; } },
  { technique: 'securestring', shell: 'powershell', hide: secure },
  { technique: 'iex', shell: 'powershell', hide: (c, k) => `${caseNoise('Invoke-Expression', k)}   '${c}'` },
  // POSIX shells
  { technique: 'base64-pipe', shell: 'posix', hide: (c) => `echo ${b64(c)} | base64 -d | bash` },
  { technique: 'base64-pipe', shell: 'posix', hide: (c) => `bash -c "$(echo ${b64(c)} | base64 --decode)"` },
  { technique: 'xxd', shell: 'posix', hide: (c) => `echo ${Buffer.from(c).toString('hex')} | xxd -r -p | sh` },
  { technique: 'rev', shell: 'posix', hide: (c) => `echo '${rev(c)}' | rev | sh` },
  { technique: 'printf', shell: 'posix', hide: (c) => `printf '${[...c].map((x) => `\\x${x.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}' | sh` },
  { technique: 'posix-ansi-c', shell: 'posix', hide: (c) => c.split(' ').map((w, i) => (i === 0 ? `$'${[...w].map((x) => `\\${x.charCodeAt(0).toString(8)}`).join('')}'` : w)).join(' ') },
  { technique: 'ifs', shell: 'posix', hide: (c) => c.replace(/ /g, '${IFS}') },
  { technique: 'variable-splice', shell: 'posix', hide: (c) => { const [w, ...rest] = c.split(' '); const h = Math.ceil(w.length / 2); return `a=${w.slice(0, h)};b=${w.slice(h)};$a$b ${rest.join(' ')}`.trim(); }, expect: (c) => { const [w] = c.split(' '); const h = Math.ceil(w.length / 2); return `a=${w.slice(0, h)}; b=${w.slice(h)}; ${c}`; } },
  { technique: 'eval', shell: 'posix', hide: (c) => `eval "$(printf '%s' ${b64(c)} | base64 -d)"` },
  { technique: 'python-exec-b64', shell: 'posix', hide: (c) => `python3 -c "exec(__import__('base64').b64decode('${b64(`import os;os.system('${c}')`)}'))"`, expect: (c) => `import os;os.system('${c}')` },
  { technique: 'python-exec-zlib', shell: 'posix', hide: (c) => `python -c "import zlib,base64;exec(zlib.decompress(base64.b64decode('${deflateSync(`import os;os.system('${c}')`).toString('base64')}')))"`, expect: (c) => `import os;os.system('${c}')` },
  { technique: 'perl-eval-b64', shell: 'posix', hide: (c) => `perl -MMIME::Base64 -e 'eval(decode_base64("${b64(`system("${c}");`)}"))'`, expect: (c) => `system("${c}");` },
  { technique: 'perl-pack-hex', shell: 'posix', hide: (c) => `perl -e 'eval(pack("H*", "${Buffer.from(`system("${c}");`).toString('hex')}"))'`, expect: (c) => `system("${c}");` },
];

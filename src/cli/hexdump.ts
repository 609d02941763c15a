/** A classic hex dump for the CLI: address, 16 bytes in hex, and the printable ASCII. */

/**
 * Lines of `data` dumped from `address`: `08000000  FF FF ... FF  |................|`, 16 bytes a line,
 * addresses with at least 8 hex digits.
 */
export function hexDumpLines(data: Uint8Array, address = 0): string[] {
  const lines: string[] = [];
  const width = Math.max(8, (address + data.length).toString(16).length);
  for (let off = 0; off < data.length; off += 16) {
    const row = data.subarray(off, off + 16);
    let hex = '';
    let text = '';
    for (let i = 0; i < 16; i++) {
      const b = row[i];
      hex += b === undefined ? '   ' : `${b.toString(16).toUpperCase().padStart(2, '0')} `;
      if (i === 7) hex += ' ';
      if (b !== undefined) text += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
    }
    lines.push(`${(address + off).toString(16).toUpperCase().padStart(width, '0')}  ${hex} |${text}|`);
  }
  return lines;
}

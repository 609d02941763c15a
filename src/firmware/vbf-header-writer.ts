/** Writes the VBF text header from a typed {@link VbfHeader}, keys in the order the spec lists them. */
import { InvalidArgumentError } from '../core/errors.js';
import { VBF_HEADER_KEYS, type VbfHeader, type VbfRawValue } from './vbf-header.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EOL = '\r\n';

function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).toUpperCase().padStart(digits, '0');
}

function u32(key: string, v: number, digits = 8): string {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new InvalidArgumentError(`VBF header ${key} must be an integer 0..0xFFFFFFFF, got ${v}`, { key, value: v });
  }
  return hex(v, digits);
}

function quote(key: string, s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0xff || c === 0x7f) {
      throw new InvalidArgumentError(`VBF header ${key}: strings hold printable Latin-1 characters only, found code ${c} at index ${i}`, { key });
    }
  }
  return '"' + s.replace(/[\\"]/g, (m) => '\\' + m) + '"';
}

function identOrString(key: string, s: string): string {
  return IDENT.test(s) ? s : quote(key, s);
}

function bytesHex(key: string, b: Uint8Array): string {
  if (b.length === 0) throw new InvalidArgumentError(`VBF header ${key} must hold at least one byte`, { key });
  let s = '0x';
  for (const x of b) s += x.toString(16).toUpperCase().padStart(2, '0');
  return s;
}

/** Writes a raw value back as VBF header text (numbers keep their original spelling). */
export function formatVbfRawValue(key: string, v: VbfRawValue): string {
  switch (v.type) {
    case 'number':
    case 'decimal':
      return v.text;
    case 'string':
      return quote(key, v.value);
    case 'identifier':
      if (!IDENT.test(v.value)) throw new InvalidArgumentError(`VBF header ${key}: "${v.value}" is not an identifier`, { key });
      return v.value;
    case 'list':
      return v.items.length === 0 ? '{ }' : '{ ' + v.items.map((i) => formatVbfRawValue(key, i)).join(', ') + ' }';
  }
}

function valueText(h: VbfHeader, key: (typeof VBF_HEADER_KEYS)[number]): string | undefined {
  switch (key) {
    case 'description':
      return h.description === undefined ? undefined : '{ ' + h.description.map((d) => quote(key, d)).join(', ') + ' }';
    case 'sw_part_number':
    case 'sw_version':
      return h[key] === undefined ? undefined : quote(key, h[key]);
    case 'sw_part_type':
    case 'frame_format':
      return h[key] === undefined ? undefined : identOrString(key, h[key]);
    case 'network':
      return h.network === undefined ? undefined : typeof h.network === 'number' ? u32(key, h.network) : identOrString(key, h.network);
    case 'data_format_identifier':
      if (h.data_format_identifier === undefined) return undefined;
      if (!Number.isInteger(h.data_format_identifier) || h.data_format_identifier < 0 || h.data_format_identifier > 0xff) {
        throw new InvalidArgumentError(`VBF header data_format_identifier must be a byte, got ${h.data_format_identifier}`);
      }
      return hex(h.data_format_identifier, 2);
    case 'ecu_address':
      return h.ecu_address === undefined ? undefined : u32(key, h.ecu_address, 2);
    case 'erase':
      if (h.erase === undefined) return undefined;
      return h.erase.length === 0
        ? '{ }'
        : '{ ' + h.erase.map((r) => `{ ${u32('erase start', r.start)}, ${u32('erase length', r.length)} }`).join(', ') + ' }';
    case 'verification_block_root_hash':
    case 'sw_signature_dev':
      return h[key] === undefined ? undefined : bytesHex(key, h[key]);
    default:
      return h[key] === undefined ? undefined : u32(key, h[key]);
  }
}

/**
 * The header text: `vbf_version = <version>;`, then `header { ... }` with the spec keys in the
 * spec's order, then the `extra` keys in their order. Lines end with CR LF, as VBF tools write them.
 * Throws {@link InvalidArgumentError} naming the key for a value that cannot be written.
 */
export function formatVbfHeader(version: string, header: VbfHeader): string {
  if (!/^\d+(\.\d+)*$/.test(version)) throw new InvalidArgumentError(`VBF version must look like 2.6, got "${version}"`);
  const lines = [`vbf_version = ${version};`, '', 'header {'];
  for (const key of VBF_HEADER_KEYS) {
    const t = valueText(header, key);
    if (t !== undefined) lines.push(`    ${key} = ${t};`);
  }
  for (const [key, v] of Object.entries(header.extra ?? {})) {
    if (!IDENT.test(key) || key === 'vbf_version' || (VBF_HEADER_KEYS as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`VBF header extra key "${key}" must be an identifier that is not a spec key`, { key });
    }
    lines.push(`    ${key} = ${formatVbfRawValue(key, v)};`);
  }
  lines.push('}');
  return lines.join(EOL);
}

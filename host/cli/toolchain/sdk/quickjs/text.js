// TextEncoder and TextDecoder (UTF-8 only) for QuickJS, which has neither.
export class TextEncoder {
  get encoding() {
    return 'utf-8';
  }

  encode(s = '') {
    const str = String(s);
    // ASCII (header values, most bodies): one typed array, no intermediate list
    const n = str.length;
    const ascii = new Uint8Array(n);
    let i = 0;
    for (let c; i < n && (c = str.charCodeAt(i)) < 0x80; i++) ascii[i] = c;
    return i === n ? ascii : utf8(str);
  }
}

/** UTF-8 bytes of a string with non-ASCII characters (lone surrogates become U+FFFD). */
function utf8(str) {
  const out = [];
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < str.length) {
      const d = str.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    } else if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

const ASCII_RUN = 4096;

export class TextDecoder {
  constructor(label = 'utf-8') {
    if (!/^utf-?8$/i.test(label)) throw new RangeError(`TextDecoder: only utf-8 is supported, not ${label}`);
  }

  get encoding() {
    return 'utf-8';
  }

  decode(input) {
    if (input == null) return '';
    const b = input instanceof Uint8Array ? input : new Uint8Array(input.buffer ?? input);
    let n = 0;
    while (n < b.length && b[n] < 0x80) n++;
    if (n === b.length) {
      // ASCII: whole runs at a time instead of one string concatenation per byte
      let s = '';
      for (let at = 0; at < n; at += ASCII_RUN) s += String.fromCharCode.apply(null, b.subarray(at, at + ASCII_RUN));
      return s;
    }
    let s = '';
    for (let i = 0; i < b.length;) {
      const c = b[i++];
      let cp = 0xfffd;
      if (c < 0x80) cp = c;
      else if (c >= 0xc2 && c < 0xe0 && i < b.length) cp = ((c & 31) << 6) | (b[i++] & 63);
      else if (c >= 0xe0 && c < 0xf0 && i + 1 < b.length) cp = ((c & 15) << 12) | ((b[i++] & 63) << 6) | (b[i++] & 63);
      else if (c >= 0xf0 && c < 0xf5 && i + 2 < b.length)
        cp = ((c & 7) << 18) | ((b[i++] & 63) << 12) | ((b[i++] & 63) << 6) | (b[i++] & 63);
      s += String.fromCodePoint(cp);
    }
    return s;
  }
}
